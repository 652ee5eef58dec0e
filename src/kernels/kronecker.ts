/**
 * Kronecker-product matrix–vector products y = op(A₁ ⊗ A₂ ⊗ … ⊗ A_K)·x that never form the
 * product (the "vec trick").
 *
 * Index convention (numpy.kron): factor k is rows[k] × cols[k], row-major, and x is a K-way
 * tensor of shape (c₁, …, c_K) stored with the LAST index varying fastest. Then
 *   y[i₁, …, i_K] = Σ_{j₁…j_K} A₁[i₁, j₁] ⋯ A_K[i_K, j_K] · x[j₁, …, j_K].
 *
 * Algorithm: contract the fastest mode first. Viewing the current tensor as a matrix X of shape
 * (L, c_K) — the last mode is contiguous — one step computes Z[i, l] = Σ_j A_K[i, j]·X[l, j],
 * i.e. Z = A_K·Xᵀ of shape (r_K, L), which moves the new index to the FRONT. After K steps
 * (factors K, K−1, …, 1) the indices are back in order (i₁, …, i_K), so no explicit permutation
 * is ever needed, and every step is one "A·Bᵀ" product whose inner loop is a dot product over two
 * contiguous rows (a row of A_k and a row of X). Cost: Σ_k r_k·(size of the tensor before step k)
 * multiply–adds instead of Π r_k·Π c_k for the formed product.
 *
 * Transposed products use the same loop on a transposed (or conjugate-transposed) copy of each
 * factor, made in the work array (r·c numbers per factor, negligible next to the tensor).
 */

function fail(where: string, what: string, got: string, expected: string): never {
  throw new RangeError(`${where}: ${what} — got ${got}, expected ${expected}.`);
}

/** Checks the dimension arrays: long enough for K factors, no negative sizes. */
function checkDims(where: string, K: number, rows: Int32Array, cols: Int32Array): void {
  if (rows.length < K || cols.length < K) {
    fail(
      where,
      "dimension arrays too short",
      `rows.length ${rows.length}, cols.length ${cols.length}`,
      `at least K = ${K}`,
    );
  }
  for (let k = 0; k < K; k++) {
    if (rows[k] < 0 || cols[k] < 0) {
      fail(where, `factor ${k} has a negative dimension`, `${rows[k]} × ${cols[k]}`, "non-negative sizes");
    }
  }
}

/** Π dims[k], k < K: the length of a vector on that side of the product. */
function product(K: number, dims: Int32Array): number {
  let n = 1;
  for (let k = 0; k < K; k++) n *= dims[k];
  return n;
}

/**
 * The largest intermediate tensor of a product mapping `inDims` to `outDims`: step s = 1 … K−1
 * has contracted the last s modes into outputs; the final step writes y, so it is not counted.
 */
function maxIntermediate(K: number, inDims: Int32Array, outDims: Int32Array): number {
  let max = 0;
  let size = product(K, inDims);
  for (let k = K - 1; k >= 1; k--) {
    size = inDims[k] === 0 ? 0 : (size / inDims[k]) * outDims[k];
    if (size > max) max = size;
  }
  return max;
}

/** max_k rows[k]·cols[k]: room for one transposed factor. */
function maxFactorSize(K: number, rows: Int32Array, cols: Int32Array): number {
  let max = 0;
  for (let k = 0; k < K; k++) max = Math.max(max, rows[k] * cols[k]);
  return max;
}

/**
 * Number of Float64 elements `work` must hold for {@link dkronmv} with these factor shapes (valid
 * for both "N" and "T"): two ping-pong buffers for the intermediate tensors plus room for one
 * transposed factor.
 *
 * @example
 * ```ts
 * const rows = Int32Array.of(64, 64, 64), cols = Int32Array.of(64, 64, 64);
 * const work = new Float64Array(kronWorkSize(3, rows, cols)); // 2·64³ + 64² numbers
 * ```
 */
export function kronWorkSize(K: number, rows: Int32Array, cols: Int32Array): number {
  if (K <= 0) return 0;
  checkDims("kronWorkSize", K, rows, cols);
  const inter = Math.max(maxIntermediate(K, cols, rows), maxIntermediate(K, rows, cols));
  return 2 * inter + maxFactorSize(K, rows, cols);
}

/**
 * Number of Float64 elements (two per complex number) `work` must hold for {@link zkronmv},
 * valid for "N", "T" and "C".
 *
 * @example
 * ```ts
 * const rows = Int32Array.of(4, 8), cols = Int32Array.of(4, 8);
 * const work = new Float64Array(zkronWorkSize(2, rows, cols));
 * ```
 */
export function zkronWorkSize(K: number, rows: Int32Array, cols: Int32Array): number {
  return 2 * kronWorkSize(K, rows, cols);
}

/**
 * Checks the factors, x, y and work of one product (`scalar` numbers per element: 1 real,
 * 2 complex) and returns the length of one intermediate buffer in elements.
 */
function checkCall(
  where: string,
  K: number,
  rows: Int32Array,
  cols: Int32Array,
  factors: readonly Float64Array[],
  x: Float64Array,
  y: Float64Array,
  work: Float64Array,
  trans: boolean,
  scalar: number,
): number {
  checkDims(where, K, rows, cols);
  if (factors.length < K) fail(where, "too few factors", `${factors.length}`, `K = ${K}`);
  for (let k = 0; k < K; k++) {
    const need = scalar * rows[k] * cols[k];
    if (factors[k].length < need) {
      fail(
        where,
        `factor ${k} too short`,
        `length ${factors[k].length}`,
        `at least ${need} for ${rows[k]} × ${cols[k]}`,
      );
    }
  }
  const inDims = trans ? rows : cols;
  const outDims = trans ? cols : rows;
  const nIn = scalar * product(K, inDims);
  const nOut = scalar * product(K, outDims);
  if (x.length < nIn) fail(where, "x too short", `length ${x.length}`, `at least ${nIn}`);
  if (y.length < nOut) fail(where, "y too short", `length ${y.length}`, `at least ${nOut}`);
  const inter = maxIntermediate(K, inDims, outDims);
  const need = scalar * (2 * inter + (trans ? maxFactorSize(K, rows, cols) : 0));
  if (work.length < need) fail(where, "work too short", `length ${work.length}`, `at least ${need}`);
  return inter;
}

// ---------------------------------------------------------------------------------------------
// Real

/**
 * Z[zOff + i·L + l] = Σ_{j<c} A[aOff + i·c + j] · X[xOff + l·c + j] for i < r, l < L.
 * Register-blocked 4 (rows of A) × 2 (rows of X): each pass over j loads 6 numbers for 8
 * multiply–adds and keeps 8 independent accumulators in registers.
 */
function modeProduct(
  r: number,
  c: number,
  L: number,
  A: Float64Array,
  aOff: number,
  X: Float64Array,
  xOff: number,
  Z: Float64Array,
  zOff: number,
): void {
  let l = 0;
  for (; l < L - 1; l += 2) {
    const x0 = xOff + l * c;
    const x1 = x0 + c;
    let i = 0;
    for (; i < r - 3; i += 4) {
      const a0 = aOff + i * c;
      const a1 = a0 + c;
      const a2 = a1 + c;
      const a3 = a2 + c;
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      let s20 = 0;
      let s21 = 0;
      let s30 = 0;
      let s31 = 0;
      for (let j = 0; j < c; j++) {
        const u = X[x0 + j];
        const v = X[x1 + j];
        const p0 = A[a0 + j];
        const p1 = A[a1 + j];
        const p2 = A[a2 + j];
        const p3 = A[a3 + j];
        s00 += p0 * u;
        s01 += p0 * v;
        s10 += p1 * u;
        s11 += p1 * v;
        s20 += p2 * u;
        s21 += p2 * v;
        s30 += p3 * u;
        s31 += p3 * v;
      }
      const z = zOff + i * L + l;
      Z[z] = s00;
      Z[z + 1] = s01;
      Z[z + L] = s10;
      Z[z + L + 1] = s11;
      Z[z + 2 * L] = s20;
      Z[z + 2 * L + 1] = s21;
      Z[z + 3 * L] = s30;
      Z[z + 3 * L + 1] = s31;
    }
    for (; i < r; i++) {
      const a0 = aOff + i * c;
      let s0 = 0;
      let s1 = 0;
      for (let j = 0; j < c; j++) {
        const p = A[a0 + j];
        s0 += p * X[x0 + j];
        s1 += p * X[x1 + j];
      }
      const z = zOff + i * L + l;
      Z[z] = s0;
      Z[z + 1] = s1;
    }
  }
  if (l < L) {
    const x0 = xOff + l * c;
    for (let i = 0; i < r; i++) {
      const a0 = aOff + i * c;
      let s = 0;
      for (let j = 0; j < c; j++) s += A[a0 + j] * X[x0 + j];
      Z[zOff + i * L + l] = s;
    }
  }
}

/** work[off + j·r + i] = A[i·c + j]: the c × r transpose of the r × c factor. */
function transposeInto(r: number, c: number, A: Float64Array, work: Float64Array, off: number): void {
  for (let i = 0; i < r; i++) {
    const a = i * c;
    for (let j = 0; j < c; j++) work[off + j * r + i] = A[a + j];
  }
}

/**
 * y ← op(A₁ ⊗ A₂ ⊗ … ⊗ A_K)·x with op = identity ("N") or transpose ("T"), without forming the
 * product. Factor k is `factors[k]`, dense row-major `rows[k] × cols[k]` (rectangular is fine).
 * x has Π cols (Π rows for "T") numbers and y Π rows (Π cols for "T"), indexed with the LAST
 * factor varying fastest, as numpy.kron. `work` needs {@link kronWorkSize} numbers; x is not
 * modified; y must not overlap x or work. K ≤ 0 does nothing. Throws `RangeError` for negative
 * dimensions or arrays that are too short.
 *
 * @example
 * ```ts
 * // (A ⊗ B)·x with A 2×2 and B 3×3
 * const rows = Int32Array.of(2, 3), cols = Int32Array.of(2, 3);
 * const A = Float64Array.of(1, 2, 3, 4), B = Float64Array.of(1, 0, 0, 0, 2, 0, 0, 0, 3);
 * const x = new Float64Array(6).fill(1), y = new Float64Array(6);
 * dkronmv("N", 2, rows, cols, [A, B], x, y, new Float64Array(kronWorkSize(2, rows, cols)));
 * // y = [3, 6, 9, 7, 14, 21]
 * ```
 */
export function dkronmv(
  trans: "N" | "T",
  K: number,
  rows: Int32Array,
  cols: Int32Array,
  factors: readonly Float64Array[],
  x: Float64Array,
  y: Float64Array,
  work: Float64Array,
): void {
  if (trans !== "N" && trans !== "T") fail("dkronmv", "invalid trans", `'${trans}'`, "'N' or 'T'");
  if (K <= 0) return;
  const t = trans === "T";
  const inter = checkCall("dkronmv", K, rows, cols, factors, x, y, work, t, 1);
  const nIn = product(K, t ? rows : cols);
  const nOut = product(K, t ? cols : rows);
  if (nOut === 0) return;
  if (nIn === 0) {
    // An empty sum: some factor has no input columns, so the product is the zero matrix.
    for (let i = 0; i < nOut; i++) y[i] = 0;
    return;
  }
  const scratch = 2 * inter;
  let src = x;
  let srcOff = 0;
  let size = nIn;
  for (let s = 0; s < K; s++) {
    const k = K - 1 - s;
    // op(A_k) is rOp × cOp; for "T" it is the transpose, copied so the inner loop stays contiguous.
    const rOp = t ? cols[k] : rows[k];
    const cOp = t ? rows[k] : cols[k];
    let A = factors[k];
    let aOff = 0;
    if (t) {
      transposeInto(rows[k], cols[k], factors[k], work, scratch);
      A = work;
      aOff = scratch;
    }
    const L = size / cOp;
    const last = s === K - 1;
    const dst = last ? y : work;
    const dstOff = last ? 0 : (s & 1) * inter;
    modeProduct(rOp, cOp, L, A, aOff, src, srcOff, dst, dstOff);
    src = dst;
    srcOff = dstOff;
    size = L * rOp;
  }
}

// ---------------------------------------------------------------------------------------------
// Complex (interleaved re, im)

/**
 * Complex version of {@link modeProduct}: Z[i, l] = Σ_j A[i, j]·X[l, j] with all offsets in
 * complex elements. Blocked 1 × 2 (one row of A against two rows of X).
 */
function zmodeProduct(
  r: number,
  c: number,
  L: number,
  A: Float64Array,
  aOff: number,
  X: Float64Array,
  xOff: number,
  Z: Float64Array,
  zOff: number,
): void {
  let l = 0;
  for (; l < L - 1; l += 2) {
    const x0 = 2 * (xOff + l * c);
    const x1 = x0 + 2 * c;
    for (let i = 0; i < r; i++) {
      const a0 = 2 * (aOff + i * c);
      let re0 = 0;
      let im0 = 0;
      let re1 = 0;
      let im1 = 0;
      for (let j = 0; j < 2 * c; j += 2) {
        const ar = A[a0 + j];
        const ai = A[a0 + j + 1];
        const ur = X[x0 + j];
        const ui = X[x0 + j + 1];
        const vr = X[x1 + j];
        const vi = X[x1 + j + 1];
        re0 += ar * ur - ai * ui;
        im0 += ar * ui + ai * ur;
        re1 += ar * vr - ai * vi;
        im1 += ar * vi + ai * vr;
      }
      const z = 2 * (zOff + i * L + l);
      Z[z] = re0;
      Z[z + 1] = im0;
      Z[z + 2] = re1;
      Z[z + 3] = im1;
    }
  }
  if (l < L) {
    const x0 = 2 * (xOff + l * c);
    for (let i = 0; i < r; i++) {
      const a0 = 2 * (aOff + i * c);
      let re = 0;
      let im = 0;
      for (let j = 0; j < 2 * c; j += 2) {
        const ar = A[a0 + j];
        const ai = A[a0 + j + 1];
        const ur = X[x0 + j];
        const ui = X[x0 + j + 1];
        re += ar * ur - ai * ui;
        im += ar * ui + ai * ur;
      }
      const z = 2 * (zOff + i * L + l);
      Z[z] = re;
      Z[z + 1] = im;
    }
  }
}

/** Complex c × r (conjugate) transpose of an r × c factor into work, at complex offset `off`. */
function ztransposeInto(r: number, c: number, A: Float64Array, conj: boolean, work: Float64Array, off: number): void {
  const sign = conj ? -1 : 1;
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) {
      const src = 2 * (i * c + j);
      const dst = 2 * (off + j * r + i);
      work[dst] = A[src];
      work[dst + 1] = sign * A[src + 1];
    }
  }
}

/**
 * Complex y ← op(A₁ ⊗ … ⊗ A_K)·x with op = identity ("N"), transpose ("T") or conjugate
 * transpose ("C"). Factors, x and y are interleaved (re, im): factor k holds 2·rows[k]·cols[k]
 * numbers, row-major. Same index convention, aliasing rules and errors as {@link dkronmv};
 * `work` needs {@link zkronWorkSize} numbers.
 *
 * @example
 * ```ts
 * // (i·I₁ ⊗ [[1, 2]])ᴴ · [1] = [-i, -2i]
 * const rows = Int32Array.of(1, 1), cols = Int32Array.of(1, 2);
 * const y = new Float64Array(4);
 * zkronmv("C", 2, rows, cols, [Float64Array.of(0, 1), Float64Array.of(1, 0, 2, 0)], Float64Array.of(1, 0), y,
 *   new Float64Array(zkronWorkSize(2, rows, cols))); // y = [0, -1, 0, -2]
 * ```
 */
export function zkronmv(
  trans: "N" | "T" | "C",
  K: number,
  rows: Int32Array,
  cols: Int32Array,
  factors: readonly Float64Array[],
  x: Float64Array,
  y: Float64Array,
  work: Float64Array,
): void {
  if (trans !== "N" && trans !== "T" && trans !== "C") {
    fail("zkronmv", "invalid trans", `'${trans}'`, "'N', 'T' or 'C'");
  }
  if (K <= 0) return;
  const t = trans !== "N";
  const inter = checkCall("zkronmv", K, rows, cols, factors, x, y, work, t, 2);
  const nIn = product(K, t ? rows : cols);
  const nOut = product(K, t ? cols : rows);
  if (nOut === 0) return;
  if (nIn === 0) {
    for (let i = 0; i < 2 * nOut; i++) y[i] = 0;
    return;
  }
  const scratch = 2 * inter;
  let src = x;
  let srcOff = 0;
  let size = nIn;
  for (let s = 0; s < K; s++) {
    const k = K - 1 - s;
    const rOp = t ? cols[k] : rows[k];
    const cOp = t ? rows[k] : cols[k];
    let A = factors[k];
    let aOff = 0;
    if (t) {
      ztransposeInto(rows[k], cols[k], factors[k], trans === "C", work, scratch);
      A = work;
      aOff = scratch;
    }
    const L = size / cOp;
    const last = s === K - 1;
    const dst = last ? y : work;
    const dstOff = last ? 0 : (s & 1) * inter;
    zmodeProduct(rOp, cOp, L, A, aOff, src, srcOff, dst, dstOff);
    src = dst;
    srcOff = dstOff;
    size = L * rOp;
  }
}

/**
 * The Kronecker product A₁ ⊗ A₂ ⊗ … ⊗ A_K as a {@link LinearOperator}, never formed.
 *
 * @module
 */
import { ShapeError } from "../../core/errors.js";
import { kronWorkSize } from "../../kernels/kronecker.js";
import { activeKernels } from "../kernel_provider.js";
import type { LinearOperator } from "../linear_operator.js";
import { asLinearOperator, type OperatorLike } from "./as_linear_operator.js";
import { DenseOperator } from "./dense_operator.js";
import { ownedFloat64 } from "./kernel_memory.js";
import { blendInto, checkLength, kronVectorInto, scaleVector } from "./validate.js";

/**
 * (A₁ ⊗ … ⊗ A_K)·x without forming the product: the operator stores only its factors plus work
 * vectors, so memory is O(Σ factor sizes + vector length) instead of O(Π rows · Π cols).
 *
 * Index convention (numpy.kron): x is a K-way tensor of shape (cols₁, …, cols_K) with the LAST
 * index varying fastest, so `toDense()` equals the usual Kronecker product of the factor matrices.
 *
 * When every factor is dense (a {@link DenseOperator} or nested rows) the product is the active
 * kernel set's `dkronmv` — one dense mode product per factor. Otherwise each factor is applied
 * through its own operator to every mode-k fibre of the tensor (gathered into a contiguous
 * buffer), which keeps sparse or diagonal factors sparse.
 *
 * @example
 * ```ts
 * const K = new KroneckerOperator([[[1, 2], [3, 4]], new DiagonalOperator([1, 2, 3])]); // 6 × 6
 * const y = new Float64Array(6);
 * K.apply(new Float64Array(6).fill(1), y); // y = [3, 6, 9, 7, 14, 21]
 * ```
 */
export class KroneckerOperator implements LinearOperator {
  /** Π rows of the factors. */
  readonly rows: number;
  /** Π cols of the factors. */
  readonly cols: number;
  /** Always `'kronecker'`. */
  readonly kind = "kronecker";
  private readonly ops: readonly LinearOperator[];
  private readonly rowDims: Int32Array;
  private readonly colDims: Int32Array;
  /** Row-major factor entries for `dkronmv`, when every factor is dense. */
  private readonly dense: readonly Float64Array[] | undefined;
  /** `dkronmv` scratch (dense path) or the two ping-pong tensors (fibre path). */
  private readonly work: Float64Array;
  private readonly pong: Float64Array;
  /** Fibre buffers of the general path, one pair per factor so their lengths match exactly. */
  private readonly rowFibres: readonly Float64Array[];
  private readonly colFibres: readonly Float64Array[];
  /** The unscaled product, when alpha and beta need a separate blend. */
  private readonly result: Float64Array;
  /** diag(AₖᵀAₖ) of each factor, computed once. */
  private readonly factorGrams: readonly Float64Array[];

  /**
   * @param factors one or more operators or dense matrices (nested rows), outermost first
   * @throws ShapeError for an empty factor list or a factor that is not a matrix.
   * @example
   * ```ts
   * const K = new KroneckerOperator([A1, A2, A3]);
   * ```
   */
  constructor(factors: readonly OperatorLike[]) {
    if (!Array.isArray(factors) || factors.length === 0) {
      throw new ShapeError({
        where: "KroneckerOperator",
        what: "needs at least one factor",
        got: Array.isArray(factors) ? "0 factors" : String(factors),
        expected: "an array of operators or dense matrices",
      });
    }
    const K = factors.length;
    this.ops = factors.map((f, k) => asLinearOperator(f, undefined, `KroneckerOperator factor ${k}`));
    this.rowDims = Int32Array.from(this.ops, (op) => op.rows);
    this.colDims = Int32Array.from(this.ops, (op) => op.cols);
    this.rows = this.rowDims.reduce((a, b) => a * b, 1);
    this.cols = this.colDims.reduce((a, b) => a * b, 1);
    const allDense = this.ops.every((op) => op instanceof DenseOperator);
    if (allDense) {
      this.dense = this.ops.map((op) => {
        const data = ownedFloat64(this, op.rows * op.cols);
        data.set(op.toDense());
        return data;
      });
      this.work = ownedFloat64(this, kronWorkSize(K, this.rowDims, this.colDims));
      this.pong = new Float64Array(0);
      this.rowFibres = [];
      this.colFibres = [];
    } else {
      this.dense = undefined;
      const inter = Math.max(
        largestIntermediate(this.colDims, this.rowDims),
        largestIntermediate(this.rowDims, this.colDims),
      );
      this.work = new Float64Array(inter);
      this.pong = new Float64Array(inter);
      this.rowFibres = this.ops.map((op) => new Float64Array(op.rows));
      this.colFibres = this.ops.map((op) => new Float64Array(op.cols));
    }
    this.result = ownedFloat64(this, Math.max(this.rows, this.cols));
    this.factorGrams = this.ops.map((op) => {
      const g = new Float64Array(op.cols);
      op.diagGram(g);
      return g;
    });
  }

  /**
   * The factors as operators (dense inputs wrapped as {@link DenseOperator}).
   *
   * @example
   * ```ts
   * K.factors.map((f) => [f.rows, f.cols]); // [[2, 2], [3, 3]]
   * ```
   */
  get factors(): readonly LinearOperator[] {
    return this.ops;
  }

  /**
   * y = alpha·(A₁ ⊗ … ⊗ A_K)·x + beta·y (beta = 0 ignores y). x and y must not overlap.
   *
   * @example
   * ```ts
   * K.apply(x, y);
   * ```
   */
  apply(x: Float64Array, y: Float64Array, alpha = 1, beta = 0): void {
    checkLength("KroneckerOperator.apply", "x", x, this.cols, "the product of the factors' column counts");
    checkLength("KroneckerOperator.apply", "y", y, this.rows, "the product of the factors' row counts");
    this.product(false, x, y, alpha, beta);
  }

  /**
   * y = alpha·(A₁ᵀ ⊗ … ⊗ A_Kᵀ)·x + beta·y.
   *
   * @example
   * ```ts
   * K.applyTranspose(r, g);
   * ```
   */
  applyTranspose(x: Float64Array, y: Float64Array, alpha = 1, beta = 0): void {
    checkLength("KroneckerOperator.applyTranspose", "x", x, this.rows, "the product of the factors' row counts");
    checkLength("KroneckerOperator.applyTranspose", "y", y, this.cols, "the product of the factors' column counts");
    this.product(true, x, y, alpha, beta);
  }

  /**
   * out = diag(A₁ᵀA₁) ⊗ … ⊗ diag(A_KᵀA_K), because (⊗Aₖ)ᵀ(⊗Aₖ) = ⊗(AₖᵀAₖ).
   *
   * @example
   * ```ts
   * const g = new Float64Array(K.cols);
   * K.diagGram(g);
   * ```
   */
  diagGram(out: Float64Array): void {
    checkLength("KroneckerOperator.diagGram", "out", out, this.cols, "the number of columns");
    kronVectorInto(out, this.factorGrams);
  }

  /**
   * The explicitly formed Kronecker product, rows × cols row-major (large: for tests and small
   * problems only).
   *
   * @example
   * ```ts
   * new KroneckerOperator([[[1, 2]], [[1], [1]]]).toDense(); // [1, 2, 1, 2] (2 × 2)
   * ```
   */
  toDense(): Float64Array {
    let acc = Float64Array.of(1);
    let accRows = 1;
    let accCols = 1;
    for (const op of this.ops) {
      const f = op.toDense();
      const r = op.rows;
      const c = op.cols;
      const next = new Float64Array(accRows * r * accCols * c);
      const nextCols = accCols * c;
      for (let i1 = 0; i1 < accRows; i1++) {
        for (let j1 = 0; j1 < accCols; j1++) {
          const a = acc[i1 * accCols + j1];
          for (let i2 = 0; i2 < r; i2++) {
            const row = (i1 * r + i2) * nextCols + j1 * c;
            for (let j2 = 0; j2 < c; j2++) next[row + j2] = a * f[i2 * c + j2];
          }
        }
      }
      acc = next;
      accRows *= r;
      accCols = nextCols;
    }
    return acc;
  }

  private product(transposed: boolean, x: Float64Array, y: Float64Array, alpha: number, beta: number): void {
    const nIn = transposed ? this.rows : this.cols;
    const nOut = transposed ? this.cols : this.rows;
    if (nOut === 0) return;
    if (nIn === 0 || alpha === 0) {
      scaleVector(nOut, beta, y);
      return;
    }
    // With beta = 0 the product can go straight into y and be scaled there.
    const target = beta === 0 ? y : this.result;
    if (this.dense) {
      const K = this.ops.length;
      activeKernels().dkronmv(transposed ? "T" : "N", K, this.rowDims, this.colDims, this.dense, x, target, this.work);
    } else {
      this.fibreProduct(transposed, x, target);
    }
    if (beta === 0) scaleVector(nOut, alpha, y);
    else blendInto(nOut, alpha, this.result, beta, y);
  }

  /**
   * Mode products from the last factor to the first. Before the step for factor k the tensor has
   * shape (in₁, …, in_k, out_{k+1}, …, out_K): L = Π in_{<k} outer fibres, stride R = Π out_{>k}.
   */
  private fibreProduct(transposed: boolean, x: Float64Array, target: Float64Array): void {
    const K = this.ops.length;
    let src = x;
    let size = transposed ? this.rows : this.cols;
    let R = 1;
    for (let s = 0; s < K; s++) {
      const k = K - 1 - s;
      const op = this.ops[k];
      const cIn = transposed ? this.rowDims[k] : this.colDims[k];
      const cOut = transposed ? this.colDims[k] : this.rowDims[k];
      const fin = transposed ? this.rowFibres[k] : this.colFibres[k];
      const fout = transposed ? this.colFibres[k] : this.rowFibres[k];
      const dst = s === K - 1 ? target : (s & 1) === 0 ? this.work : this.pong;
      const L = size / (cIn * R);
      for (let l = 0; l < L; l++) {
        const inBase = l * cIn * R;
        const outBase = l * cOut * R;
        for (let r = 0; r < R; r++) {
          for (let j = 0; j < cIn; j++) fin[j] = src[inBase + j * R + r];
          if (transposed) op.applyTranspose(fin, fout);
          else op.apply(fin, fout);
          for (let i = 0; i < cOut; i++) dst[outBase + i * R + r] = fout[i];
        }
      }
      src = dst;
      size = L * cOut * R;
      R *= cOut;
    }
  }
}

/**
 * The largest tensor held between mode products (the last step writes the output, so it is not
 * counted) when mapping a tensor of shape `inDims` to `outDims` from the last mode to the first.
 */
function largestIntermediate(inDims: Int32Array, outDims: Int32Array): number {
  let size = inDims.reduce((a, b) => a * b, 1);
  let max = 0;
  for (let k = inDims.length - 1; k >= 1; k--) {
    size = inDims[k] === 0 ? 0 : (size / inDims[k]) * outDims[k];
    max = Math.max(max, size);
  }
  return max;
}

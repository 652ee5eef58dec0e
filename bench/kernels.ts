/**
 * Kernel benchmark (issue 2, acceptance 3–4): `npm run bench -- kernels [--quick]`.
 *
 * For CSR SpMV (random and banded patterns), gemv, gemm, Cholesky and a Kronecker matvec it
 * prints the median time and GFLOP/s of the plain and the wasm-simd kernel sets, the same work
 * done by mathjs / ml-matrix, and the C reference (../shared/bench/kernels_ref.c, gcc -O3
 * -march=native) on identical inputs with matching checksums; then the issue's bars with
 * PASS/FAIL. Ratios "× C" are C's time over ours (1 = parity, higher is faster).
 * Dense inputs come from the C program's own random stream so that checksums must agree; the
 * SpMV matrix is written in its binary input format. The wasm set works on arrays allocated in its
 * arena (the way runtime operators allocate them), the plain set on ordinary arrays.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { all, create } from "mathjs";
import { CholeskyDecomposition, Matrix } from "ml-matrix";
import { kronWorkSize } from "../src/kernels/kronecker.js";
import { plainKernels } from "../src/kernels/plain_set.js";
import { loadWasmKernels } from "../src/kernels/wasm/wasm_set.js";
import { type CResult, cReference, cUniformStream, OUT_DIR, writeSpmvInput } from "./_c_reference.js";
import { median } from "./_util.js";

interface Sizes {
  spmvRows: number;
  nnzPerRow: number;
  band: number;
  gemv: number;
  gemm: number;
  chol: number;
  kronK: number;
  kronN: number;
}

const FULL: Sizes = {
  spmvRows: 200_000,
  nnzPerRow: 10,
  band: 32,
  gemv: 2000,
  gemm: 500,
  chol: 1000,
  kronK: 3,
  kronN: 64,
};
const QUICK: Sizes = {
  spmvRows: 20_000,
  nnzPerRow: 10,
  band: 32,
  gemv: 500,
  gemm: 200,
  chol: 300,
  kronK: 3,
  kronN: 24,
};

/** One measured variant of a kernel. */
interface Row {
  label: string;
  seconds: number;
  flops: number;
  note?: string;
}

/**
 * Median seconds per call of each runner, measured in interleaved rounds (so that a burst of load
 * from other processes hits every variant alike) after one warm-up call each. `setup` runs before
 * every call, outside the timed region.
 */
function measure(reps: number, runners: { setup?: () => void; run: () => void }[]): number[] {
  for (const r of runners) {
    r.setup?.();
    r.run();
  }
  const times = runners.map(() => [] as number[]);
  for (let rep = 0; rep < reps; rep++) {
    runners.forEach((r, i) => {
      r.setup?.();
      const t0 = performance.now();
      r.run();
      times[i].push((performance.now() - t0) / 1000);
    });
  }
  return times.map(median);
}

function fmtTime(s: number): string {
  return s >= 1 ? `${s.toFixed(2)} s` : s >= 1e-3 ? `${(s * 1e3).toFixed(2)} ms` : `${(s * 1e6).toFixed(1)} µs`;
}

function printRows(title: string, rows: Row[], c: CResult | undefined, checks: string[]): void {
  console.log(`\n== ${title} ==`);
  if (c) {
    console.log(
      `  ${"C -O3 -march=native".padEnd(28)} ${fmtTime(c.seconds).padStart(10)}  ${c.gflops.toFixed(3).padStart(8)} GFLOP/s`,
    );
  }
  for (const r of rows) {
    const gf = r.flops / r.seconds / 1e9;
    const vsC = c ? `  ${(c.seconds / r.seconds).toFixed(3)}× C` : "";
    console.log(
      `  ${r.label.padEnd(28)} ${fmtTime(r.seconds).padStart(10)}  ${gf.toFixed(3).padStart(8)} GFLOP/s${vsC}${r.note ? `  (${r.note})` : ""}`,
    );
  }
  for (const line of checks) console.log(`  ${line}`);
}

function checksum(v: Float64Array, n = v.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += v[i];
  return s;
}

function agreement(name: string, ours: number, theirs: number): string {
  const rel = Math.abs(ours - theirs) / Math.max(Math.abs(theirs), 1e-300);
  return `checksum ${name}: ${ours.toPrecision(15)} vs ${theirs.toPrecision(15)} (rel. diff ${rel.toExponential(1)}${rel < 1e-9 ? ", ok" : ", MISMATCH"})`;
}

/** A bar of issue 2: a measured ratio against a floor. */
interface Bar {
  what: string;
  floor: number;
  wasm: number | undefined;
  plain: number | undefined;
  against: string;
}

export default async function kernels(args: string[]): Promise<void> {
  const quick = args.includes("--quick");
  const sz = quick ? QUICK : FULL;
  const loaded = loadWasmKernels();
  if (!loaded) {
    console.log(
      "wasm-simd kernel set unavailable on this engine: the benchmark needs it (plain-only runs are not useful here).",
    );
    return;
  }
  const wasm = loaded.kernels;
  const arena = loaded.arena;
  const c = cReference();
  console.log(`sprig kernel benchmark${quick ? " (--quick sizes)" : ""}: Node ${process.version}, ${process.arch}`);
  console.log(
    c.available
      ? "C reference: gcc -O3 -march=native ../shared/bench/kernels_ref.c"
      : `C reference skipped: ${c.reason}`,
  );
  const runC = (a: string[]) => (c.available ? c.run(a) : undefined);
  const f64 = (n: number) => arena.float64(n) ?? new Float64Array(n);
  const i32 = (n: number) => arena.int32(n) ?? new Int32Array(n);
  const bars: Bar[] = [];
  const ratio = (cRes: CResult | undefined, s: number) => (cRes ? cRes.seconds / s : undefined);

  // ---- CSR SpMV ---------------------------------------------------------------------------------
  const math = create(all);
  for (const pattern of ["random", "banded"] as const) {
    const M = sz.spmvRows;
    const N = M;
    let seed = pattern === "random" ? 12345 : 67890;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed / 4294967296;
    };
    const rowPtr = new Int32Array(M + 1);
    const colIdx = new Int32Array(M * sz.nnzPerRow);
    const values = new Float64Array(M * sz.nnzPerRow);
    const rowCols = new Int32Array(sz.nnzPerRow);
    let nnz = 0;
    for (let i = 0; i < M; i++) {
      // Distinct, sorted columns: uniform over all columns, or inside the band |i − j| ≤ band.
      const lo = pattern === "random" ? 0 : Math.max(0, i - sz.band);
      const hi = pattern === "random" ? N - 1 : Math.min(N - 1, i + sz.band);
      let count = 0;
      while (count < sz.nnzPerRow) {
        const j = lo + Math.floor(rand() * (hi - lo + 1));
        if (!rowCols.subarray(0, count).includes(j)) rowCols[count++] = j;
      }
      rowCols.sort();
      for (let q = 0; q < count; q++) {
        colIdx[nnz] = rowCols[q];
        values[nnz++] = rand() - 0.5;
      }
      rowPtr[i + 1] = nnz;
    }
    const x = new Float64Array(N).map(() => rand() - 0.5);
    const dir = join(OUT_DIR, `spmv_${pattern}`);
    let cRes: CResult | undefined;
    if (c.available) {
      writeSpmvInput(dir, M, N, rowPtr, colIdx, values, x);
      cRes = c.run(["spmv", dir, "40"]);
      rmSync(dir, { recursive: true, force: true }); // ~26 MB of input, rewritten on every run
    }
    const yPlain = new Float64Array(M);
    const wRp = i32(M + 1);
    const wCi = i32(nnz);
    const wV = f64(nnz);
    const wX = f64(N);
    const yWasm = f64(M);
    wRp.set(rowPtr);
    wCi.set(colIdx);
    wV.set(values);
    wX.set(x);
    const [tPlain, tWasm] = measure(40, [
      { run: () => plainKernels.dcsrmv(M, N, 1, rowPtr, colIdx, values, x, 1, 0, 0, yPlain, 1, 0) },
      { run: () => wasm.dcsrmv(M, N, 1, wRp, wCi, wV, wX, 1, 0, 0, yWasm, 1, 0) },
    ]);
    // mathjs: CCS storage of the same matrix (a CSR → CSC transpose of the pattern).
    const colPtr = new Array<number>(N + 1).fill(0);
    for (let q = 0; q < nnz; q++) colPtr[colIdx[q] + 1]++;
    for (let j = 0; j < N; j++) colPtr[j + 1] += colPtr[j];
    const next = colPtr.slice();
    const rowIdx = new Array<number>(nnz);
    const ccsValues = new Array<number>(nnz);
    for (let i = 0; i < M; i++) {
      for (let q = rowPtr[i]; q < rowPtr[i + 1]; q++) {
        const d = next[colIdx[q]]++;
        rowIdx[d] = i;
        ccsValues[d] = values[q];
      }
    }
    // mathjs' typings omit the SparseMatrix constructor, which takes CCS arrays directly.
    const SparseMatrix = (math as unknown as { SparseMatrix: new (data: object) => object }).SparseMatrix;
    const S = new SparseMatrix({ values: ccsValues, index: rowIdx, ptr: colPtr, size: [M, N] });
    const xm = math.matrix(Array.from(x));
    let tMath = Number.POSITIVE_INFINITY;
    let yMath: number[] = [];
    for (let rep = 0; rep < 2; rep++) {
      const t0 = performance.now();
      const prod = math.multiply(S as never, xm) as unknown as { toArray(): unknown[] };
      tMath = Math.min(tMath, (performance.now() - t0) / 1000);
      yMath = (prod.toArray() as (number | number[])[]).flat();
    }
    const flops = 2 * nnz;
    const checks = [
      agreement("wasm vs plain", checksum(yWasm), checksum(yPlain)),
      agreement(
        "mathjs vs plain",
        yMath.reduce((a, b) => a + b, 0),
        checksum(yPlain),
      ),
    ];
    if (cRes) checks.push(agreement("wasm vs C", checksum(yWasm), cRes.checksum));
    printRows(
      `CSR SpMV, ${pattern} pattern${pattern === "banded" ? ` (|i−j| ≤ ${sz.band})` : ""}: ${M} × ${N}, ${nnz} nnz`,
      [
        { label: "wasm-simd (arena arrays)", seconds: tWasm, flops, note: `${(tMath / tWasm).toFixed(0)}× mathjs` },
        { label: "plain", seconds: tPlain, flops, note: `${(tMath / tPlain).toFixed(0)}× mathjs` },
        { label: "mathjs sparse (best of 2)", seconds: tMath, flops, note: "too slow for more runs" },
      ],
      cRes,
      checks,
    );
    bars.push({
      what: `SpMV ${pattern}`,
      floor: 0.6,
      wasm: ratio(cRes, tWasm),
      plain: ratio(cRes, tPlain),
      against: "C",
    });
    bars.push({ what: `SpMV ${pattern}`, floor: 20, wasm: tMath / tWasm, plain: tMath / tPlain, against: "mathjs" });
    for (const a of [wRp, wCi, wV, wX, yWasm]) arena.release(a);
  }

  // ---- Dense inputs from the C program's stream -----------------------------------------------
  /** A and B (n × n) exactly as kernels_ref draws them: interleaved A[i], B[i]. */
  const cMatrices = (n: number) => {
    const u = cUniformStream();
    const A = new Float64Array(n * n);
    const B = new Float64Array(n * n);
    for (let i = 0; i < n * n; i++) {
      A[i] = u() - 0.5;
      B[i] = u() - 0.5;
    }
    return { A, B };
  };
  const toMl = (a: Float64Array, rows: number, cols: number) => {
    const m = new Matrix(rows, cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) m.set(i, j, a[i * cols + j]);
    return m;
  };

  // ---- gemv --------------------------------------------------------------------------------------
  {
    const n = sz.gemv;
    const { A, B } = cMatrices(n);
    const x = B.subarray(0, n);
    const cRes = runC(["gemv", String(n), "30"]);
    const wA = f64(n * n);
    const wx = f64(n);
    const wy = f64(n);
    wA.set(A);
    wx.set(x);
    const yPlain = new Float64Array(n);
    const mlA = toMl(A, n, n);
    const mlx = Matrix.columnVector(Array.from(x));
    let yMl: Matrix | undefined;
    const [tPlain, tWasm, tMl] = measure(30, [
      { run: () => plainKernels.dgemv("N", n, n, 1, A, n, 0, x, 1, 0, 0, yPlain, 1, 0) },
      { run: () => wasm.dgemv("N", n, n, 1, wA, n, 0, wx, 1, 0, 0, wy, 1, 0) },
      {
        run: () => {
          yMl = mlA.mmul(mlx);
        },
      },
    ]);
    const flops = 2 * n * n;
    const checks = [agreement("wasm vs plain", checksum(wy), checksum(yPlain))];
    checks.push(agreement("ml-matrix vs plain", yMl ? yMl.sum() : Number.NaN, checksum(yPlain)));
    if (cRes) checks.push(agreement("wasm vs C", checksum(wy), cRes.checksum));
    printRows(
      `gemv y = A·x, ${n} × ${n} row-major`,
      [
        { label: "wasm-simd (arena arrays)", seconds: tWasm, flops, note: `${(tMl / tWasm).toFixed(1)}× ml-matrix` },
        { label: "plain", seconds: tPlain, flops, note: `${(tMl / tPlain).toFixed(1)}× ml-matrix` },
        { label: "ml-matrix mmul", seconds: tMl, flops },
      ],
      cRes,
      checks,
    );
    bars.push({ what: "gemv", floor: 0.6, wasm: ratio(cRes, tWasm), plain: ratio(cRes, tPlain), against: "C" });
    for (const a of [wA, wx, wy]) arena.release(a);
  }

  // ---- gemm --------------------------------------------------------------------------------------
  {
    const n = sz.gemm;
    const { A, B } = cMatrices(n);
    const cRes = runC(["gemm", String(n), "9"]);
    const wA = f64(n * n);
    const wB = f64(n * n);
    const wC = f64(n * n);
    wA.set(A);
    wB.set(B);
    const cPlain = new Float64Array(n * n);
    const [tPlain, tWasm] = measure(9, [
      { run: () => plainKernels.dgemm("N", "N", n, n, n, 1, A, n, 0, B, n, 0, 0, cPlain, n, 0) },
      { run: () => wasm.dgemm("N", "N", n, n, n, 1, wA, n, 0, wB, n, 0, 0, wC, n, 0) },
    ]);
    const mlA = toMl(A, n, n);
    const mlB = toMl(B, n, n);
    let cMl: Matrix | undefined;
    const [tMl] = measure(3, [
      {
        run: () => {
          cMl = mlA.mmul(mlB);
        },
      },
    ]);
    const flops = 2 * n * n * n;
    const checks = [agreement("wasm vs plain", checksum(wC), checksum(cPlain))];
    checks.push(agreement("ml-matrix vs plain", cMl ? cMl.sum() : Number.NaN, checksum(cPlain)));
    if (cRes) checks.push(agreement("wasm vs C", checksum(wC), cRes.checksum));
    printRows(
      `gemm C = A·B, ${n} × ${n}`,
      [
        { label: "wasm-simd (arena arrays)", seconds: tWasm, flops, note: `${(tMl / tWasm).toFixed(1)}× ml-matrix` },
        { label: "plain", seconds: tPlain, flops, note: `${(tMl / tPlain).toFixed(1)}× ml-matrix` },
        { label: "ml-matrix mmul (3 runs)", seconds: tMl, flops },
      ],
      cRes,
      checks,
    );
    bars.push({ what: "gemm", floor: 0.25, wasm: ratio(cRes, tWasm), plain: ratio(cRes, tPlain), against: "C" });
    for (const a of [wA, wB, wC]) arena.release(a);
  }

  // ---- Cholesky ----------------------------------------------------------------------------------
  {
    const n = sz.chol;
    const { A } = cMatrices(n);
    const cRes = runC(["chol", String(n), "7"]);
    // S = A·Aᵀ + n·I, as kernels_ref builds it.
    const S = new Float64Array(n * n);
    plainKernels.dgemm("N", "T", n, n, n, 1, A, n, 0, A, n, 0, 0, S, n, 0);
    for (let i = 0; i < n; i++) S[i * n + i] += n;
    const pA = new Float64Array(n * n);
    const wA = f64(n * n);
    let infoPlain = -1;
    let infoWasm = -1;
    const [tPlain, tWasm] = measure(7, [
      { setup: () => pA.set(S), run: () => (infoPlain = plainKernels.dpotrf("U", n, pA, n, 0)) },
      { setup: () => wA.set(S), run: () => (infoWasm = wasm.dpotrf("U", n, wA, n, 0)) },
    ]);
    const mlS = toMl(S, n, n);
    let mlDiag = Number.NaN;
    const [tMl] = measure(3, [
      {
        run: () => {
          const L = new CholeskyDecomposition(mlS).lowerTriangularMatrix;
          mlDiag = L.diag().reduce((a, b) => a + b, 0);
        },
      },
    ]);
    const diag = (U: Float64Array) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += U[i * n + i];
      return s;
    };
    const flops = (n * n * n) / 3;
    const checks = [`info: plain ${infoPlain}, wasm ${infoWasm} (0 = success)`];
    checks.push(agreement("wasm vs plain (Σ diag U)", diag(wA), diag(pA)));
    checks.push(agreement("ml-matrix vs plain (Σ diag L)", mlDiag, diag(pA)));
    if (cRes) checks.push(agreement("wasm vs C", diag(wA), cRes.checksum));
    printRows(
      `Cholesky A = UᵀU, ${n} × ${n} SPD (flops n³/3)`,
      [
        { label: "wasm-simd (arena arrays)", seconds: tWasm, flops, note: `${(tMl / tWasm).toFixed(1)}× ml-matrix` },
        { label: "plain", seconds: tPlain, flops, note: `${(tMl / tPlain).toFixed(1)}× ml-matrix` },
        { label: "ml-matrix Cholesky (3 runs)", seconds: tMl, flops },
      ],
      cRes,
      checks,
    );
    bars.push({ what: "Cholesky", floor: 0.25, wasm: ratio(cRes, tWasm), plain: ratio(cRes, tPlain), against: "C" });
    arena.release(wA);
  }

  // ---- Kronecker matvec ---------------------------------------------------------------------------
  {
    const K = sz.kronK;
    const n = sz.kronN;
    const len = n ** K;
    const u = cUniformStream();
    const factors = Array.from({ length: K }, () => new Float64Array(n * n).map(() => u() - 0.5));
    const x = new Float64Array(len).map(() => u() - 0.5);
    const cRes = runC(["kron", String(K), String(n), "15"]);
    const dims = new Int32Array(K).fill(n);
    const workLen = kronWorkSize(K, dims, dims);
    const work = new Float64Array(workLen);
    const yPlain = new Float64Array(len);
    const wFactors = factors.map((f) => {
      const w = f64(f.length);
      w.set(f);
      return w;
    });
    const wx = f64(len);
    const wy = f64(len);
    const wWork = f64(workLen);
    wx.set(x);
    const [tPlain, tWasm] = measure(15, [
      { run: () => plainKernels.dkronmv("N", K, dims, dims, factors, x, yPlain, work) },
      { run: () => wasm.dkronmv("N", K, dims, dims, wFactors, wx, wy, wWork) },
    ]);
    const flops = 2 * K * len * n;
    const checks = [agreement("wasm vs plain", checksum(wy), checksum(yPlain))];
    if (cRes) checks.push(agreement("wasm vs C", checksum(wy), cRes.checksum));
    const factorBytes = K * n * n * 8;
    const workBytes = workLen * 8;
    const mib = (b: number) => `${(b / 2 ** 20).toFixed(2)} MiB`;
    checks.push(
      `operator memory: factors ${mib(factorBytes)} + work ${mib(workBytes)} = ${mib(factorBytes + workBytes)} for n = ${len} ` +
        `(${((factorBytes + workBytes) / len).toFixed(1)} bytes per row; the formed ${len} × ${len} matrix would take ` +
        `${((len * len * 8) / 2 ** 30).toFixed(0)} GiB). The wasm set also keeps one shared ${mib(loaded.packingBytes)} GEMM packing buffer.`,
    );
    checks.push(
      "no mathjs / ml-matrix equivalent: neither offers a Kronecker matvec, and forming the product is impossible at this n",
    );
    printRows(
      `Kronecker matvec y = (A₁ ⊗ … ⊗ A_${K})·x, ${K} factors ${n} × ${n} (n = ${len})`,
      [
        { label: "wasm-simd (arena arrays)", seconds: tWasm, flops },
        { label: "plain", seconds: tPlain, flops },
      ],
      cRes,
      checks,
    );
    bars.push({ what: "Kronecker", floor: 0.3, wasm: ratio(cRes, tWasm), plain: ratio(cRes, tPlain), against: "C" });
    for (const a of [...wFactors, wx, wy, wWork]) arena.release(a);
  }

  // ---- Bars --------------------------------------------------------------------------------------
  console.log("\n== Issue 2 bars (the wasm-simd set is the one the runtime selects on this engine) ==");
  for (const b of bars) {
    const verdict = (r: number | undefined) => (r === undefined ? "SKIP" : r >= b.floor ? "PASS" : "FAIL");
    const show = (r: number | undefined) => (r === undefined ? "n/a" : `${r.toFixed(r >= 10 ? 0 : 2)}×`);
    console.log(
      `  ${b.what.padEnd(14)} >= ${String(b.floor).padStart(4)}× ${b.against.padEnd(6)}  wasm-simd ${show(b.wasm).padStart(7)} ${verdict(b.wasm)}` +
        `   | plain ${show(b.plain).padStart(7)} ${verdict(b.plain)}`,
    );
  }
  if (!c.available) console.log(`  (bars against C skipped: ${c.reason})`);
  console.log(
    "  Timings are medians of interleaved runs on a shared machine; single ratios can move by ±20% between runs.",
  );
}

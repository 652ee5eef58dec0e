/**
 * IRS-aided MIMO uplink channel estimation with complex Kronecker-structured SBL, in the spirit
 * of He & Joseph (IEEE TSP 2024, §VI): NMSE of the cascaded channel against SNR for KroSBL-AM,
 * KroSBL-SVD, the coupled (block-sparse) KroSBL and, with --classic, classic complex SBL; a
 * least-squares fit on the true support is the oracle lower bound. The table is printed and an SVG
 * plot is written to examples/em/out/irs_mimo_nmse.svg (with sprig's plots).
 *
 * Model (uniform linear arrays, steering vectors a_N(φ) = e^{jπkφ}/√N on a grid of G cos-angles).
 * A user with N_U antennas sends K₁ pilots X through an IRS with N_I elements to a base station
 * with N_B antennas, with K₂ random ±1 IRS patterns θ_t:
 *
 *     Y_t = H₂ diag(θ_t) H₁ X + N_t,   H₁ = Σ_l α_l a_I(φ_a,l) a_U(φ_u)ᴴ,  H₂ = Σ_l β_l a_B(φ_b,l) a_I(φ_d)ᴴ,
 *
 * with L adjacent grid angles (angle spread) at the IRS arrival and at the base station. Because
 * a_I(φ_d)ᴴ diag(θ) a_I(φ_a) depends on φ_a − φ_d only, stacking vec(Y_t) gives
 *
 *     y = (F₁ ⊗ F₂ ⊗ F₃) x + n,   F₁[t, g] = θ_tᵀ a(ψ_g)/√N_I,  F₂ = Xᵀ conj(A_U),  F₃ = A_B,
 *
 * with x = x_ψ ⊗ x_u ⊗ x_b: a Kronecker product of sparse vectors whose first and last factors
 * hold runs of L neighbours — KroSBL's model, and the coupled prior's.
 *
 * Run: `npx tsx examples/em/irs_mimo.ts [--trials 10] [--classic] [--seed 1]`
 */
import { pathToFileURL } from "node:url";
import { fitSbl } from "../../src/inference/em/index.js";
import type { FitSblOptions, SblMatrix, SblProblem } from "../../src/inference/em/index.js";
import { zkronmv, zkronWorkSize } from "../../src/kernels/kronecker.js";
import { linePlot } from "../../src/plots/index.js";
import { writeSvg } from "../../src/plots/node.js";
import { createRng } from "../../src/runtime/rng/index.js";

/**
 * Settings of one sweep.
 *
 * @example
 * ```ts
 * runIrsMimo({ trials: 3, snrsDb: [0, 10, 20] });
 * ```
 */
export interface IrsMimoOptions {
  /** User antennas (default 4). */
  readonly userAntennas?: number;
  /** Base-station antennas (default 16). */
  readonly bsAntennas?: number;
  /** IRS elements (default 64). */
  readonly irsElements?: number;
  /** Grid points per angle (default 16). */
  readonly grid?: number;
  /** IRS patterns K₂ (default 8). */
  readonly patterns?: number;
  /** Angle spread L in grid points at the IRS arrival and the base station (default 3). */
  readonly spread?: number;
  /** SNRs in dB (default 0, 5, …, 25). */
  readonly snrsDb?: readonly number[];
  /** Random channels per SNR (default 10). */
  readonly trials?: number;
  /** Also run classic complex SBL on the formed dictionary (slow: n = G³ columns). */
  readonly classic?: boolean;
  /** RNG seed (default 1). */
  readonly seed?: number;
  /** Where the SVG goes (default examples/em/out/irs_mimo_nmse.svg; null: no file). */
  readonly svgPath?: string | null;
  /** Where lines go (default console.log). */
  readonly log?: (line: string) => void;
}

/**
 * Mean NMSE (dB) per solver and SNR.
 *
 * @example
 * ```ts
 * const { series } = runIrsMimo({ trials: 1, svgPath: null }); series[0].nmseDb;
 * ```
 */
export interface IrsMimoResult {
  readonly snrsDb: readonly number[];
  readonly series: readonly { readonly name: string; readonly nmseDb: readonly number[] }[];
}

type Rng = ReturnType<typeof createRng>;

/** N × G steering matrix (interleaved complex, row-major) on the grid φ_g = −1 + 2g/G. */
function steering(N: number, G: number, conjugate: boolean): Float64Array {
  const A = new Float64Array(2 * N * G);
  for (let k = 0; k < N; k++) {
    for (let g = 0; g < G; g++) {
      const phase = Math.PI * k * (-1 + (2 * g) / G);
      A[2 * (k * G + g)] = Math.cos(phase) / Math.sqrt(N);
      A[2 * (k * G + g) + 1] = (conjugate ? -1 : 1) * (Math.sin(phase) / Math.sqrt(N));
    }
  }
  return A;
}

/** C = Aᵀ B for complex interleaved A (r × p) and B (r × q): C is p × q. */
function transposeTimes(A: Float64Array, B: Float64Array, r: number, p: number, q: number): Float64Array {
  const C = new Float64Array(2 * p * q);
  for (let i = 0; i < p; i++)
    for (let j = 0; j < q; j++) {
      let re = 0;
      let im = 0;
      for (let k = 0; k < r; k++) {
        const ar = A[2 * (k * p + i)];
        const ai = A[2 * (k * p + i) + 1];
        const br = B[2 * (k * q + j)];
        const bi = B[2 * (k * q + j) + 1];
        re += ar * br - ai * bi;
        im += ar * bi + ai * br;
      }
      C[2 * (i * q + j)] = re;
      C[2 * (i * q + j) + 1] = im;
    }
  return C;
}

/** (F₁ ⊗ F₂ ⊗ F₃) v for interleaved complex factors. */
function kronApply(factors: readonly SblMatrix[], v: Float64Array): Float64Array {
  const rows = Int32Array.from(factors, (f) => f.rows);
  const cols = Int32Array.from(factors, (f) => f.cols);
  const out = new Float64Array(2 * rows.reduce((a, b) => a * b, 1));
  const work = new Float64Array(zkronWorkSize(factors.length, rows, cols));
  zkronmv(
    "N",
    factors.length,
    rows,
    cols,
    factors.map((f) => f.data),
    v,
    out,
    work,
  );
  return out;
}

/** Dense interleaved Kronecker product (for the classic solver and the oracle only). */
function kronDense(factors: readonly SblMatrix[]): SblMatrix {
  let { rows, cols, data } = factors[0];
  for (const B of factors.slice(1)) {
    const out = new Float64Array(2 * rows * B.rows * cols * B.cols);
    const ld = cols * B.cols;
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++)
        for (let p = 0; p < B.rows; p++)
          for (let q = 0; q < B.cols; q++) {
            const ar = data[2 * (i * cols + j)];
            const ai = data[2 * (i * cols + j) + 1];
            const br = B.data[2 * (p * B.cols + q)];
            const bi = B.data[2 * (p * B.cols + q) + 1];
            const o = 2 * ((i * B.rows + p) * ld + j * B.cols + q);
            out[o] = ar * br - ai * bi;
            out[o + 1] = ar * bi + ai * br;
          }
    data = out;
    rows *= B.rows;
    cols *= B.cols;
  }
  return { rows, cols, data };
}

/** Least squares on the true support (normal equations through the real embedding). */
function oracle(A: SblMatrix, y: Float64Array, support: readonly number[]): Float64Array {
  const m = A.rows;
  const n = A.cols;
  const k = support.length;
  // Real embedding of A_S (2m × 2k) and normal equations (2k × 2k), solved by Gaussian elimination.
  const K = 2 * k;
  const N = new Float64Array(K * K);
  const b = new Float64Array(K);
  const col = (i: number, c: number): [number, number] => {
    const j = support[c % k];
    const re = A.data[2 * (i * n + j)];
    const im = A.data[2 * (i * n + j) + 1];
    // Column c < k: [Re; Im]·x_r part; c ≥ k: [−Im; Re]·x_i part.
    return c < k ? [re, im] : [-im, re];
  };
  for (let i = 0; i < m; i++) {
    for (let a = 0; a < K; a++) {
      const [ar, ai] = col(i, a);
      b[a] += ar * y[2 * i] + ai * y[2 * i + 1];
      for (let c = 0; c < K; c++) {
        const [cr, ci] = col(i, c);
        N[a * K + c] += ar * cr + ai * ci;
      }
    }
  }
  for (let c = 0; c < K; c++) {
    let piv = c;
    for (let r = c + 1; r < K; r++) if (Math.abs(N[r * K + c]) > Math.abs(N[piv * K + c])) piv = r;
    for (let j = 0; j < K; j++) [N[c * K + j], N[piv * K + j]] = [N[piv * K + j], N[c * K + j]];
    [b[c], b[piv]] = [b[piv], b[c]];
    for (let r = c + 1; r < K; r++) {
      const f = N[r * K + c] / N[c * K + c];
      for (let j = c; j < K; j++) N[r * K + j] -= f * N[c * K + j];
      b[r] -= f * b[c];
    }
  }
  const z = new Float64Array(K);
  for (let r = K - 1; r >= 0; r--) {
    let s = b[r];
    for (let j = r + 1; j < K; j++) s -= N[r * K + j] * z[j];
    z[r] = s / N[r * K + r];
  }
  const x = new Float64Array(2 * n);
  support.forEach((j, c) => {
    x[2 * j] = z[c];
    x[2 * j + 1] = z[k + c];
  });
  return x;
}

/** One random channel: the dictionary factors, the channel-map factors, x and its support. */
function draw(rng: Rng, o: Required<Omit<IrsMimoOptions, "svgPath" | "log" | "snrsDb">>) {
  const { userAntennas: NU, bsAntennas: NB, irsElements: NI, grid: G, patterns: K2, spread: L } = o;
  const K1 = NU;
  // IRS patterns θ_t ∈ {±1}/√N_I and the cascade factor F₁[t, g] = θ_tᵀ e^{jπkψ_g} / N_I, ψ_g = 2g/G.
  const theta = Float64Array.from({ length: NI * K2 }, () => (rng.uniform() < 0.5 ? -1 : 1) / Math.sqrt(NI));
  const F1 = new Float64Array(2 * K2 * G);
  for (let t = 0; t < K2; t++)
    for (let g = 0; g < G; g++) {
      let re = 0;
      let im = 0;
      for (let k = 0; k < NI; k++) {
        const phase = (Math.PI * k * 2 * g) / G;
        re += theta[k * K2 + t] * Math.cos(phase);
        im += theta[k * K2 + t] * Math.sin(phase);
      }
      F1[2 * (t * G + g)] = re / NI;
      F1[2 * (t * G + g) + 1] = im / NI;
    }
  // Pilots: unit-modulus DFT symbols, X[u, k] = e^{−2πj uk/K₁}; F₂ = Xᵀ conj(A_U).
  const X = new Float64Array(2 * NU * K1);
  for (let u = 0; u < NU; u++)
    for (let k = 0; k < K1; k++) {
      X[2 * (u * K1 + k)] = Math.cos((-2 * Math.PI * u * k) / K1);
      X[2 * (u * K1 + k) + 1] = Math.sin((-2 * Math.PI * u * k) / K1);
    }
  const conjAU = steering(NU, G, true);
  const F2 = transposeTimes(X, conjAU, NU, K1, G);
  const AB = steering(NB, G, false);
  const measure: SblMatrix[] = [
    { rows: K2, cols: G, data: F1 },
    { rows: K1, cols: G, data: F2 },
    { rows: NB, cols: G, data: AB },
  ];
  const channel: SblMatrix[] = [measure[0], { rows: NU, cols: G, data: conjAU }, measure[2]];
  // Angles: L adjacent IRS arrivals and BS arrivals, one IRS departure and one user departure.
  const cgauss = (): [number, number] => [rng.normal() / Math.SQRT2, rng.normal() / Math.SQRT2];
  const pick = () => Math.floor(rng.uniform() * G);
  const sa = pick();
  const sd = pick();
  const su = pick();
  const sb = pick();
  const x1 = new Float64Array(2 * G);
  const x3 = new Float64Array(2 * G);
  const gain = (NI * Math.sqrt(NU * NB)) / L;
  for (let l = 0; l < L; l++) {
    const g = (((sa + l - sd) % G) + G) % G;
    const [ar, ai] = cgauss();
    x1[2 * g] = gain * ar;
    x1[2 * g + 1] = gain * ai;
    const [br, bi] = cgauss();
    x3[2 * ((sb + l) % G)] = br;
    x3[2 * ((sb + l) % G) + 1] = bi;
  }
  const x = new Float64Array(2 * G * G * G);
  const support: number[] = [];
  for (let a = 0; a < G; a++)
    for (let c = 0; c < G; c++) {
      const [pr, pi] = [x1[2 * a], x1[2 * a + 1]];
      const [qr, qi] = [x3[2 * c], x3[2 * c + 1]];
      if ((pr === 0 && pi === 0) || (qr === 0 && qi === 0)) continue;
      const i = (a * G + su) * G + c;
      x[2 * i] = pr * qr - pi * qi;
      x[2 * i + 1] = pr * qi + pi * qr;
      support.push(i);
    }
  support.sort((p, q) => p - q);
  return { measure, channel, x, support };
}

/** ‖a − b‖² / ‖b‖² of interleaved complex vectors. */
function nmse(a: Float64Array, b: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return num / den;
}

/**
 * Runs the SNR sweep, prints the table and writes the SVG plot.
 *
 * @example
 * ```ts
 * const result = runIrsMimo({ trials: 2, snrsDb: [10, 20], svgPath: null });
 * ```
 */
export function runIrsMimo(options: IrsMimoOptions = {}): IrsMimoResult {
  const o = {
    userAntennas: options.userAntennas ?? 4,
    bsAntennas: options.bsAntennas ?? 16,
    irsElements: options.irsElements ?? 64,
    grid: options.grid ?? 16,
    patterns: options.patterns ?? 8,
    spread: options.spread ?? 3,
    trials: options.trials ?? 10,
    classic: options.classic ?? false,
    seed: options.seed ?? 1,
  };
  const snrs = options.snrsDb ?? [0, 5, 10, 15, 20, 25];
  const log = options.log ?? console.log;
  const rng = createRng(o.seed);
  const base: FitSblOptions = { tolerance: 1e-4, maxIterations: 150 };
  const solvers: { name: string; run: (p: SblProblem, dense: () => SblMatrix, support: number[]) => Float64Array }[] = [
    { name: "KroSBL-AM", run: (p) => fitSbl(p, { ...base, algorithm: "krosbl_am" }).mean },
    { name: "KroSBL-SVD", run: (p) => fitSbl(p, { ...base, algorithm: "krosbl_svd" }).mean },
    {
      name: "coupled KroSBL (β = 0.5)",
      run: (p) =>
        fitSbl({ ...p, prior: { kind: "kronecker_ard", coupling: [0.5, 0, 0.5] } }, { ...base, algorithm: "krosbl_am" })
          .mean,
    },
  ];
  if (o.classic) {
    solvers.push({
      name: "classic complex SBL",
      run: (p, dense) => {
        const A = dense();
        const op = {
          rows: A.rows,
          cols: A.cols,
          kind: "complex_dense",
          apply: () => {},
          applyAdjoint: () => {},
          diagGram: () => {},
          toDense: () => A.data,
        };
        return fitSbl({ ...p, A: op }, { ...base, algorithm: "em" }).mean;
      },
    });
  }
  solvers.push({
    name: "oracle LS (true support)",
    run: (p, dense, support) => oracle(dense(), p.y as Float64Array, support),
  });
  const totals = solvers.map(() => snrs.map(() => 0));
  const seconds = solvers.map(() => 0);
  for (let t = 0; t < o.trials; t++) {
    const { measure, channel, x, support } = draw(rng, o);
    const clean = kronApply(measure, x);
    const m = clean.length / 2;
    const power = clean.reduce((s, v) => s + v * v, 0) / m;
    const h = kronApply(channel, x);
    let dense: SblMatrix | undefined;
    const denseOnce = () => {
      dense ??= kronDense(measure);
      return dense;
    };
    const noise = Float64Array.from({ length: 2 * m }, () => rng.normal() / Math.SQRT2);
    snrs.forEach((snr, si) => {
      const variance = power / 10 ** (snr / 10);
      const y = Float64Array.from(clean, (v, i) => v + Math.sqrt(variance) * noise[i]);
      const problem: SblProblem = { A: { factors: measure, complex: true }, y, noise: { variance } };
      solvers.forEach((solver, s) => {
        const t0 = performance.now();
        const xhat = solver.run(problem, denseOnce, support);
        seconds[s] += (performance.now() - t0) / 1000;
        totals[s][si] += nmse(kronApply(channel, xhat), h);
      });
    });
  }
  const series = solvers.map((s, i) => ({
    name: s.name,
    nmseDb: totals[i].map((v) => 10 * Math.log10(v / o.trials)),
  }));
  log(
    `IRS-MIMO channel estimation: N_U = ${o.userAntennas}, N_B = ${o.bsAntennas}, N_I = ${o.irsElements}, ` +
      `grid ${o.grid}³ = ${o.grid ** 3} columns, ${o.patterns} IRS patterns × ${o.userAntennas} pilots ` +
      `(m = ${o.patterns * o.userAntennas * o.bsAntennas}), angle spread ${o.spread}, ${o.trials} channels per SNR`,
  );
  log(`| solver | ${snrs.map((s) => `${s} dB`).join(" | ")} | mean time per solve (s) |`);
  log(`| --- | ${snrs.map(() => "---").join(" | ")} | --- |`);
  series.forEach((s, i) => {
    log(
      `| ${s.name} | ${s.nmseDb.map((v) => v.toFixed(1)).join(" | ")} | ${(seconds[i] / (o.trials * snrs.length)).toFixed(3)} |`,
    );
  });
  const result = { snrsDb: snrs, series };
  const svgPath =
    options.svgPath === undefined ? new URL("./out/irs_mimo_nmse.svg", import.meta.url).pathname : options.svgPath;
  if (svgPath) {
    writeSvg(svgPath, svgPlot(result));
    log(`plot written to ${svgPath}`);
  }
  return result;
}

/**
 * A line plot of NMSE (dB) against SNR (dB) as a standalone SVG document.
 *
 * @example
 * ```ts
 * writeFileSync("nmse.svg", svgPlot({ snrsDb: [0, 10], series: [{ name: "a", nmseDb: [-5, -15] }] }));
 * ```
 */
export function svgPlot(result: IrsMimoResult): string {
  return linePlot(
    result.series.map((s) => ({ name: s.name, x: result.snrsDb, y: s.nmseDb })),
    { title: "NMSE of the estimated cascaded channel against SNR", xLabel: "SNR (dB)", yLabel: "NMSE (dB)" },
  );
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runIrsMimo({
    trials: Number(arg("trials") ?? 10),
    classic: process.argv.includes("--classic"),
    seed: Number(arg("seed") ?? 1),
  });
}

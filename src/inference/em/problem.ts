/**
 * Validation and normalisation of an {@link SblProblem}: every algorithm starts from the same
 * checked, copied description, so that bad input fails once, before any work, with one message.
 *
 * @module
 */
import { CapabilityError, DataError, DomainError, describeValue, ShapeError } from "../../core/errors.js";
import type { ComplexLinearOperator, LinearOperator } from "../../runtime/linear_operator.js";
import type { KroneckerDictionary, SblDictionary, SblGammaPrior, SblMatrix, SblPrior, SblProblem } from "./types.js";

const WHERE = "em-sbl";

/**
 * The prior after validation.
 *
 * @example
 * ```ts
 * if (p.prior.kind === "block_ard") p.prior.blockStarts;
 * ```
 */
export type NormalizedPrior =
  | { readonly kind: "ard" }
  | { readonly kind: "kronecker_ard"; readonly coupling: Float64Array }
  | { readonly kind: "block_ard"; readonly blockStarts: Int32Array; readonly intraCorrelation: boolean }
  | { readonly kind: "pc_sbl"; readonly beta: number; readonly a: number; readonly b: number };

/**
 * A dictionary after validation: dense (row-major, interleaved when complex) or Kronecker factors.
 *
 * @example
 * ```ts
 * if (p.dictionary.kind === "kronecker") p.dictionary.factors.length;
 * ```
 */
export type NormalizedDictionary =
  | { readonly kind: "dense"; readonly data: Float64Array }
  | {
      readonly kind: "kronecker";
      readonly factors: readonly Float64Array[];
      readonly rows: Int32Array;
      readonly cols: Int32Array;
    };

/**
 * A validated problem: sizes, a private copy of y, the noise model and the prior.
 *
 * @example
 * ```ts
 * const p = normalizeProblem({ A, y, noise: { variance: 0.1 } });
 * p.m; p.n; p.complex;
 * ```
 */
export interface NormalizedProblem {
  /** Number of (complex) measurements. */
  readonly m: number;
  /** Number of (complex) coefficients. */
  readonly n: number;
  /** Whether data and dictionary are complex (interleaved). */
  readonly complex: boolean;
  /** Copy of y (m or 2m numbers). */
  readonly y: Float64Array;
  /** Σ|y_i|² / m. */
  readonly yPower: number;
  /** Whether σ² is learned; `variance` is then the starting value. */
  readonly learnNoise: boolean;
  /** Known σ², or the initial value of a learned one. */
  readonly noiseVariance: number;
  /** Gamma prior on the noise precision 1/σ² of a learned σ² (MAP-II update), when given. */
  readonly noisePrior?: SblGammaPrior;
  /** The prior. */
  readonly prior: NormalizedPrior;
  /** The dictionary. */
  readonly dictionary: NormalizedDictionary;
}

function isComplexOperator(a: unknown): a is ComplexLinearOperator {
  return typeof a === "object" && a !== null && typeof (a as ComplexLinearOperator).applyAdjoint === "function";
}

function isRealOperator(a: unknown): a is LinearOperator {
  return typeof a === "object" && a !== null && typeof (a as LinearOperator).applyTranspose === "function";
}

function isKronecker(a: unknown): a is KroneckerDictionary {
  return (
    typeof a === "object" &&
    a !== null &&
    Array.isArray((a as KroneckerDictionary).factors) &&
    !isRealOperator(a) &&
    !isComplexOperator(a)
  );
}

function checkDims(what: string, rows: unknown, cols: unknown): void {
  const ok = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v >= 1;
  if (!ok(rows) || !ok(cols)) {
    throw new ShapeError({
      where: WHERE,
      what: `${what} has invalid dimensions`,
      got: `${describeValue(rows)} × ${describeValue(cols)}`,
      expected: "positive integers",
    });
  }
}

function checkFinite(what: string, data: Float64Array, complex: boolean): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const index = complex ? `${Math.floor(i / 2)} (${i % 2 === 0 ? "re" : "im"})` : `${i}`;
      throw new DataError({
        where: WHERE,
        what: `${what} has a non-finite entry at index ${index}`,
        got: String(data[i]),
        expected: "finite numbers",
        hint: "remove or impute missing observations before fitting.",
      });
    }
  }
}

/** The dense row-major entries of one Kronecker factor. */
function factorData(f: SblMatrix | LinearOperator | ComplexLinearOperator, complex: boolean, d: number): SblMatrix {
  if (isRealOperator(f) || isComplexOperator(f)) {
    if (isComplexOperator(f) !== complex) {
      throw new ShapeError({
        where: WHERE,
        what: `Kronecker factor ${d} is ${complex ? "real" : "complex"} but the dictionary is ${complex ? "complex" : "real"}`,
        hint: `set 'complex: ${!complex}' on the dictionary or pass matching factors.`,
      });
    }
    checkDims(`Kronecker factor ${d}`, f.rows, f.cols);
    return { rows: f.rows, cols: f.cols, data: f.toDense() };
  }
  const mat = f as SblMatrix;
  checkDims(`Kronecker factor ${d}`, mat.rows, mat.cols);
  const expected = (complex ? 2 : 1) * mat.rows * mat.cols;
  if (!(mat.data instanceof Float64Array) || mat.data.length !== expected) {
    throw new ShapeError({
      where: WHERE,
      what: `Kronecker factor ${d} has the wrong number of entries`,
      got: mat.data instanceof Float64Array ? String(mat.data.length) : describeValue(mat.data),
      expected: `${expected} (${complex ? "2 · " : ""}${mat.rows} · ${mat.cols}, row-major${complex ? ", interleaved" : ""})`,
    });
  }
  return mat;
}

function normalizeDictionary(A: SblDictionary): {
  m: number;
  n: number;
  complex: boolean;
  dictionary: NormalizedDictionary;
} {
  if (isKronecker(A)) {
    const complex = A.complex === true;
    if (A.factors.length === 0) {
      throw new ShapeError({
        where: WHERE,
        what: "a Kronecker dictionary needs at least one factor",
        got: "0 factors",
      });
    }
    const mats = A.factors.map((f, d) => factorData(f, complex, d));
    const rows = Int32Array.from(mats, (f) => f.rows);
    const cols = Int32Array.from(mats, (f) => f.cols);
    const factors = mats.map((f) => Float64Array.from(f.data));
    factors.forEach((f, d) => {
      checkFinite(`Kronecker factor ${d}`, f, complex);
    });
    const m = rows.reduce((a, b) => a * b, 1);
    const n = cols.reduce((a, b) => a * b, 1);
    return { m, n, complex, dictionary: { kind: "kronecker", factors, rows, cols } };
  }
  if (isComplexOperator(A) || isRealOperator(A)) {
    const complex = isComplexOperator(A);
    checkDims("the dictionary", A.rows, A.cols);
    const data = A.toDense();
    const expected = (complex ? 2 : 1) * A.rows * A.cols;
    if (data.length !== expected) {
      throw new ShapeError({
        where: WHERE,
        what: "the dictionary's toDense() has the wrong length",
        got: String(data.length),
        expected: String(expected),
      });
    }
    checkFinite("the dictionary", data, complex);
    return { m: A.rows, n: A.cols, complex, dictionary: { kind: "dense", data: Float64Array.from(data) } };
  }
  throw new ShapeError({
    where: WHERE,
    what: "'A' is not a dictionary",
    got: describeValue(A),
    expected: "a LinearOperator, a ComplexLinearOperator or { factors: [...] }",
  });
}

function normalizePrior(prior: SblPrior | undefined, dict: NormalizedDictionary, n: number): NormalizedPrior {
  if (prior === undefined || prior === "ard" || (typeof prior === "object" && prior.kind === "ard")) {
    return { kind: "ard" };
  }
  switch (prior.kind) {
    case "kronecker_ard": {
      if (dict.kind !== "kronecker") {
        throw new CapabilityError({
          where: WHERE,
          what: "the kronecker_ard prior needs a Kronecker-structured dictionary",
          got: "a dense or sparse operator",
          hint: "pass A as { factors: [A1, A2, ...] } or use the 'ard' prior.",
        });
      }
      const D = dict.cols.length;
      if (prior.dims !== undefined) {
        const same = prior.dims.length === D && prior.dims.every((v, d) => v === dict.cols[d]);
        if (!same) {
          throw new ShapeError({
            where: WHERE,
            what: "kronecker_ard dims do not match the dictionary factors",
            got: `[${prior.dims.join(", ")}]`,
            expected: `[${Array.from(dict.cols).join(", ")}]`,
          });
        }
      }
      const coupling = new Float64Array(D);
      if (prior.coupling !== undefined) {
        if (prior.coupling.length !== D) {
          throw new ShapeError({
            where: WHERE,
            what: "kronecker_ard coupling needs one value per factor",
            got: String(prior.coupling.length),
            expected: String(D),
          });
        }
        prior.coupling.forEach((c, d) => {
          if (!(c >= 0 && c < 1)) {
            throw new DomainError({
              where: WHERE,
              what: `kronecker_ard coupling of factor ${d} out of range`,
              got: String(c),
              expected: "a number in [0, 1)",
            });
          }
          coupling[d] = c;
        });
      }
      return { kind: "kronecker_ard", coupling };
    }
    case "block_ard": {
      const sizes = prior.blockSizes;
      const starts = new Int32Array(sizes.length + 1);
      let total = 0;
      for (let b = 0; b < sizes.length; b++) {
        const s = sizes[b];
        if (!Number.isInteger(s) || s < 1) {
          throw new ShapeError({
            where: WHERE,
            what: `block size ${b} is invalid`,
            got: describeValue(s),
            expected: "a positive integer",
          });
        }
        starts[b] = total;
        total += s;
      }
      starts[sizes.length] = total;
      if (total !== n) {
        throw new ShapeError({
          where: WHERE,
          what: "block sizes do not add up to the number of coefficients",
          got: String(total),
          expected: String(n),
        });
      }
      return { kind: "block_ard", blockStarts: starts, intraCorrelation: prior.intraCorrelation === true };
    }
    case "pc_sbl": {
      const a = prior.a ?? 0.5;
      const b = prior.b ?? 1e-10;
      if (!(prior.beta >= 0 && Number.isFinite(prior.beta)) || !(a > 0 && Number.isFinite(a)) || !(b > 0)) {
        throw new DomainError({
          where: WHERE,
          what: "pc_sbl parameters out of range",
          got: `beta = ${prior.beta}, a = ${a}, b = ${b}`,
          expected: "beta ≥ 0, a > 0, b > 0",
        });
      }
      return { kind: "pc_sbl", beta: prior.beta, a, b };
    }
    default:
      throw new DomainError({
        where: WHERE,
        what: "unknown prior",
        got: describeValue((prior as { kind?: unknown }).kind),
        expected: "'ard', 'kronecker_ard', 'block_ard' or 'pc_sbl'",
      });
  }
}

/**
 * Checks a problem and returns the normalised, copied description every kernel works on.
 *
 * @throws ShapeError when y's length does not match the dictionary, or block sizes/dims are wrong;
 *   DataError for non-finite y or dictionary entries; DomainError for a known noise variance that
 *   is not positive; CapabilityError for a kronecker_ard prior on a non-Kronecker dictionary.
 * @example
 * ```ts
 * const p = normalizeProblem({ A: { factors: [A1, A2] }, y, noise: { variance: 0.01 } });
 * ```
 */
export function normalizeProblem(problem: SblProblem): NormalizedProblem {
  if (typeof problem !== "object" || problem === null) {
    throw new ShapeError({ where: WHERE, what: "the problem must be an object", got: describeValue(problem) });
  }
  const { m, n, complex, dictionary } = normalizeDictionary(problem.A);
  const rawY = problem.y;
  if (!(rawY instanceof Float64Array) && !Array.isArray(rawY)) {
    throw new DataError({
      where: WHERE,
      what: "'y' must be a Float64Array or an array of numbers",
      got: describeValue(rawY),
    });
  }
  const y = Float64Array.from(rawY as ArrayLike<number>);
  const expectedY = complex ? 2 * m : m;
  if (y.length !== expectedY) {
    throw new ShapeError({
      where: WHERE,
      what: `'y' does not match the dictionary's ${m} rows`,
      got: `length ${y.length}`,
      expected: complex ? `${expectedY} (interleaved re, im)` : String(expectedY),
      hint: "check the orientation of A (rows = measurements, columns = coefficients).",
    });
  }
  checkFinite("'y'", y, complex);
  let power = 0;
  for (let i = 0; i < y.length; i++) power += y[i] * y[i];
  const yPower = power / m;
  const noise = problem.noise ?? "learn";
  let learnNoise: boolean;
  let noiseVariance: number;
  let noisePrior: SblGammaPrior | undefined;
  if (noise === "learn" || (typeof noise === "object" && "learn" in noise)) {
    learnNoise = true;
    const initial = typeof noise === "object" ? noise.initialVariance : undefined;
    if (initial !== undefined && !(initial > 0 && Number.isFinite(initial))) {
      throw new DomainError({
        where: WHERE,
        what: "the initial noise variance must be positive",
        got: String(initial),
        expected: "a finite number > 0",
      });
    }
    noiseVariance = initial ?? 0.01 * yPower;
    const prior = typeof noise === "object" ? noise.precisionPrior : undefined;
    if (prior !== undefined) {
      const ok = (v: unknown) => typeof v === "number" && v > 0 && Number.isFinite(v);
      if (!ok(prior.shape) || !ok(prior.rate)) {
        throw new DomainError({
          where: WHERE,
          what: "the noise precision prior needs a positive shape and rate",
          got: `shape = ${describeValue(prior?.shape)}, rate = ${describeValue(prior?.rate)}`,
          expected: "finite numbers > 0",
        });
      }
      noisePrior = { shape: prior.shape, rate: prior.rate };
    }
  } else if (typeof noise === "object" && typeof noise.variance === "number") {
    learnNoise = false;
    noiseVariance = noise.variance;
    if (!(noiseVariance > 0 && Number.isFinite(noiseVariance))) {
      throw new DomainError({
        where: WHERE,
        what: "the noise variance must be positive",
        got: String(noiseVariance),
        expected: "a finite number > 0",
        hint: "for (nearly) noiseless data give a small variance, e.g. 1e-8 · mean(y²), or noise: 'learn'.",
      });
    }
  } else {
    throw new DomainError({
      where: WHERE,
      what: "unknown noise model",
      got: describeValue(noise),
      expected: "{ variance: number } or 'learn'",
    });
  }
  const prior = normalizePrior(problem.prior, dictionary, n);
  return {
    m,
    n,
    complex,
    y,
    yPower,
    learnNoise,
    noiseVariance,
    ...(noisePrior ? { noisePrior } : {}),
    prior,
    dictionary,
  };
}

/**
 * The dictionary as one dense row-major matrix (m × n; 2·m·n interleaved when complex), forming
 * the Kronecker product when the dictionary is given by factors.
 *
 * @example
 * ```ts
 * const A = denseDictionary(normalizeProblem(problem)); // m·n numbers
 * ```
 */
export function denseDictionary(p: NormalizedProblem): Float64Array {
  const dict = p.dictionary;
  if (dict.kind === "dense") return dict.data;
  const c = p.complex ? 2 : 1;
  let data = Float64Array.from(dict.factors[0]);
  let r = dict.rows[0];
  let k = dict.cols[0];
  for (let d = 1; d < dict.factors.length; d++) {
    const B = dict.factors[d];
    const rb = dict.rows[d];
    const kb = dict.cols[d];
    const out = new Float64Array(c * r * rb * k * kb);
    const ldo = k * kb;
    for (let i = 0; i < r; i++) {
      for (let j = 0; j < k; j++) {
        const ar = data[c * (i * k + j)];
        const ai = c === 2 ? data[c * (i * k + j) + 1] : 0;
        for (let p = 0; p < rb; p++) {
          const rowOut = (i * rb + p) * ldo + j * kb;
          for (let q = 0; q < kb; q++) {
            const src = c * (p * kb + q);
            const dst = c * (rowOut + q);
            if (c === 1) {
              out[dst] = ar * B[src];
            } else {
              const br = B[src];
              const bi = B[src + 1];
              out[dst] = ar * br - ai * bi;
              out[dst + 1] = ar * bi + ai * br;
            }
          }
        }
      }
    }
    data = out;
    r *= rb;
    k *= kb;
  }
  return data;
}

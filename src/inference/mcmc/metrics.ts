import { DomainError, describeValue, ShapeError } from "../../core/errors.js";
import type { Rng } from "../../core/rng.js";
import { dpotrf } from "../../kernels/cholesky.js";

/**
 * The Euclidean metric families: identity, diagonal or dense inverse mass matrix.
 *
 * @example
 * ```ts
 * const kind: MetricKind = "diag";
 * ```
 */
export type MetricKind = "unit" | "diag" | "dense";

/**
 * A Euclidean–Gaussian kinetic energy K(p) = ½·pᵀM⁻¹p with momentum p ~ N(0, M), as three
 * operations on caller-owned buffers. Built once per inverse mass matrix; never allocates.
 *
 * @example
 * ```ts
 * const metric = buildMetric("diag", 2, new Float64Array([1, 4]));
 * const p = new Float64Array(2);
 * metric.sampleMomentum(rng, p);
 * ```
 */
export interface Metric {
  /** Which family this metric belongs to. */
  readonly kind: MetricKind;
  /** Length of p. */
  readonly dimension: number;
  /** Writes a draw p ~ N(0, M) into `out`. */
  sampleMomentum(rng: Rng, out: Float64Array): void;
  /** Writes the velocity p♯ = M⁻¹p = ∂K/∂p into `out` (`out` must not alias `p`). */
  velocity(p: Float64Array, out: Float64Array): void;
  /** K(p) = ½·pᵀM⁻¹p. */
  kineticEnergy(p: Float64Array): number;
}

/**
 * Builds the metric for an inverse mass matrix: ignored for `unit`; the diagonal (length d) for
 * `diag`; the full symmetric positive-definite matrix (d·d, row-major) for `dense`, which is
 * factorised once here (M⁻¹ = UᵀU; momenta are drawn as p = U⁻¹z). The arrays are copied.
 *
 * @example
 * ```ts
 * const metric = buildMetric("dense", 2, new Float64Array([2, 0.5, 0.5, 1]));
 * metric.kineticEnergy(new Float64Array([1, 0])); // 1 = ½·2
 * ```
 */
export function buildMetric(kind: MetricKind, dimension: number, inverseMassMatrix?: Float64Array): Metric {
  switch (kind) {
    case "unit":
      return new UnitMetric(dimension);
    case "diag":
      return new DiagMetric(dimension, checkedLength(inverseMassMatrix, dimension, "d"));
    case "dense":
      return new DenseMetric(dimension, checkedLength(inverseMassMatrix, dimension * dimension, "d·d"));
    default:
      throw new DomainError({
        where: "metric",
        what: "unknown metric kind",
        got: describeValue(kind),
        expected: "'unit', 'diag' or 'dense'",
      });
  }
}

/**
 * The identity inverse mass matrix of a metric kind: ones (diag), the identity (dense), or an
 * empty array (unit).
 *
 * @example
 * ```ts
 * identityInverseMassMatrix("diag", 3); // Float64Array [1, 1, 1]
 * ```
 */
export function identityInverseMassMatrix(kind: MetricKind, dimension: number): Float64Array {
  if (kind === "unit") return new Float64Array(0);
  if (kind === "diag") return new Float64Array(dimension).fill(1);
  const m = new Float64Array(dimension * dimension);
  for (let i = 0; i < dimension; i++) m[i * dimension + i] = 1;
  return m;
}

function checkedLength(m: Float64Array | undefined, length: number, what: string): Float64Array {
  if (m === undefined || m.length !== length) {
    throw new ShapeError({
      where: "metric",
      what: "inverse mass matrix has the wrong size",
      got: m === undefined ? "none" : String(m.length),
      expected: `${length} (${what})`,
    });
  }
  return m;
}

// Metrics are classes, not object literals of closures: a kernel builds a new metric at every
// adaptation window, and shared prototype methods keep V8's call sites monomorphic across them.
class UnitMetric implements Metric {
  readonly kind = "unit" as const;
  constructor(readonly dimension: number) {}

  sampleMomentum(rng: Rng, out: Float64Array): void {
    for (let i = 0; i < this.dimension; i++) out[i] = rng.normal();
  }

  velocity(p: Float64Array, out: Float64Array): void {
    out.set(p);
  }

  kineticEnergy(p: Float64Array): number {
    let s = 0;
    for (let i = 0; i < this.dimension; i++) s += p[i] * p[i];
    return 0.5 * s;
  }
}

class DiagMetric implements Metric {
  readonly kind = "diag" as const;
  private readonly inv: Float64Array;
  private readonly massSqrt: Float64Array;

  constructor(
    readonly dimension: number,
    diagonal: Float64Array,
  ) {
    this.inv = Float64Array.from(diagonal);
    this.massSqrt = new Float64Array(dimension);
    for (let i = 0; i < dimension; i++) {
      const v = this.inv[i];
      if (!(v > 0) || !Number.isFinite(v)) {
        throw new DomainError({
          where: "metric",
          what: `diagonal inverse mass matrix entry ${i} must be positive and finite`,
          got: String(v),
          expected: "a value in (0, ∞)",
        });
      }
      this.massSqrt[i] = 1 / Math.sqrt(v);
    }
  }

  sampleMomentum(rng: Rng, out: Float64Array): void {
    const massSqrt = this.massSqrt;
    for (let i = 0; i < this.dimension; i++) out[i] = massSqrt[i] * rng.normal();
  }

  velocity(p: Float64Array, out: Float64Array): void {
    const inv = this.inv;
    for (let i = 0; i < this.dimension; i++) out[i] = inv[i] * p[i];
  }

  kineticEnergy(p: Float64Array): number {
    const inv = this.inv;
    let s = 0;
    for (let i = 0; i < this.dimension; i++) s += inv[i] * p[i] * p[i];
    return 0.5 * s;
  }
}

class DenseMetric implements Metric {
  readonly kind = "dense" as const;
  private readonly inv: Float64Array;
  // M⁻¹ = UᵀU; momenta p = U⁻¹z have Cov(p) = U⁻¹U⁻ᵀ = (UᵀU)⁻¹ = M.
  private readonly upper: Float64Array;
  private readonly z: Float64Array;
  private readonly scratch: Float64Array;

  constructor(
    readonly dimension: number,
    matrix: Float64Array,
  ) {
    const d = dimension;
    this.inv = Float64Array.from(matrix);
    const inv = this.inv;
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < i; j++) {
        const a = inv[i * d + j];
        const b = inv[j * d + i];
        if (!(Math.abs(a - b) <= 1e-12 * (Math.abs(a) + Math.abs(b)) + 1e-300)) {
          throw new DomainError({
            where: "metric",
            what: `dense inverse mass matrix must be symmetric; entries (${i}, ${j}) and (${j}, ${i}) differ`,
            got: `${a} vs ${b}`,
          });
        }
      }
    }
    this.upper = Float64Array.from(inv);
    const info = dpotrf("U", d, this.upper, d);
    if (info !== 0) {
      throw new DomainError({
        where: "metric",
        what: "dense inverse mass matrix is not positive definite",
        got: `pivot ${info} = ${this.upper[(info - 1) * d + info - 1]}`,
        expected: "a symmetric positive-definite matrix",
        hint: "use metric 'diag', or a longer warm-up so that the covariance estimate is well conditioned.",
      });
    }
    this.z = new Float64Array(d);
    this.scratch = new Float64Array(d);
  }

  sampleMomentum(rng: Rng, out: Float64Array): void {
    const d = this.dimension;
    const upper = this.upper;
    const z = this.z;
    for (let i = 0; i < d; i++) z[i] = rng.normal();
    // Back substitution Up = z along contiguous rows of U.
    for (let i = d - 1; i >= 0; i--) {
      const row = i * d;
      let s = z[i];
      for (let k = i + 1; k < d; k++) s -= upper[row + k] * out[k];
      out[i] = s / upper[row + i];
    }
  }

  velocity(p: Float64Array, out: Float64Array): void {
    symv(this.inv, this.dimension, p, out);
  }

  kineticEnergy(p: Float64Array): number {
    const scratch = this.scratch;
    symv(this.inv, this.dimension, p, scratch);
    let total = 0;
    for (let i = 0; i < this.dimension; i++) total += p[i] * scratch[i];
    return 0.5 * total;
  }
}

/** out = A·x for a row-major d × d matrix; four accumulators break the add dependency chain. */
function symv(a: Float64Array, d: number, x: Float64Array, out: Float64Array): void {
  const d4 = d - (d % 4);
  for (let i = 0; i < d; i++) {
    const row = i * d;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let j = 0;
    for (; j < d4; j += 4) {
      s0 += a[row + j] * x[j];
      s1 += a[row + j + 1] * x[j + 1];
      s2 += a[row + j + 2] * x[j + 2];
      s3 += a[row + j + 3] * x[j + 3];
    }
    for (; j < d; j++) s0 += a[row + j] * x[j];
    out[i] = s0 + s1 + (s2 + s3);
  }
}

/**
 * A memo of {@link buildMetric} keyed by the identity of the inverse mass matrix array, so that a
 * kernel stepped with the same params refactorises nothing. Treat the arrays as immutable: a
 * matrix changed in place is not noticed.
 *
 * @example
 * ```ts
 * const metricFor = createMetricCache("dense", 2);
 * const m = metricFor(inverseMassMatrix); // factorised once
 * metricFor(inverseMassMatrix) === m; // true
 * ```
 */
export function createMetricCache(
  kind: MetricKind,
  dimension: number,
): (inverseMassMatrix: Float64Array | undefined) => Metric {
  if (kind === "unit") {
    const unit = buildMetric("unit", dimension);
    return () => unit;
  }
  let lastMatrix: Float64Array | undefined;
  let lastMetric: Metric | undefined;
  return (inverseMassMatrix) => {
    if (lastMetric === undefined || inverseMassMatrix !== lastMatrix) {
      lastMetric = buildMetric(kind, dimension, inverseMassMatrix);
      lastMatrix = inverseMassMatrix;
    }
    return lastMetric;
  };
}

/**
 * Stan's stopping rule for ADVI: every `evalElbo` iterations the ELBO is estimated afresh, the
 * relative change |ELBO_now − ELBO_prev| / |ELBO_now| goes into a circular buffer, and the run
 * stops when the mean or the median of the buffer falls below `tolRelObj`.
 *
 * @module
 */

/**
 * Why a convergence check stopped: the buffer mean or median fell below the tolerance.
 *
 * @example
 * ```ts
 * const why: ConvergenceReason = "median";
 * ```
 */
export type ConvergenceReason = "mean" | "median";

/**
 * The relative-ELBO-change rule with a circular buffer of the last `windowSize` changes.
 *
 * @example
 * ```ts
 * const rule = new RelativeElboRule(0.01, 10);
 * rule.push(-1000); // undefined: no previous value yet
 * rule.push(-999.99); // "mean"
 * ```
 */
export class RelativeElboRule {
  private readonly changes: Float64Array;
  private readonly sorted: Float64Array;
  private count = 0;
  private next = 0;
  private previous = Number.NaN;

  /**
   * @param tolerance relative-change threshold (Stan's `tol_rel_obj`, default there 0.01)
   * @param windowSize buffer length (Stan: max(0.1 · maxIterations / evalElbo, 2))
   */
  constructor(
    readonly tolerance: number,
    readonly windowSize: number,
  ) {
    this.changes = new Float64Array(windowSize);
    this.sorted = new Float64Array(windowSize);
  }

  /** Mean of the buffered relative changes (NaN when empty). */
  get mean(): number {
    if (this.count === 0) return Number.NaN;
    let s = 0;
    for (let i = 0; i < this.count; i++) s += this.changes[i];
    return s / this.count;
  }

  /** Median of the buffered relative changes (NaN when empty). */
  get median(): number {
    const n = this.count;
    if (n === 0) return Number.NaN;
    const view = this.sorted.subarray(0, n);
    view.set(this.changes.subarray(0, n));
    view.sort();
    return n % 2 === 1 ? view[(n - 1) / 2] : 0.5 * (view[n / 2 - 1] + view[n / 2]);
  }

  /** The ELBO last pushed (NaN before the first push). */
  get last(): number {
    return this.previous;
  }

  /**
   * Records a new ELBO estimate and reports whether the rule is met. The first value only sets
   * the reference point.
   */
  push(elbo: number): ConvergenceReason | undefined {
    const previous = this.previous;
    this.previous = elbo;
    if (Number.isNaN(previous)) return undefined;
    this.changes[this.next] = Math.abs((elbo - previous) / elbo);
    this.next = (this.next + 1) % this.windowSize;
    if (this.count < this.windowSize) this.count++;
    if (this.mean < this.tolerance) return "mean";
    if (this.median < this.tolerance) return "median";
    return undefined;
  }

  /** Sets the reference point without recording a change (after a rollback to an earlier state). */
  resetReference(elbo: number): void {
    this.previous = elbo;
  }
}

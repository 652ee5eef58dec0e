import { checkInteger } from "../mcmc/kernel_support.js";

/**
 * Sizes of Stan's warm-up phases, in iterations.
 *
 * @example
 * ```ts
 * const sizes: WindowScheduleOptions = { initBuffer: 75, baseWindow: 25, termBuffer: 50 };
 * ```
 */
export interface WindowScheduleOptions {
  /** Fast phase I: step size only, while the chain finds the typical set (default 75). */
  readonly initBuffer?: number;
  /** Length of the first slow window; each later window doubles (default 25). */
  readonly baseWindow?: number;
  /** Fast phase III: step size only, with the final metric (default 50). */
  readonly termBuffer?: number;
}

/**
 * The warm-up plan as data: which iterations feed the (co)variance estimator and after which
 * iteration each estimate is installed. Windows are half-open `[start, end)`.
 *
 * @example
 * ```ts
 * buildWindowSchedule(1000).windows;
 * // [{start: 75, end: 100}, {start: 100, end: 150}, {start: 150, end: 250},
 * //  {start: 250, end: 450}, {start: 450, end: 950}]
 * ```
 */
export interface WindowSchedule {
  /** Total warm-up iterations. */
  readonly numWarmup: number;
  /** Iterations before the first window (after any shrinking for short warm-ups). */
  readonly initBuffer: number;
  /** Iterations after the last window. */
  readonly termBuffer: number;
  /** Slow windows in order; empty when the warm-up is too short to adapt a metric. */
  readonly windows: readonly { readonly start: number; readonly end: number }[];
}

/**
 * Stan's windowed adaptation schedule:
 *
 * ```
 *  iteration 0                                                       numWarmup
 *  |-- init buffer --|- w -|--- 2w ---|------ 4w ------|…|-- last --|-- term --|
 *     step size only     metric windows (each also restarts step size)  step size only
 * ```
 *
 * Windows start at `baseWindow` and double; a window after the first is stretched to the
 * terminal buffer when the next doubling would not fit. If the three default phases do not fit in `numWarmup`,
 * the buffers become 15% and 10% of it and the single window takes the rest; below 20
 * iterations there is no metric window at all (only the step size adapts), as in Stan.
 *
 * @example
 * ```ts
 * buildWindowSchedule(100).windows; // [{ start: 15, end: 90 }]
 * ```
 */
export function buildWindowSchedule(numWarmup: number, options: WindowScheduleOptions = {}): WindowSchedule {
  checkInteger("windowSchedule", "numWarmup", numWarmup, 0);
  let initBuffer = options.initBuffer ?? 75;
  let termBuffer = options.termBuffer ?? 50;
  let baseWindow = options.baseWindow ?? 25;
  checkInteger("windowSchedule", "initBuffer", initBuffer, 0);
  checkInteger("windowSchedule", "termBuffer", termBuffer, 0);
  checkInteger("windowSchedule", "baseWindow", baseWindow, 1);
  if (numWarmup < 20) return { numWarmup, initBuffer: numWarmup, termBuffer: 0, windows: [] };
  if (initBuffer + baseWindow + termBuffer > numWarmup) {
    initBuffer = Math.floor(0.15 * numWarmup);
    termBuffer = Math.floor(0.1 * numWarmup);
    baseWindow = numWarmup - (initBuffer + termBuffer);
  }
  const lastEnd = numWarmup - termBuffer; // exclusive end of the slow phase
  const windows: { start: number; end: number }[] = [];
  let start = initBuffer;
  let size = baseWindow;
  while (start < lastEnd) {
    let end = start + size;
    // Stretch a later window to the terminal buffer when the next (doubled) one would not fit;
    // the first window keeps its size, as in Stan.
    if (windows.length > 0 && end + 2 * size > lastEnd) end = lastEnd;
    windows.push({ start, end });
    start = end;
    size *= 2;
  }
  return { numWarmup, initBuffer, termBuffer, windows };
}

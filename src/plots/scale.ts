/**
 * Scales: maps from data values to pixels, with "nice" tick values (multiples of 1, 2 or 5 times
 * a power of ten on linear scales; powers of ten, then 2× and 5× them, on log scales) and domains
 * widened to whole ticks.
 *
 * @module
 */
import { DomainError, describeValue } from "../core/errors.js";
import { formatTick } from "./format.js";

/**
 * A tick: where it goes (a data value) and what it says.
 *
 * @example
 * ```ts
 * const tick: TickValue = { value: 0.5, label: "0.5" };
 * ```
 */
export interface TickValue {
  readonly value: number;
  readonly label: string;
}

/**
 * A map from a data interval (`domain`) onto a pixel interval (`range`; may run downwards, as a
 * y axis does).
 *
 * @example
 * ```ts
 * const x = linearScale([0, 10], [40, 340]);
 * x.map(5); // 190
 * x.ticks(5).map((t) => t.label); // ["0", "2", "4", "6", "8", "10"]
 * ```
 */
export interface Scale {
  /** How values are spaced. */
  readonly type: "linear" | "log";
  /** The data interval [d0, d1] (d0 < d1). */
  readonly domain: readonly [number, number];
  /** The pixel interval the domain maps onto (range[0] ← domain[0]). */
  readonly range: readonly [number, number];
  /** The pixel position of `value`; NaN where the scale is undefined (non-finite, or ≤ 0 on a log scale). */
  map(value: number): number;
  /** About `count` nice ticks inside the domain, with labels. */
  ticks(count?: number): readonly TickValue[];
  /** The same scale with its domain widened to whole ticks. */
  nice(count?: number): Scale;
}

function checkDomain(where: string, domain: readonly [number, number], positive: boolean): void {
  const [a, b] = domain;
  if (!Number.isFinite(a) || !Number.isFinite(b) || !(a < b) || (positive && !(a > 0))) {
    throw new DomainError({
      where,
      what: "invalid domain",
      got: describeValue([a, b]),
      expected: positive ? "finite 0 < d0 < d1" : "finite d0 < d1",
      hint: "give a domain with distinct ends, or let the figure derive it from the data.",
    });
  }
}

function checkRange(where: string, range: readonly [number, number]): void {
  if (!Number.isFinite(range[0]) || !Number.isFinite(range[1])) {
    throw new DomainError({ where, what: "invalid range", got: describeValue(range), expected: "two finite numbers" });
  }
}

/**
 * The nice step for about `count` ticks across [lo, hi]: 1, 2 or 5 times a power of ten.
 *
 * @example
 * ```ts
 * tickStep(0, 1, 5); // 0.2
 * tickStep(0, 1000, 4); // 200
 * ```
 */
export function tickStep(lo: number, hi: number, count = 5): number {
  const raw = Math.abs(hi - lo) / Math.max(1, Math.round(count));
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const exponent = Math.floor(Math.log10(raw));
  const power = Number(`1e${exponent}`);
  const r = raw / power;
  // Thresholds at the geometric midpoints between 1, 2, 5 and 10.
  const m = r < Math.SQRT2 ? 1 : r < Math.sqrt(10) ? 2 : r < Math.sqrt(50) ? 5 : 10;
  return Number(`${m}e${exponent}`);
}

/** k·step computed so that decimal steps give the double nearest the decimal (3 × 0.1 → 0.3). */
function multiple(k: number, step: number): number {
  // `+ 0` turns −0 (from Math.ceil(−0.3) and the like) into 0.
  if (step >= 1) return k * step + 0;
  const inverse = Math.round(1 / step);
  return (Math.abs(inverse * step - 1) < 1e-12 ? k / inverse : k * step) + 0;
}

/**
 * Nice tick values inside [lo, hi]: every multiple of {@link tickStep} in the interval.
 *
 * @example
 * ```ts
 * linearTicks(-0.3, 1.1, 5); // [-0.2, 0, 0.2, 0.4, 0.6, 0.8, 1]
 * ```
 */
export function linearTicks(lo: number, hi: number, count = 5): number[] {
  const step = tickStep(lo, hi, count);
  const k0 = Math.ceil(lo / step - 1e-9);
  const k1 = Math.floor(hi / step + 1e-9);
  const out: number[] = [];
  for (let k = k0; k <= k1; k++) out.push(multiple(k, step));
  return out;
}

/**
 * [lo, hi] widened outwards to multiples of the tick step (re-derived until stable, since
 * widening can change the step).
 *
 * @example
 * ```ts
 * niceDomain(0.13, 9.7); // [0, 10]
 * ```
 */
export function niceDomain(lo: number, hi: number, count = 5): [number, number] {
  let a = lo;
  let b = hi;
  for (let i = 0; i < 4; i++) {
    const step = tickStep(a, b, count);
    // The tolerance keeps 0.30000000000000004 at 0.3; the checks keep the data inside.
    let ka = Math.floor(a / step + 1e-9);
    let kb = Math.ceil(b / step - 1e-9);
    if (multiple(ka, step) > a) ka--;
    if (multiple(kb, step) < b) kb++;
    const na = multiple(ka, step);
    const nb = multiple(kb, step);
    if (na === a && nb === b) break;
    a = na;
    b = nb;
  }
  return [a + 0, b + 0];
}

function linearLabels(values: readonly number[], lo: number, hi: number, count: number): TickValue[] {
  const step = tickStep(lo, hi, count);
  return values.map((value) => ({ value, label: formatTick(value, step) }));
}

/**
 * A linear scale.
 *
 * @throws DomainError for a non-finite or empty domain, or a non-finite range.
 * @example
 * ```ts
 * const y = linearScale([0, 1], [200, 20]); // y grows upwards on screen
 * y.map(1); // 20
 * ```
 */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  checkDomain("linearScale()", domain, false);
  checkRange("linearScale()", range);
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = (r1 - r0) / (d1 - d0);
  return {
    type: "linear",
    domain: [d0, d1],
    range: [r0, r1],
    map: (value) => (Number.isFinite(value) ? (value === d1 ? r1 : r0 + (value - d0) * k) : Number.NaN),
    ticks: (count = 5) => linearLabels(linearTicks(d0, d1, count), d0, d1, count),
    nice: (count = 5) => linearScale(niceDomain(d0, d1, count), range),
  };
}

/** 10^k as the double nearest the decimal. */
function pow10(k: number): number {
  return Number(`1e${k}`);
}

/**
 * Tick values of a log scale on [lo, hi] (0 < lo < hi): powers of ten (thinned to about `count`),
 * plus 2× and 5× them when fewer than three decades are shown; linear ticks when the interval
 * holds fewer than two powers of ten.
 *
 * @example
 * ```ts
 * logTicks(1e-3, 1e3, 4); // [0.001, 0.1, 10, 1000]
 * logTicks(1, 100); // [1, 2, 5, 10, 20, 50, 100]
 * ```
 */
export function logTicks(lo: number, hi: number, count = 5): number[] {
  const k0 = Math.ceil(Math.log10(lo) - 1e-9);
  const k1 = Math.floor(Math.log10(hi) + 1e-9);
  if (k1 - k0 < 1) return linearTicks(lo, hi, count).filter((v) => v > 0);
  const decades = k1 - k0 + 1;
  const stride = Math.max(1, Math.ceil(decades / Math.max(1, count)));
  const out: number[] = [];
  if (k1 - k0 < 3) {
    for (let k = k0 - 1; k <= k1; k++) {
      for (const m of [1, 2, 5]) {
        const v = Number(`${m}e${k}`);
        if (v >= lo * (1 - 1e-12) && v <= hi * (1 + 1e-12)) out.push(v);
      }
    }
    return out;
  }
  for (let k = k0; k <= k1; k++) if ((k - k0) % stride === 0) out.push(pow10(k));
  return out;
}

/** A log tick's label: plain (`0.01`, `500`) or exponent form (`1e−7`, `2e6`). */
function logLabel(value: number, exponentForm: boolean): string {
  if (!exponentForm) return String(value);
  const exponent = Math.floor(Math.log10(value) + 1e-9);
  const mantissa = Math.round(value / pow10(exponent));
  if (exponent === 0) return String(mantissa);
  const e = exponent < 0 ? `\u2212${-exponent}` : String(exponent);
  return mantissa === 1 ? `1e${e}` : `${mantissa}e${e}`;
}

/**
 * A base-10 logarithmic scale.
 *
 * @throws DomainError unless 0 < d0 < d1 (finite).
 * @example
 * ```ts
 * const x = logScale([1, 1000], [0, 300]);
 * x.map(10); // 100
 * x.map(0); // NaN: not on the scale
 * ```
 */
export function logScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  checkDomain("logScale()", domain, true);
  checkRange("logScale()", range);
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const l0 = Math.log(d0);
  const k = (r1 - r0) / (Math.log(d1) - l0);
  return {
    type: "log",
    domain: [d0, d1],
    range: [r0, r1],
    map: (value) =>
      value > 0 && Number.isFinite(value) ? (value === d1 ? r1 : r0 + (Math.log(value) - l0) * k) : Number.NaN,
    ticks: (count = 5) => {
      const values = logTicks(d0, d1, count);
      const k0 = Math.ceil(Math.log10(d0) - 1e-9);
      const k1 = Math.floor(Math.log10(d1) + 1e-9);
      // Linear-looking ticks (less than two decades) get linear labels.
      if (k1 - k0 < 1) return linearLabels(values, d0, d1, count);
      // One form for the whole axis: exponents as soon as one plain label would get long.
      const exponentForm = values.some((v) => v < 1e-3 || v >= 1e5);
      return values.map((value) => ({ value, label: logLabel(value, exponentForm) }));
    },
    nice: (count = 5) => {
      if (d1 / d0 >= 10) {
        return logScale([pow10(Math.floor(Math.log10(d0) + 1e-9)), pow10(Math.ceil(Math.log10(d1) - 1e-9))], range);
      }
      const [a, b] = niceDomain(d0, d1, count);
      return logScale([a > 0 ? a : d0, b], range);
    },
  };
}

/**
 * The domain a figure gives data spanning [lo, hi]: widened by `pad` of the span on each side,
 * then to whole ticks; a single value gets ±10% (or ±1 at zero).
 *
 * @example
 * ```ts
 * paddedDomain(0.13, 9.7); // [-1, 11]
 * ```
 */
export function paddedDomain(lo: number, hi: number, pad = 0.04, count = 5): [number, number] {
  if (lo === hi) return niceDomain(...widenPoint(lo, 0.1), count);
  const span = hi - lo;
  return niceDomain(lo - pad * span, hi + pad * span, count);
}

/**
 * An interval around a single value: ±`fraction`·|value|, or ±1 when that is zero or lost to
 * rounding (0, subnormals).
 *
 * @example
 * ```ts
 * widenPoint(5, 0.1); // [4.5, 5.5]
 * widenPoint(0, 0.1); // [-1, 1]
 * ```
 */
export function widenPoint(value: number, fraction: number): [number, number] {
  const delta = Math.abs(value) * fraction;
  return value - delta < value && value + delta > value ? [value - delta, value + delta] : [value - 1, value + 1];
}

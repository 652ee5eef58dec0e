/**
 * "Did you mean" hints for misspelt names in models (variables, families, arguments). The IR
 * cannot import the runtime's helper, so it keeps this small one of its own.
 * @module ir/suggest
 */

/**
 * The closest candidate to `name` within a typo-sized distance (case and `_` ignored, so
 * `halfCauchy` finds `half_cauchy`), or undefined.
 *
 * @example
 * ```ts
 * closestName("sigm", ["mu", "sigma"]); // "sigma"
 * ```
 */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const key = squash(name);
  const limit = Math.max(1, Math.floor(key.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    if (c === name) continue;
    const d = typoDistance(key, squash(c));
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * A hint sentence for an unknown name: `did you mean 'x'?` or a list of what exists.
 *
 * @example
 * ```ts
 * suggestionHint("sigm", ["sigma"], "names"); // "did you mean 'sigma'?"
 * ```
 */
export function suggestionHint(name: string, candidates: readonly string[], what: string): string {
  const best = closestName(name, candidates);
  if (best !== undefined) return `did you mean '${best}'?`;
  if (candidates.length === 0) return `no ${what} are defined yet.`;
  const shown = candidates.slice(0, 12).join(", ");
  return `known ${what}: ${shown}${candidates.length > 12 ? ", …" : ""}.`;
}

function squash(s: string): string {
  return s.toLowerCase().replace(/_/g, "");
}

/** Edit distance counting insertions, deletions, substitutions and adjacent swaps as one edit each. */
function typoDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  // Three rolling rows suffice for the adjacent-swap recurrence.
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n]!;
}

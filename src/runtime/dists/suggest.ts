/**
 * "Did you mean …?" suggestions for misspelt names (families, parameters, variables).
 * @module runtime/dists/suggest
 */

/**
 * The candidate closest to `name`, or undefined when none is close enough to be a plausible
 * typo. Closeness is the optimal-string-alignment edit distance (insertions, deletions,
 * substitutions and adjacent transpositions) between the names with case and `_` ignored, so
 * the camelCase spelling `halfCauchy` finds `half_cauchy` at distance 0. A candidate qualifies
 * within max(1, ⌊length/3⌋) edits; ties go to the earlier candidate.
 *
 * @param name - the unknown name as the user wrote it
 * @param candidates - the known names
 * @returns the best candidate, or undefined
 * @example
 * ```ts
 * suggestName("half_cauchi", ["normal", "half_cauchy"]); // returns "half_cauchy"
 * suggestName("halfCauchy", ["half_cauchy"]); // returns "half_cauchy"
 * suggestName("wishart", ["normal"]); // returns undefined
 * ```
 */
export function suggestName(name: string, candidates: Iterable<string>): string | undefined {
  const key = normalise(name);
  const limit = Math.max(1, Math.floor(key.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const distance = editDistance(key, normalise(candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * The optimal-string-alignment distance: the number of single-character insertions, deletions,
 * substitutions and adjacent transpositions that turn `a` into `b` (no substring edited twice).
 *
 * @param a - first string
 * @param b - second string
 * @returns the distance, 0 when equal
 * @example
 * ```ts
 * editDistance("gamma", "gmama"); // returns 1 (one transposition)
 * ```
 */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  // Three rolling rows: the transposition step looks two rows back.
  let before = new Array<number>(n + 1).fill(0);
  let previous = Array.from({ length: n + 1 }, (_, j) => j);
  let current = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= m; i++) {
    current[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      current[j] = d;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[n]!;
}

function normalise(name: string): string {
  return name.toLowerCase().replaceAll("_", "");
}

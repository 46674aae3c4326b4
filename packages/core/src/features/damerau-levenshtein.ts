/**
 * Restricted Damerau-Levenshtein distance (optimal string alignment): insertions, deletions, substitutions
 * and transpositions of two adjacent characters, each costing 1, no substring edited twice. A bound turns
 * it into a cheap "within k edits?" test.
 */

/** Options for {@link damerauLevenshtein}. */
export interface DamerauLevenshteinOptions {
  /**
   * Largest distance of interest, k. Once every alignment costs more, the scan stops and returns k + 1.
   * @default Infinity
   */
  maxDistance?: number;
}

// Scratch rows reused across calls (the function does not call out, so reuse is safe). Grown on demand.
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);
let rowC = new Int32Array(64);
let codesA = new Int32Array(64);
let codesB = new Int32Array(64);

function ensure(size: number): void {
  if (rowA.length >= size) return;
  const n = Math.max(size, rowA.length * 2);
  rowA = new Int32Array(n);
  rowB = new Int32Array(n);
  rowC = new Int32Array(n);
  codesA = new Int32Array(n);
  codesB = new Int32Array(n);
}

/** Writes the code points of `s` into `out`; returns their count. */
function fillCodePoints(s: string, out: Int32Array): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        // A surrogate pair is one character: an emoji or a rare CJK ideograph counts as one edit.
        out[n++] = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
        continue;
      }
    }
    out[n++] = c;
  }
  return n;
}

/**
 * Optimal-string-alignment distance between `a` and `b`, over code points, with early exit: the minimum of
 * a DP row never decreases (each step changes a cell by at most 1 relative to its diagonal predecessor),
 * so once it exceeds k no later row can come back. Cost O(|a|·|b|) at most, O(1) when the lengths differ
 * by more than k. Unlike the unrestricted Damerau distance, "ca" → "abc" is 3 (not 2).
 * @param a - first string
 * @param b - second string
 * @param options - the bound k
 * @returns the distance, or k + 1 when it is larger than k
 * @throws RangeError when `maxDistance` is negative or NaN
 * @example damerauLevenshtein('bracket', 'brakcet') // 1 (one transposition)
 * @see https://en.wikipedia.org/wiki/Damerau%E2%80%93Levenshtein_distance#Optimal_string_alignment_distance
 */
export function damerauLevenshtein(
  a: string,
  b: string,
  options: DamerauLevenshteinOptions = {},
): number {
  const { maxDistance = Infinity } = options;
  if (!(maxDistance >= 0))
    throw new RangeError(`options.maxDistance must be ≥ 0 (got ${String(maxDistance)})`);
  const cap = Math.floor(maxDistance) + 1;
  if (a === b) return 0;
  ensure(Math.max(a.length, b.length) + 1);
  const n = fillCodePoints(a, codesA);
  const m = fillCodePoints(b, codesB);
  if (Math.abs(n - m) >= cap) return cap;
  if (n === 0 || m === 0) return Math.min(n + m, cap);
  // rows: prev2 = row i−2, prev = row i−1, cur = row i (column j = first j characters of b).
  let prev2 = rowA;
  let prev = rowB;
  let cur = rowC;
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    const ca = codesA[i - 1] ?? 0;
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= m; j++) {
      const cb = codesB[j - 1] ?? 0;
      const cost = ca === cb ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && ca === (codesB[j - 2] ?? -1) && (codesA[i - 2] ?? -1) === cb) {
        d = Math.min(d, (prev2[j - 2] ?? 0) + 1);
      }
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin >= cap) return cap;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return Math.min(prev[m] ?? 0, cap);
}

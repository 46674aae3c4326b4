/**
 * The k-th smallest value of `values[0..length)` by quickselect (Hoare), average O(n): a partial selection,
 * not a full sort. **Reorders `values` in place** (pass a scratch copy).
 * Pivots are the median of three, which keeps sorted and constant inputs linear; equal keys stop both scans,
 * so duplicate-heavy rows (many equal distances) still split evenly.
 * @param values - the scratch buffer; reordered
 * @param k - 1-based rank (1 = minimum)
 * @param length - how many leading entries take part @default values.length
 * @returns the value that would sit at index `k − 1` after sorting ascending
 * @throws RangeError when k is not an integer in [1, length]
 * @see https://en.wikipedia.org/wiki/Quickselect
 */
export function kthSmallestInPlace(
  values: Float64Array,
  k: number,
  length: number = values.length,
): number {
  if (!Number.isInteger(k) || k < 1 || k > length)
    throw new RangeError(`k must be an integer in [1, ${length}] (got ${k})`);
  const target = k - 1;
  let lo = 0;
  let hi = length - 1;
  const at = (i: number): number => values[i] ?? 0;
  while (hi > lo) {
    const mid = lo + ((hi - lo) >> 1);
    const a = at(lo);
    const b = at(mid);
    const c = at(hi);
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (at(i) < pivot) i++;
      while (at(j) > pivot) j--;
      if (i <= j) {
        const t = at(i);
        values[i] = at(j);
        values[j] = t;
        i++;
        j--;
      }
    }
    // Now [lo, j] ≤ pivot ≤ [i, hi], and anything strictly between j and i equals the pivot.
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return pivot;
  }
  return at(target);
}

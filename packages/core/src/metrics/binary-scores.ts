/**
 * Shared entry guard of the binary ranking metrics: validates scores and labels, then splits the scores by
 * class into two ascending Float64Arrays. The metrics then work on the two sorted halves with one linear
 * merge, so the only O(n log n) work is two native numeric sorts (no comparator callback, no index array).
 */

/** Scores of each class, each sorted ascending. @internal */
export interface SortedBinaryScores {
  /** Scores of the positive samples, ascending. */
  readonly pos: Float64Array;
  /** Scores of the negative samples, ascending. */
  readonly neg: Float64Array;
}

/**
 * Validates `scores` (finite numbers) and `positives` (booleans or 0/1, same length) and returns the
 * sorted scores of each class.
 * @throws RangeError on mismatched lengths, a non-finite score or a label that is not boolean/0/1.
 * @internal
 */
export function sortBinaryScores(
  scores: ArrayLike<number>,
  positives: ArrayLike<boolean | number>,
): SortedBinaryScores {
  const n = scores.length;
  if (positives.length !== n) {
    throw new RangeError(
      `scores and positives must have the same length (got ${n} and ${positives.length})`,
    );
  }
  let nPos = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i];
    if (typeof s !== 'number' || !Number.isFinite(s)) {
      throw new RangeError(`scores[${i}] must be finite (got ${String(s)})`);
    }
    const y = positives[i];
    if (y === true || y === 1) nPos++;
    else if (y !== false && y !== 0) {
      throw new RangeError(`positives[${i}] must be a boolean or 0/1 (got ${String(y)})`);
    }
  }
  const pos = new Float64Array(nPos);
  const neg = new Float64Array(n - nPos);
  let p = 0;
  let q = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i] ?? 0;
    const y = positives[i];
    if (y === true || y === 1) pos[p++] = s;
    else neg[q++] = s;
  }
  // Native typed-array sort without a comparator is numeric and much faster than an index sort.
  // It orders -0 before +0; the merges below compare with `<`/`===`, which treat them as equal.
  pos.sort();
  neg.sort();
  return { pos, neg };
}

/**
 * Throws a RangeError naming `name` when one class is empty.
 * @internal
 */
export function assertBothClasses(sorted: SortedBinaryScores, name: string): void {
  if (sorted.pos.length === 0 || sorted.neg.length === 0) {
    throw new RangeError(
      `${name} needs at least one positive and one negative sample (got ${sorted.pos.length} positive and ${sorted.neg.length} negative)`,
    );
  }
}

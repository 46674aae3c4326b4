/**
 * Sorting helpers with defined tie handling.
 */

/** Options for {@link argsort}. */
export interface ArgsortOptions {
  /** Sort descending instead of ascending. @default false */
  descending?: boolean;
}

/**
 * Indices that sort `values`. Stable: tied values keep their input order (so ties break by index, ascending),
 * in both directions. Matches `numpy.argsort(x, kind='stable')` (ascending).
 * NaN is rejected rather than silently placed.
 */
export function argsort(values: ArrayLike<number>, options: ArgsortOptions = {}): Uint32Array {
  const n = values.length;
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(values[i]!)) throw new RangeError(`values[${i}] is NaN; cannot sort`);
    idx[i] = i;
  }
  const sign = options.descending === true ? -1 : 1;
  // TypedArray#sort is not guaranteed stable with a comparator on every engine: break ties by index explicitly.
  idx.sort((a, b) => {
    const d = values[a]! - values[b]!;
    return d !== 0 ? sign * d : a - b;
  });
  return idx;
}

/**
 * 1-based ranks with ties given their average rank (fractional ranking).
 * Matches `scipy.stats.rankdata(x, method='average')`.
 */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const order = argsort(values);
  const n = values.length;
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]!] === values[order[i]!]) j++;
    const r = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) ranks[order[t]!] = r;
    i = j + 1;
  }
  return ranks;
}

/** The q-quantile (0 ≤ q ≤ 1) of a sorted ascending array with linear interpolation (numpy's default `linear`). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('sorted must not be empty');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`q must be in [0, 1] (got ${q})`);
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

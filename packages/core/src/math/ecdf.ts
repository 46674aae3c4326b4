/**
 * The right-continuous empirical CDF of a sorted sample, `searchsorted(sorted, x, side='right') / n`: the share
 * of the sample at or below `x`. The one percentile rule of the OOD calibration (`@gradeshift/ood`'s
 * `fitPercentileCalibration`) and of bundle scoring (`idPercentiles`).
 * @see https://en.wikipedia.org/wiki/Empirical_distribution_function
 * @see https://numpy.org/doc/stable/reference/generated/numpy.searchsorted.html
 */

/**
 * Index of the first element of `sorted` that is greater than `x` (the upper bound; `n` when none is).
 * @param sorted - ascending values
 * @param x - the value to place
 * @returns an index in [0, n]
 */
export function upperBound(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? 0) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The share of `sorted` at or below `x`, in [0, 1] (the caller checks that `sorted` is non-empty).
 * @example rightEcdf([1, 2, 2, 4], 2) // 0.75
 */
export function rightEcdf(sorted: ArrayLike<number>, x: number): number {
  return upperBound(sorted, x) / sorted.length;
}

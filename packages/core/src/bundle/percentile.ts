/**
 * The ID percentile of an OOD score under a stored calibration: the right-continuous empirical CDF of the
 * held-out ID scores (`rightEcdf` of core's math, the rule `@gradeshift/ood`'s `fitPercentileCalibration` uses).
 * @see https://en.wikipedia.org/wiki/Empirical_distribution_function
 */
import { assertFinite, assertNonEmpty } from '../math/check';
import { rightEcdf } from '../math/ecdf';

/**
 * ID percentiles of `scores`: per score the fraction of held-out ID scores ≤ it, in [0, 1].
 * @param sorted - held-out ID scores, ascending (a manifest's `calibration.sorted`)
 * @param scores - scores to place
 * @returns one percentile per score
 * @throws RangeError for an empty calibration or a non-finite score
 * @example idPercentiles([1, 2, 2, 4], [2, 5, 0]) // Float64Array [0.75, 1, 0]
 * @see https://numpy.org/doc/stable/reference/generated/numpy.searchsorted.html
 */
export function idPercentiles(sorted: ArrayLike<number>, scores: ArrayLike<number>): Float64Array {
  assertNonEmpty(sorted, 'sorted');
  assertFinite(scores, 'scores');
  const out = new Float64Array(scores.length);
  for (let i = 0; i < scores.length; i++) out[i] = rightEcdf(sorted, scores[i] ?? 0);
  return out;
}

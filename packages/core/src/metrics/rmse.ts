/**
 * Regression errors of a continuous grade prediction (the expected grade Σ_c c·p_c) against a numeric
 * label on the same axis, e.g. a mean of annotator ratings mapped onto [0, K − 1].
 */
import {
  assertFinite,
  assertFiniteNumber,
  assertInteger,
  assertNonEmpty,
  assertSameLength,
} from '../math/check';
import type { MatrixLike } from '../math/matrix';
import { sum } from '../math/sum';
import { expectedGrades } from '../grades/predict';

/** Result of {@link gradeRegressionErrors}. */
export interface GradeRegressionErrors {
  /** Root mean squared error √(mean (ŝ − t)²). */
  readonly rmse: number;
  /** Mean absolute error mean |ŝ − t|. */
  readonly mae: number;
  /** Mean signed error mean (ŝ − t); positive = the model over-grades. */
  readonly bias: number;
}

function checkPair(predictions: ArrayLike<number>, targets: ArrayLike<number>): void {
  assertNonEmpty(predictions, 'predictions');
  assertSameLength(predictions, targets, ['predictions', 'targets']);
  assertFinite(predictions, 'predictions');
  assertFinite(targets, 'targets');
}

/**
 * RMSE, MAE and bias of `predictions` against `targets`, accumulated with compensated sums.
 * Matches `sqrt(sklearn.metrics.mean_squared_error(t, ŝ))` and `mean_absolute_error(t, ŝ)`.
 *
 * @param predictions - continuous predictions, e.g. expected grades
 * @param targets - numeric labels on the same axis
 * @throws RangeError for empty or unequal-length inputs, or a non-finite value
 * @see https://scikit-learn.org/1.2/modules/model_evaluation.html#mean-squared-error
 */
export function gradeRegressionErrors(
  predictions: ArrayLike<number>,
  targets: ArrayLike<number>,
): GradeRegressionErrors {
  checkPair(predictions, targets);
  const n = predictions.length;
  const sq = new Float64Array(n);
  const abs = new Float64Array(n);
  const diff = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = (predictions[i] ?? 0) - (targets[i] ?? 0);
    diff[i] = d;
    abs[i] = Math.abs(d);
    sq[i] = d * d;
  }
  return { rmse: Math.sqrt(sum(sq) / n), mae: sum(abs) / n, bias: sum(diff) / n };
}

/**
 * {@link gradeRegressionErrors} of the expected grade Σ_c c·p_c of each probability row.
 * @param probs - n × K grade probabilities
 * @param targets - one numeric label per row on the grade axis [0, K − 1]
 * @throws RangeError when the sizes disagree or a value is not finite
 * @see methods.md §7.7 (expected-grade regression)
 */
export function expectedGradeErrors(
  probs: MatrixLike,
  targets: ArrayLike<number>,
): GradeRegressionErrors {
  const expected = expectedGrades(probs);
  if (expected.length !== targets.length) {
    throw new RangeError(
      `probs rows and targets must have the same length (got ${expected.length} and ${targets.length})`,
    );
  }
  return gradeRegressionErrors(expected, targets);
}

/** The numeric range of a rating scale, e.g. `{ min: 1, max: 5 }` for 1–5 stars. */
export interface RatingRange {
  readonly min: number;
  readonly max: number;
}

/**
 * Maps ratings on `[min, max]` linearly onto the grade axis `[0, k − 1]`: t = (r − min) / (max − min) · (k − 1).
 * @param ratings - e.g. the mean annotator rating per item
 * @param range - the rating scale's bounds (min < max)
 * @param k - number of grades K (≥ 2)
 * @throws RangeError for a bad range, a bad k, or a rating that is not finite or lies outside the range
 * @example ratingsToGradeAxis([1, 3, 5], { min: 1, max: 5 }, 3) // [0, 1, 2]
 */
export function ratingsToGradeAxis(
  ratings: ArrayLike<number>,
  range: RatingRange,
  k: number,
): Float64Array {
  assertFiniteNumber(range.min, 'range.min');
  assertFiniteNumber(range.max, 'range.max');
  if (!(range.max > range.min))
    throw new RangeError(`range.max must exceed range.min (got ${range.min} and ${range.max})`);
  assertInteger(k, 'k', { min: 2 });
  assertFinite(ratings, 'ratings');
  const out = new Float64Array(ratings.length);
  const scale = (k - 1) / (range.max - range.min);
  for (let i = 0; i < ratings.length; i++) {
    const r = ratings[i] ?? 0;
    if (r < range.min || r > range.max) {
      throw new RangeError(`ratings[${i}] must lie in [${range.min}, ${range.max}] (got ${r})`);
    }
    out[i] = (r - range.min) * scale;
  }
  return out;
}

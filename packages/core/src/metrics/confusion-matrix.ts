/**
 * The K × K confusion matrix of graded predictions (rows = true grade, columns = predicted grade) and the
 * split of its errors by distance on the grade axis (adjacent versus far), methods.md §6.
 */
import { createMatrix, type Matrix, type MatrixLike } from '../math/matrix';
import { assertConfusionMatrix, assertGradePair } from './check-inputs';

/**
 * Counts of (true grade, predicted grade) pairs: `cm.data[y * k + ŷ]`.
 * Every grade in `[0, k)` gets a row and a column, present or not.
 *
 * @param labels - true grades, integers in `[0, k)`
 * @param predictions - predicted grades, integers in `[0, k)`
 * @param k - number of grades K (≥ 2)
 * @returns a K × K Float64 matrix of counts
 * @throws RangeError for empty or unequal-length inputs, or a grade outside `[0, k)`
 * @example confusionMatrix([0, 1, 2, 2], [0, 2, 2, 1], 3).data // [1,0,0, 0,0,1, 0,1,1]
 * @see https://scikit-learn.org/1.2/modules/generated/sklearn.metrics.confusion_matrix.html (`labels=range(k)`)
 */
export function confusionMatrix(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  k: number,
): Matrix {
  assertGradePair(labels, predictions, k);
  const cm = createMatrix(k, k);
  for (let i = 0; i < labels.length; i++) {
    const idx = (labels[i] ?? 0) * k + (predictions[i] ?? 0);
    cm.data[idx] = (cm.data[idx] ?? 0) + 1;
  }
  return cm;
}

/** Shares of samples by |ŷ − y|, from {@link gradeErrorDistances}. They sum to 1. */
export interface GradeErrorDistances {
  /** Fraction with ŷ = y (the accuracy). */
  readonly exact: number;
  /** Fraction with |ŷ − y| = 1 (an adjacent-grade confusion, e.g. weak ↔ strong). */
  readonly adjacent: number;
  /** Fraction with |ŷ − y| ≥ 2 (a far error, e.g. irrelevant ↔ strong). */
  readonly far: number;
  /** Mean |ŷ − y| on the grade axis (MAE on grades). */
  readonly meanAbsoluteError: number;
}

/**
 * Splits a confusion matrix by the distance between true and predicted grade. Far errors are the costly
 * ones for a graded ranker; adjacent ones are often label noise.
 *
 * @param confusion - K × K counts, rows = true grade (as from {@link confusionMatrix}; weighted counts work too)
 * @throws RangeError when `confusion` is not square, has a negative or non-finite count, or is all zero
 * @see methods.md §6 (confusion matrix with adjacent-versus-far errors, MAE on grades)
 */
export function gradeErrorDistances(confusion: MatrixLike): GradeErrorDistances {
  const total = assertConfusionMatrix(confusion);
  const k = confusion.rows;
  let exact = 0;
  let adjacent = 0;
  let far = 0;
  let absSum = 0;
  for (let y = 0; y < k; y++) {
    for (let p = 0; p < k; p++) {
      const c = confusion.data[y * k + p] ?? 0;
      const dist = Math.abs(p - y);
      if (dist === 0) exact += c;
      else if (dist === 1) adjacent += c;
      else far += c;
      absSum += dist * c;
    }
  }
  return {
    exact: exact / total,
    adjacent: adjacent / total,
    far: far / total,
    meanAbsoluteError: absSum / total,
  };
}

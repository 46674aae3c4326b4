/**
 * Entry guards shared by the graded metrics: grade arrays, probability matrices and confusion matrices.
 * They throw `RangeError`/`TypeError` naming the argument and the sizes, like `math/check.ts`.
 */
import {
  assertFinite,
  assertInteger,
  assertLabels,
  assertMatrix,
  assertNonEmpty,
  assertSameLength,
} from '../math/check';
import type { MatrixLike } from '../math/matrix';

/** Largest row-sum deviation from 1 accepted for probabilities (Float32 softmax rows drift by ~K·6e-8). */
const ROW_SUM_TOLERANCE = 1e-5;

/**
 * Throws unless `labels` and `predictions` are non-empty, of equal length and integer grades in `[0, k)`.
 * @internal
 */
export function assertGradePair(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  k: number,
): void {
  assertInteger(k, 'k', { min: 2 });
  assertNonEmpty(labels, 'labels');
  assertSameLength(labels, predictions, ['labels', 'predictions']);
  assertLabels(labels, k, 'labels');
  assertLabels(predictions, k, 'predictions');
}

/**
 * Throws unless `probs` is a non-empty n × K matrix (K ≥ 2) of finite values in [0, 1] whose rows sum to 1
 * (within 1e-5), and `labels` has one grade in `[0, K)` per row.
 * @internal
 */
export function assertProbsAndLabels(probs: MatrixLike, labels: ArrayLike<number>): void {
  assertMatrix(probs, 'probs');
  if (probs.cols < 2)
    throw new RangeError(`probs must have at least 2 columns (got ${probs.cols})`);
  if (probs.rows === 0) throw new RangeError('probs must not be empty (got 0 rows)');
  if (labels.length !== probs.rows) {
    throw new RangeError(
      `labels and probs rows must have the same length (got ${labels.length} and ${probs.rows})`,
    );
  }
  assertFinite(probs.data, 'probs.data');
  const { rows, cols, data } = probs;
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let c = 0; c < cols; c++) {
      const p = data[i * cols + c] ?? 0;
      if (p < 0 || p > 1) {
        throw new RangeError(`probs[${i}][${c}] must be a probability in [0, 1] (got ${p})`);
      }
      s += p;
    }
    if (Math.abs(s - 1) > ROW_SUM_TOLERANCE) {
      throw new RangeError(`probs row ${i} must sum to 1 (got ${s})`);
    }
  }
  assertLabels(labels, cols, 'labels');
}

/**
 * Throws unless `cm` is a square K × K matrix (K ≥ 2) of finite, non-negative counts with a positive total.
 * @returns the total count
 * @internal
 */
export function assertConfusionMatrix(cm: MatrixLike): number {
  assertMatrix(cm, 'confusion');
  if (cm.rows !== cm.cols || cm.rows < 2) {
    throw new RangeError(
      `confusion must be a square K × K matrix with K ≥ 2 (got ${cm.rows}×${cm.cols})`,
    );
  }
  assertFinite(cm.data, 'confusion.data');
  let total = 0;
  for (let i = 0; i < cm.data.length; i++) {
    const v = cm.data[i] ?? 0;
    if (v < 0) throw new RangeError(`confusion.data[${i}] must be a non-negative count (got ${v})`);
    total += v;
  }
  if (total === 0)
    throw new RangeError('confusion must contain at least one sample (got a total of 0)');
  return total;
}

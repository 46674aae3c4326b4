/**
 * Direction of grading errors: how often truly irrelevant items are let through as relevant, and how many of
 * all errors over-grade ("optimistic errors", the bias LREF's DPO stage targets, methods.md §2.4).
 */
import type { MatrixLike } from '../math/matrix';
import { assertConfusionMatrix } from './check-inputs';

/** Result of {@link overRecall}. Ratios with an empty denominator are 0 and flagged. */
export interface OverRecallResult {
  /** Fraction of truly irrelevant items (y = 0) predicted relevant (ŷ ≥ 1). */
  readonly overRecallRate: number;
  /** Number of truly irrelevant items (the denominator of `overRecallRate`). */
  readonly irrelevantCount: number;
  /** Number of truly irrelevant items predicted relevant. */
  readonly overRecalledCount: number;
  /** `true` when there is no truly irrelevant item, so `overRecallRate` (0/0) is reported as 0. */
  readonly overRecallUndefined: boolean;
  /** Fraction of all errors (ŷ ≠ y) that over-grade (ŷ > y); 1 − this share under-grade. */
  readonly optimisticErrorShare: number;
  /** Number of errors (ŷ ≠ y). */
  readonly errorCount: number;
  /** Number of over-grading errors (ŷ > y). */
  readonly optimisticErrorCount: number;
  /** `true` when there is no error, so `optimisticErrorShare` (0/0) is reported as 0. */
  readonly optimisticShareUndefined: boolean;
}

/**
 * Over-recall rate and the share of optimistic errors, from a confusion matrix (rows = true grade).
 * Grade 0 is "irrelevant"; every higher grade counts as relevant.
 *
 * @param confusion - K × K counts, rows = true grade (from {@link confusionMatrix}; weighted counts work too)
 * @throws RangeError when `confusion` is not square, has a negative or non-finite count, or is all zero
 * @example overRecall(confusionMatrix(labels, predictions, 3)).overRecallRate
 * @see methods.md §2.4 (LREF: about 70% of the errors left after SFT are optimistic)
 */
export function overRecall(confusion: MatrixLike): OverRecallResult {
  assertConfusionMatrix(confusion);
  const k = confusion.rows;
  const cm = confusion.data;
  let irrelevantCount = 0;
  for (let p = 0; p < k; p++) irrelevantCount += cm[p] ?? 0;
  const overRecalledCount = irrelevantCount - (cm[0] ?? 0);
  let errorCount = 0;
  let optimisticErrorCount = 0;
  for (let y = 0; y < k; y++) {
    for (let p = 0; p < k; p++) {
      const c = cm[y * k + p] ?? 0;
      if (p > y) optimisticErrorCount += c;
      if (p !== y) errorCount += c;
    }
  }
  return {
    overRecallRate: irrelevantCount > 0 ? overRecalledCount / irrelevantCount : 0,
    irrelevantCount,
    overRecalledCount,
    overRecallUndefined: irrelevantCount === 0,
    optimisticErrorShare: errorCount > 0 ? optimisticErrorCount / errorCount : 0,
    errorCount,
    optimisticErrorCount,
    optimisticShareUndefined: errorCount === 0,
  };
}

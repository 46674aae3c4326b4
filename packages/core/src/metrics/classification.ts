/**
 * Accuracy and per-grade precision / recall / F1 with macro and weighted averages (methods.md §6),
 * matching scikit-learn's `precision_recall_fscore_support` with `zero_division=0`.
 */
import { assertNonEmpty, assertSameLength } from '../math/check';
import type { MatrixLike } from '../math/matrix';
import { assertConfusionMatrix } from './check-inputs';

/**
 * Fraction of samples whose predicted grade equals the true grade (= micro-F1 for single-label data).
 * @param labels - true grades, integers ≥ 0
 * @param predictions - predicted grades, integers ≥ 0
 * @throws RangeError for empty or unequal-length inputs, or a grade that is not a non-negative integer
 * @see https://scikit-learn.org/1.2/modules/generated/sklearn.metrics.accuracy_score.html
 */
export function accuracy(labels: ArrayLike<number>, predictions: ArrayLike<number>): number {
  assertNonEmpty(labels, 'labels');
  assertSameLength(labels, predictions, ['labels', 'predictions']);
  let hits = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i] ?? -1;
    const p = predictions[i] ?? -1;
    if (!Number.isInteger(y) || y < 0)
      throw new RangeError(`labels[${i}] must be a non-negative integer grade (got ${String(y)})`);
    if (!Number.isInteger(p) || p < 0) {
      throw new RangeError(
        `predictions[${i}] must be a non-negative integer grade (got ${String(p)})`,
      );
    }
    if (y === p) hits++;
  }
  return hits / labels.length;
}

/** Options for {@link classificationReport}. */
export interface ClassificationReportOptions {
  /**
   * Grades averaged by the macro means: `'present'` = grades that occur in the labels or the predictions
   * (scikit-learn's default `labels=None`), `'all'` = all K grades (`labels=range(K)`), so a grade that
   * never occurs counts as F1 = 0.
   * @default 'present'
   */
  average?: 'present' | 'all';
}

/** Result of {@link classificationReport}; the per-grade arrays have one entry per grade 0..K−1. */
export interface ClassificationReport {
  /** Fraction of correct predictions. */
  readonly accuracy: number;
  /** TP / (TP + FP) per grade; 0 where nothing was predicted as that grade (see `precisionUndefined`). */
  readonly precision: Float64Array;
  /** TP / (TP + FN) per grade; 0 where the grade has no true samples (see `recallUndefined`). */
  readonly recall: Float64Array;
  /** 2PR / (P + R) per grade; 0 where P + R = 0. */
  readonly f1: Float64Array;
  /** Number of true samples per grade (row sums of the confusion matrix). */
  readonly support: Float64Array;
  /** `true` where precision was 0/0 and was reported as 0 (scikit-learn `zero_division=0`). */
  readonly precisionUndefined: readonly boolean[];
  /** `true` where recall was 0/0 and was reported as 0. */
  readonly recallUndefined: readonly boolean[];
  /** Unweighted mean of the per-grade precision over the averaged grades. */
  readonly macroPrecision: number;
  /** Unweighted mean of the per-grade recall over the averaged grades. */
  readonly macroRecall: number;
  /** Unweighted mean of the per-grade F1 over the averaged grades (LREF's main metric; rare grades count fully). */
  readonly macroF1: number;
  /** Support-weighted mean of the per-grade F1: Σ_c (n_c / n)·F1_c. */
  readonly weightedF1: number;
}

/**
 * Per-grade precision, recall, F1 and support plus accuracy, macro- and weighted-F1, from a confusion matrix.
 * Matches `sklearn.metrics.precision_recall_fscore_support(y, ŷ, labels=range(K), zero_division=0)` per
 * grade and `f1_score(y, ŷ, average='macro' | 'weighted', zero_division=0)` for the averages.
 *
 * @param confusion - K × K counts, rows = true grade (from {@link confusionMatrix}; weighted counts work too)
 * @throws RangeError when `confusion` is not square, has a negative or non-finite count, or is all zero
 * @example classificationReport(confusionMatrix(labels, predictions, 3)).macroF1
 * @see https://scikit-learn.org/1.2/modules/generated/sklearn.metrics.precision_recall_fscore_support.html
 */
export function classificationReport(
  confusion: MatrixLike,
  options: ClassificationReportOptions = {},
): ClassificationReport {
  const total = assertConfusionMatrix(confusion);
  const { average = 'present' } = options;
  const k = confusion.rows;
  const cm = confusion.data;
  const precision = new Float64Array(k);
  const recall = new Float64Array(k);
  const f1 = new Float64Array(k);
  const support = new Float64Array(k);
  const precisionUndefined: boolean[] = [];
  const recallUndefined: boolean[] = [];
  let correct = 0;
  let macroP = 0;
  let macroR = 0;
  let macroF = 0;
  let weightedF = 0;
  let averaged = 0;
  for (let c = 0; c < k; c++) {
    let rowSum = 0;
    let colSum = 0;
    for (let j = 0; j < k; j++) {
      rowSum += cm[c * k + j] ?? 0;
      colSum += cm[j * k + c] ?? 0;
    }
    const tp = cm[c * k + c] ?? 0;
    correct += tp;
    const p = colSum > 0 ? tp / colSum : 0;
    const r = rowSum > 0 ? tp / rowSum : 0;
    const f = p + r > 0 ? (2 * p * r) / (p + r) : 0;
    precision[c] = p;
    recall[c] = r;
    f1[c] = f;
    support[c] = rowSum;
    precisionUndefined.push(colSum === 0);
    recallUndefined.push(rowSum === 0);
    if (average === 'all' || rowSum > 0 || colSum > 0) {
      macroP += p;
      macroR += r;
      macroF += f;
      averaged++;
    }
    weightedF += rowSum * f;
  }
  return {
    accuracy: correct / total,
    precision,
    recall,
    f1,
    support,
    precisionUndefined,
    recallUndefined,
    macroPrecision: macroP / averaged,
    macroRecall: macroR / averaged,
    macroF1: macroF / averaged,
    weightedF1: weightedF / total,
  };
}

import { sortBinaryScores } from './binary-scores';

/**
 * Average precision, the step-wise area under the precision–recall curve:
 * `AP = Σₙ (Rₙ − Rₙ₋₁) · Pₙ` over the distinct score thresholds taken in decreasing order.
 * Samples with tied scores form one threshold (they enter together), so AP does not depend on the
 * order of tied samples. No interpolation is applied.
 *
 * Matches `sklearn.metrics.average_precision_score(y_true, y_score)` (binary labels), ties included.
 * OpenOOD instead reports the trapezoid `auc(recall, precision)`, which differs slightly.
 *
 * @param scores - one finite score per sample; higher means "more positive"
 * @param positives - `true`/`1` for a positive sample, `false`/`0` for a negative one
 * @returns AP in (0, 1]; `1` when there are no negatives
 * @throws RangeError when the lengths differ, a score is not finite, a label is not boolean/0/1, or there
 *   is no positive sample (recall is undefined; sklearn warns and returns a meaningless value there)
 * @example averagePrecision([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]) // 0.8333…
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.average_precision_score.html
 */
export function averagePrecision(
  scores: ArrayLike<number>,
  positives: ArrayLike<boolean | number>,
): number {
  const { pos, neg } = sortBinaryScores(scores, positives);
  const nPos = pos.length;
  if (nPos === 0) {
    throw new RangeError(
      `averagePrecision needs at least one positive sample (got 0 positive and ${neg.length} negative)`,
    );
  }
  // Walk both ascending arrays from the top, one distinct threshold at a time.
  let i = nPos - 1;
  let j = neg.length - 1;
  let tp = 0;
  let fp = 0;
  let sum = 0;
  while (i >= 0) {
    const v = pos[i] ?? 0;
    let cp = 0;
    while (i >= 0 && pos[i] === v) {
      cp++;
      i--;
    }
    // Negatives strictly above v entered at earlier thresholds, where no positive was added.
    while (j >= 0 && (neg[j] ?? 0) >= v) {
      fp++;
      j--;
    }
    tp += cp;
    // ΔR = cp / nPos; precision at this threshold = tp / (tp + fp).
    sum += (cp * tp) / (tp + fp);
  }
  return sum / nPos;
}

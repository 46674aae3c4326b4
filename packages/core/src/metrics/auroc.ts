import { assertBothClasses, sortBinaryScores } from './binary-scores';

/**
 * Area under the ROC curve: the probability that a random positive scores higher than a random negative,
 * with ties counted as one half. Computed as the Mann–Whitney statistic `U / (nPos · nNeg)`, which equals
 * the rank-sum form `(Σ ranks of positives − nPos(nPos+1)/2) / (nPos · nNeg)` with average ranks for ties.
 *
 * Runs in O(n log n): both classes are sorted once (native numeric sort), then one merge counts, for each
 * group of tied positive scores, the negatives strictly below (weight 1) and tied (weight ½).
 * Matches `sklearn.metrics.roc_auc_score(y_true, y_score)` for binary labels, ties included.
 *
 * @param scores - one finite score per sample; higher means "more positive"
 * @param positives - `true`/`1` for a positive sample, `false`/`0` for a negative one
 * @returns AUROC in [0, 1]
 * @throws RangeError when the lengths differ, a score is not finite, a label is not boolean/0/1, or one
 *   class is empty (AUROC is undefined then)
 * @example auroc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]) // 0.75
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.roc_auc_score.html
 * @see https://en.wikipedia.org/wiki/Mann%E2%80%93Whitney_U_test#Area-under-curve_(AUC)_statistic_for_ROC_curves
 */
export function auroc(scores: ArrayLike<number>, positives: ArrayLike<boolean | number>): number {
  const sorted = sortBinaryScores(scores, positives);
  assertBothClasses(sorted, 'auroc');
  const { pos, neg } = sorted;
  const nPos = pos.length;
  const nNeg = neg.length;
  // Accumulate twice U (integers) so the sum is exact up to 2^53 before the single final division.
  let twiceU = 0;
  let j = 0;
  let i = 0;
  while (i < nPos) {
    const v = pos[i] ?? 0;
    let c = 1;
    while (i + c < nPos && pos[i + c] === v) c++;
    while (j < nNeg && (neg[j] ?? 0) < v) j++;
    let k = j;
    while (k < nNeg && neg[k] === v) k++;
    twiceU += c * (2 * j + (k - j));
    j = k;
    i += c;
  }
  return twiceU / (2 * nPos * nNeg);
}

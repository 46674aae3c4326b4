/**
 * Binary AUROCs of a graded classifier: "strong vs rest" (y = top grade) and "relevant vs irrelevant"
 * (y ≥ 1), methods.md §6, computed with {@link auroc}.
 */
import { assertInteger } from '../math/check';
import type { MatrixLike } from '../math/matrix';
import { auroc } from './auroc';
import { assertProbsAndLabels } from './check-inputs';

/** Options for {@link strongVsRestAuroc} and {@link relevantVsIrrelevantAuroc}. */
export interface GradeAurocOptions {
  /**
   * The ranking score: `'probability'` = p(y ≥ g) = Σ_{c ≥ g} p_c (p(strong) for the top grade, 1 − p(irrelevant)
   * for g = 1); `'expected-grade'` = Σ_c c·p_c, the score the ranker actually sorts by.
   * @default 'probability'
   */
  score?: 'probability' | 'expected-grade';
}

/** Options for {@link gradeAtLeastAuroc}. */
export interface GradeAtLeastAurocOptions extends GradeAurocOptions {
  /** The lowest positive grade g, in `[1, K − 1]` (required: it defines the task). */
  minGrade: number;
}

/**
 * AUROC of the binary task 1[y ≥ minGrade] scored by p(y ≥ minGrade) or by the expected grade.
 * Matches `sklearn.metrics.roc_auc_score(y >= g, score)`.
 *
 * @param probs - n × K grade probabilities (rows sum to 1)
 * @param labels - true grades in `[0, K)`
 * @param options - the score and `minGrade` (in `[1, K − 1]`)
 * @throws RangeError when the sizes disagree, a value is out of range, or one side of the split is empty
 * @see https://scikit-learn.org/1.2/modules/generated/sklearn.metrics.roc_auc_score.html
 */
export function gradeAtLeastAuroc(
  probs: MatrixLike,
  labels: ArrayLike<number>,
  options: GradeAtLeastAurocOptions,
): number {
  assertProbsAndLabels(probs, labels);
  const { rows: n, cols: k, data } = probs;
  const { minGrade, score = 'probability' } = options;
  assertInteger(minGrade, 'options.minGrade', { min: 1, max: k - 1 });
  const s = new Float64Array(n);
  const positives = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let v = 0;
    // Sum the upper tail directly rather than 1 − Σ lower: keeps tiny tail probabilities distinct.
    if (score === 'probability') for (let c = minGrade; c < k; c++) v += data[i * k + c] ?? 0;
    else for (let c = 1; c < k; c++) v += c * (data[i * k + c] ?? 0);
    s[i] = v;
    positives[i] = (labels[i] ?? 0) >= minGrade ? 1 : 0;
  }
  return auroc(s, positives);
}

/**
 * AUROC of "strong vs rest": positives are the top grade K − 1, scored by p(top grade) (or the expected grade).
 * @throws RangeError as {@link gradeAtLeastAuroc}, e.g. when no item (or every item) has the top grade
 * @see methods.md §6 (AUC "strong vs rest")
 */
export function strongVsRestAuroc(
  probs: MatrixLike,
  labels: ArrayLike<number>,
  options: GradeAurocOptions = {},
): number {
  return gradeAtLeastAuroc(probs, labels, { ...options, minGrade: Math.max(1, probs.cols - 1) });
}

/**
 * AUROC of "relevant vs irrelevant": positives have y ≥ 1, scored by 1 − p(irrelevant) (or the expected grade).
 * @throws RangeError as {@link gradeAtLeastAuroc}
 * @see methods.md §6 (AUC "relevant (≥ weak) vs irrelevant")
 */
export function relevantVsIrrelevantAuroc(
  probs: MatrixLike,
  labels: ArrayLike<number>,
  options: GradeAurocOptions = {},
): number {
  return gradeAtLeastAuroc(probs, labels, { ...options, minGrade: 1 });
}

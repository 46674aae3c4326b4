/**
 * The training losses the pipeline offers, as `ScorerLoss` closures for `trainScorer`.
 * `graded` is gradeshift's own DaRL-style loss (see `gradedLoss` in core: ordinal soft labels + pairwise margin
 * on the expected grade within a query + optional confidence penalty); `ce` is plain cross-entropy, the ablation.
 */
import {
  gradedLoss,
  softmaxCrossEntropy,
  type GradedLossOptions,
  type ScorerLoss,
} from '@gradeshift/core';

/** Names of the losses. */
export type LossName = 'graded' | 'ce';

/**
 * The default model's graded-loss settings, chosen on ID validation: sharper soft labels (SORD α = 4, where
 * core's default is 2) and a lighter pairwise margin (λ_m = 0.2, core's 0.5).
 */
export const DEFAULT_GRADED_LOSS: Readonly<GradedLossOptions> = Object.freeze({
  alpha: 4,
  lambdaMargin: 0.2,
});

/**
 * Builds the loss closure. Cross-entropy reads integer grades (a continuous rating is rounded to its grade).
 * @param options - graded-loss settings @default DEFAULT_GRADED_LOSS
 */
export function createLoss(
  name: LossName,
  options: GradedLossOptions = DEFAULT_GRADED_LOSS,
): ScorerLoss {
  if (name === 'ce') {
    return (logits, labels) =>
      softmaxCrossEntropy(
        logits,
        Int32Array.from(labels, (v) => Math.round(v)),
      );
  }
  return (logits, labels, groups) =>
    gradedLoss(logits, labels, groups === undefined ? options : { ...options, groups });
}

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

/** Builds the loss closure. Cross-entropy reads integer grades (a continuous rating is rounded to its grade). */
export function createLoss(name: LossName, options: GradedLossOptions = {}): ScorerLoss {
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

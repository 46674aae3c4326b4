/**
 * Batched losses over grade logits (n × K): each returns `{ value, grad }` with grad = ∂value/∂logits.
 */
export { confidencePenalty, type ConfidencePenaltyOptions } from './confidence-penalty';
export {
  distillationLoss,
  type DistillationLossOptions,
  type DistillationTeacher,
} from './distillation';
export { dpoLoss, type DpoLossOptions, type DpoPreferences } from './dpo';
export { focalLoss, type FocalLossOptions } from './focal';
export {
  gradedLoss,
  type GradedLossComponents,
  type GradedLossOptions,
  type GradedLossResult,
} from './graded-loss';
export {
  ordinalSoftLabelLoss,
  sordTargets,
  type OrdinalDistance,
  type OrdinalSoftLabelOptions,
  type SordTargetOptions,
} from './ordinal-soft-label';
export { pairwiseMarginLoss, type PairwiseMarginOptions } from './pairwise-margin';
export {
  createPreferencePairs,
  type PreferenceDirection,
  type PreferencePairOptions,
  type PreferencePairs,
} from './preference-pairs';
export { softmaxCrossEntropy, type SoftmaxCrossEntropyOptions } from './softmax-cross-entropy';
export type { LossResult, SampleWeightOptions } from './types';

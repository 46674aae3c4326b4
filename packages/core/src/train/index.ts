/**
 * Training the scorer: Adam(W) with gradient clipping, seeded epoch order, validation metrics and the trainer
 * with early stopping and a head-only (linear-probing) mode.
 */
export {
  clipGradientNormInPlace,
  createAdam,
  type AdamOptimizer,
  type AdamOptions,
  type AdamStepOptions,
} from './adam';
export { epochOrder, type EpochOrderOptions } from './epoch-order';
export type { IndexedScorerLoss, LossBatch, ScorerLoss } from './evaluate';
export {
  trainScorer,
  type EpochInfo,
  type TrainScorerOptions,
  type TrainScorerResult,
} from './trainer';
export type { TrainingSet } from './training-set';

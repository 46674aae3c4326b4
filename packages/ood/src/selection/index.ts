export { kmeans, kmeansWithGemm, type KMeansOptions, type KMeansResult } from './kmeans';
export { predictiveEntropy } from './predictive-entropy';
export {
  selectByUncertainty,
  type SelectByUncertaintyOptions,
  type UncertaintyReason,
  type UncertaintySelection,
  type UncertaintySelectionStats,
} from './select-by-uncertainty';
export {
  selectDistributionAware,
  type DistributionAwareReason,
  type DistributionAwareSelection,
  type DistributionAwareStats,
  type SelectDistributionAwareOptions,
} from './select-distribution-aware';
export {
  selectRandom,
  type RandomSelection,
  type RandomSelectionStats,
  type SelectRandomOptions,
} from './select-random';
export { SELECTION_STRATEGIES } from './selection-result';
export type {
  Selection,
  SelectionPick,
  SelectionReason,
  SelectionResult,
  SelectionStrategy,
} from './selection-result';
export { precomputedDetector } from './precomputed-detector';

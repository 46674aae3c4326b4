export { kmeans, type KMeansOptions, type KMeansResult } from './kmeans';
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
export {
  SELECTION_STRATEGIES,
  type Selection,
  type SelectionPick,
  type SelectionReason,
  type SelectionResult,
  type SelectionStrategy,
} from './selection-result';

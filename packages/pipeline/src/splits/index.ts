/**
 * Query-disjoint splits under distribution shift: ID train / validation / test, an unlabeled OOD pool with
 * hidden labels, an OOD test set, shift strategies (category, department taxonomy, query clusters) and reports.
 */
export { createSplits, type CreateSplitsOptions, type Splits } from './create-splits';
export { HOMEDEPOT_TAXONOMY } from './homedepot-taxonomy';
export { sparseKMeans, type SparseKMeansOptions, type SparseKMeansResult } from './kmeans';
export { fnv1a, hashedTrigrams, type SparseVector } from './query-features';
export { groupByQuery, normalizeQuery, type QueryGroup } from './query-groups';
export { assignShiftGroups, type ShiftAssignment } from './shift-groups';
export {
  formatSplitReport,
  summarizeSplit,
  type GradeMix,
  type SplitReport,
  type SplitSummary,
  type SummarizeSplitOptions,
} from './split-report';
export {
  createDepartmentMatcher,
  singularize,
  tokenizeTitle,
  type Department,
  type DepartmentMatcher,
  type Taxonomy,
} from './taxonomy';
export {
  SPLIT_NAMES,
  type CategoryShift,
  type DepartmentShift,
  type IdFractions,
  type LabeledSplit,
  type OodFractions,
  type QueryClusterShift,
  type ShiftStrategy,
  type SplitName,
} from './types';
export {
  createUnlabeledPool,
  revealLabels,
  UnlabeledPool,
  type CreateUnlabeledPoolOptions,
  type PoolPair,
  type RevealedLabel,
} from './unlabeled-pool';

/**
 * The selection strategies compared at the same budget: ood's list (`SELECTION_STRATEGIES`, where the strategies
 * live), under the names the run contract and its readers use.
 */
import { SELECTION_STRATEGIES, type SelectionStrategy } from '@gradeshift/ood';

/** The selection strategies, in the order the pipeline compares them. */
export const STRATEGY_NAMES = SELECTION_STRATEGIES;
/** One of {@link STRATEGY_NAMES}. */
export type StrategyName = SelectionStrategy;
/** The strategy of the main model and of `select` when none is named. */
export const DEFAULT_STRATEGY: StrategyName = 'distribution-aware';

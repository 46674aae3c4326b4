/** The selection strategies compared at the same budget, declared once for the pipeline, the CLI and the API. */
export const STRATEGY_NAMES = ['distribution-aware', 'random', 'uncertainty'] as const;
/** One of {@link STRATEGY_NAMES}. */
export type StrategyName = (typeof STRATEGY_NAMES)[number];
/** The strategy of the main model and of `select` when none is named. */
export const DEFAULT_STRATEGY: StrategyName = 'distribution-aware';

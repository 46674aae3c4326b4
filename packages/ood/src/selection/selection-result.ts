/**
 * The common result shape of every sample-selection strategy: which pool rows were picked, in which order,
 * and why. Discriminated by `strategy`, so a report or UI can render any of them.
 */

import type { DistributionAwareSelection } from './select-distribution-aware';
import type { UncertaintySelection } from './select-by-uncertainty';
import type { RandomSelection } from './select-random';

/** The selection strategies gradeshift ships, declared once for the pipeline, the CLI and the API. */
export const SELECTION_STRATEGIES = ['distribution-aware', 'random', 'uncertainty'] as const;

/** One of {@link SELECTION_STRATEGIES}. */
export type SelectionStrategy = (typeof SELECTION_STRATEGIES)[number];

/** Why a sample was picked; every strategy adds its own fields to a one-line `summary`. */
export interface SelectionReason {
  /** Human-readable one-liner, e.g. `percentile 0.991 ≥ 0.95; cluster 2 (14 candidates)`. */
  summary: string;
}

/** One picked pool sample. */
export interface SelectionPick<TReason extends SelectionReason = SelectionReason> {
  /** Row index into the pool. */
  index: number;
  /** 1-based position in pick order (1 = picked first). */
  rank: number;
  /** Why it was picked. */
  reason: TReason;
}

/** A selection of at most `budget` distinct pool rows. */
export interface Selection<
  TStrategy extends SelectionStrategy,
  TReason extends SelectionReason,
  TStats,
> {
  strategy: TStrategy;
  /** The requested budget; `picked.length ≤ budget`. */
  budget: number;
  /** Distinct pool rows in pick order. */
  picked: SelectionPick<TReason>[];
  /** Strategy-specific bookkeeping (counts, parameters, shortfalls). */
  stats: TStats;
}

/** The result of any strategy, discriminated by `strategy`. */
export type SelectionResult = DistributionAwareSelection | RandomSelection | UncertaintySelection;

/**
 * Throws unless `budget` is an integer in `[1, poolSize]`.
 * @internal
 */
export function assertBudget(budget: number, poolSize: number): void {
  if (!Number.isInteger(budget) || budget < 1) {
    throw new RangeError(`budget must be a positive integer (got ${String(budget)})`);
  }
  if (budget > poolSize) {
    throw new RangeError(
      `budget must not exceed the pool size (got budget ${budget} and pool size ${poolSize})`,
    );
  }
}

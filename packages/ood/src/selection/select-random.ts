import {
  assertFiniteNumber,
  assertInteger,
  createRng,
  shuffledIndices,
} from '@gradeshift/core/math';

import { assertBudget, type Selection, type SelectionReason } from './selection-result';

/** Options for {@link selectRandom}. */
export interface SelectRandomOptions {
  /** Number of rows in the pool. */
  poolSize: number;
  /** Number of rows to pick, in `[1, poolSize]`. */
  budget: number;
  /** PRNG seed; the same seed gives the same picks. */
  seed: number;
}

/** Statistics of a random selection. */
export interface RandomSelectionStats {
  poolSize: number;
  seed: number;
}

/** A random selection. */
export type RandomSelection = Selection<'random', SelectionReason, RandomSelectionStats>;

/**
 * Uniform sampling without replacement: the baseline every other strategy must beat.
 * Deterministic per seed (a seeded Fisher–Yates shuffle, mulberry32).
 * @param options - see {@link SelectRandomOptions}
 * @throws RangeError when `poolSize` is not a positive integer, `budget ∉ [1, poolSize]` or `seed` is not finite
 * @see https://en.wikipedia.org/wiki/Fisher%E2%80%93Yates_shuffle
 */
export function selectRandom(options: SelectRandomOptions): RandomSelection {
  const { poolSize, budget, seed } = options;
  assertInteger(poolSize, 'poolSize', { min: 1 });
  assertBudget(budget, poolSize);
  assertFiniteNumber(seed, 'seed');
  const order = shuffledIndices(poolSize, createRng(seed));
  const picked = Array.from(order.subarray(0, budget), (index, i) => ({
    index,
    rank: i + 1,
    reason: { summary: `uniform random draw ${i + 1} of ${budget} (seed ${seed})` },
  }));
  return { strategy: 'random', budget, picked, stats: { poolSize, seed } };
}

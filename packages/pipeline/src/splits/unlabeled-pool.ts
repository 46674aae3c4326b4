/**
 * The unlabeled pool of the shifted side: a simulated annotation budget. The pool's pairs carry no grade and
 * no rating, and the labels live in a module-private `WeakMap`, unreachable from the pool object (not through
 * its properties, `JSON.stringify` or reflection). The only way to read them is {@link revealLabels}, which
 * records every distinct label it reveals and enforces the budget.
 */
import type { LabeledPair } from '../data/dataset';

/** A pool pair: a {@link LabeledPair} without its label. */
export type PoolPair = Omit<LabeledPair, 'grade' | 'rating'>;

/** One revealed label. */
export interface RevealedLabel {
  /** Index into `pool.pairs`. */
  readonly index: number;
  readonly id: string;
  readonly grade: number;
  readonly rating?: number;
}

interface Hidden {
  readonly labels: readonly { readonly grade: number; readonly rating?: number }[];
  readonly revealed: Set<number>;
}

const HIDDEN = new WeakMap<UnlabeledPool, Hidden>();

/** The unlabeled pool. Create it with {@link createUnlabeledPool}; read labels with {@link revealLabels}. */
export class UnlabeledPool {
  readonly name = 'pool';
  /** The pairs, without labels, in dataset order. */
  readonly pairs: readonly PoolPair[];
  /** Most distinct labels that may be revealed. */
  readonly budget: number;

  /** @internal use {@link createUnlabeledPool}: a pool built directly has no labels to reveal. */
  constructor(pairs: readonly PoolPair[], budget: number) {
    this.pairs = pairs;
    this.budget = budget;
  }

  /** Number of pairs. */
  get size(): number {
    return this.pairs.length;
  }

  /** Distinct labels revealed so far. */
  get revealedCount(): number {
    return HIDDEN.get(this)?.revealed.size ?? 0;
  }

  /** Labels that may still be revealed. */
  get remainingBudget(): number {
    return this.budget - this.revealedCount;
  }

  /** Whether the label of `index` has been revealed. */
  isRevealed(index: number): boolean {
    return HIDDEN.get(this)?.revealed.has(index) ?? false;
  }

  /** The revealed indices, ascending. */
  revealedIndices(): number[] {
    return [...(HIDDEN.get(this)?.revealed ?? [])].sort((a, b) => a - b);
  }
}

/** Options for {@link createUnlabeledPool}. */
export interface CreateUnlabeledPoolOptions {
  /** Most distinct labels that may be revealed. @default Infinity */
  budget?: number;
}

/**
 * Hides the labels of `pairs` behind a new pool.
 * @throws RangeError for a negative or non-integer budget
 */
export function createUnlabeledPool(
  pairs: readonly LabeledPair[],
  options: CreateUnlabeledPoolOptions = {},
): UnlabeledPool {
  const budget = options.budget ?? Infinity;
  if (!(budget === Infinity || (Number.isInteger(budget) && budget >= 0))) {
    throw new RangeError(`budget must be a non-negative integer or Infinity (got ${budget})`);
  }
  const stripped = pairs.map(({ grade: _grade, rating: _rating, ...rest }) => rest);
  const pool = new UnlabeledPool(stripped, budget);
  const labels = pairs.map((p) =>
    p.rating === undefined ? { grade: p.grade } : { grade: p.grade, rating: p.rating },
  );
  HIDDEN.set(pool, { labels, revealed: new Set() });
  return pool;
}

/**
 * Reveals the labels of the given pool indices (the simulated annotation step) and records them. Revealing
 * an index again costs nothing.
 * @returns one label per requested index, in the order requested
 * @throws RangeError for an index that is not an integer in [0, pool.size), or when the new distinct indices
 *   would exceed the budget (nothing is revealed then); TypeError for a pool not made by `createUnlabeledPool`
 */
export function revealLabels(pool: UnlabeledPool, indices: readonly number[]): RevealedLabel[] {
  const hidden = HIDDEN.get(pool);
  if (hidden === undefined)
    throw new TypeError('pool was not created by createUnlabeledPool / createSplits');
  const fresh = new Set<number>();
  for (const i of indices) {
    if (!Number.isInteger(i) || i < 0 || i >= pool.size)
      throw new RangeError(`pool index ${i} is out of range [0, ${pool.size})`);
    if (!hidden.revealed.has(i)) fresh.add(i);
  }
  if (hidden.revealed.size + fresh.size > pool.budget) {
    throw new RangeError(
      `revealing ${fresh.size} new labels would exceed the annotation budget (${pool.budget}, ${hidden.revealed.size} used)`,
    );
  }
  for (const i of fresh) hidden.revealed.add(i);
  return indices.map((index) => {
    const label = hidden.labels[index];
    const pair = pool.pairs[index];
    if (label === undefined || pair === undefined)
      throw new RangeError(`pool index ${index} is out of range [0, ${pool.size})`);
    return { index, id: pair.id, ...label };
  });
}

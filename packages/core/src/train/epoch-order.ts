/**
 * The order in which an epoch visits the training pairs: a seeded shuffle, group-aware when query groups are
 * given so that a query's pairs land in the same mini-batch (pairwise losses compare pairs within a query).
 */
import type { Rng } from '../math/prng';
import { shuffledIndices } from '../math/prng';

/** Options for {@link epochOrder}. */
export interface EpochOrderOptions {
  /**
   * Query id per pair. When given, the groups are shuffled and each group's pairs stay together, in their input
   * order; a group may still straddle two consecutive mini-batches.
   * @default undefined (pairs shuffled individually)
   */
  groups?: ArrayLike<number | string>;
  /** The seeded source; without it the order is the input order (groups in order of first appearance). @default undefined */
  rng?: Rng;
}

/**
 * A permutation of `0 … n−1` for one epoch.
 * @param n - the number of pairs
 * @param options - query groups and the seeded source
 * @throws RangeError when `groups` does not have n entries
 * @example epochOrder(6, { groups: ['a', 'a', 'b', 'c', 'c', 'c'], rng }) // e.g. [3, 4, 5, 0, 1, 2]
 */
export function epochOrder(n: number, options: EpochOrderOptions = {}): Int32Array {
  const { groups, rng } = options;
  if (groups === undefined) {
    return rng === undefined
      ? Int32Array.from({ length: n }, (_, i) => i)
      : Int32Array.from(shuffledIndices(n, rng));
  }
  if (groups.length !== n)
    throw new RangeError(
      `groups must have one entry per pair (got ${groups.length} for ${n} pairs)`,
    );
  const members = new Map<number | string, number[]>();
  for (let i = 0; i < n; i++) {
    const g = groups[i] ?? '';
    const list = members.get(g);
    if (list === undefined) members.set(g, [i]);
    else list.push(i);
  }
  const lists = [...members.values()];
  const visit =
    rng === undefined ? Uint32Array.from(lists.keys()) : shuffledIndices(lists.length, rng);
  const out = new Int32Array(n);
  let o = 0;
  for (const g of visit) for (const i of lists[g] ?? []) out[o++] = i;
  return out;
}

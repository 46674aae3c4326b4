/**
 * Labelled pairs for training and validation, checked once and prepared (frozen features computed).
 */
import { assertLabels } from '../math/check';
import { precomputeFrozen, type FrozenBatch } from '../scorer/frozen';
import type { ScorerParams } from '../scorer/params';
import type { ScorerBatch } from '../scorer/types';

/** Labelled pairs. */
export interface TrainingSet {
  /** The pairs, raw or with their frozen features already computed ({@link precomputeFrozen}). */
  readonly batch: ScorerBatch | FrozenBatch;
  /** Integer grade per pair in [0, K−1]: the classes of the metrics (macro-F1) and, without `ratings`, the loss targets. */
  readonly labels: ArrayLike<number>;
  /** Continuous grade per pair in [0, K−1] (e.g. a mean rating rescaled); when given, the loss receives these as its labels. @default undefined */
  readonly ratings?: ArrayLike<number>;
  /** Query id per pair: passed to the loss (pairwise terms stay within a query) and keeps a query's pairs in one mini-batch. @default undefined */
  readonly groups?: ArrayLike<number | string>;
}

/** A checked {@link TrainingSet}. @internal */
export interface PreparedSet {
  readonly frozen: FrozenBatch;
  readonly size: number;
  readonly labels: Int32Array;
  /** Loss targets: the ratings if given, else the labels. */
  readonly targets: Float64Array;
  readonly groups: readonly (number | string)[] | undefined;
}

/**
 * Checks a set against the params and computes its frozen features if needed.
 * @throws RangeError when labels, ratings or groups do not have one entry per pair, or a label / rating is out of range
 * @internal
 */
export function prepareSet(params: ScorerParams, set: TrainingSet, name: string): PreparedSet {
  if (typeof set !== 'object' || set === null || typeof set.batch !== 'object')
    throw new TypeError(`${name} must be { batch, labels, ratings?, groups? }`);
  const frozen = 'itemPooled' in set.batch ? set.batch : precomputeFrozen(params, set.batch);
  const n = frozen.batch.size;
  const k = params.config.grades;
  if (n === 0) throw new RangeError(`${name}.batch must hold at least one pair`);
  const sameLength = (values: ArrayLike<unknown>, field: string): void => {
    if (values.length !== n)
      throw new RangeError(
        `${name}.${field} must have one entry per pair (got ${values.length} for ${n} pairs)`,
      );
  };
  sameLength(set.labels, 'labels');
  assertLabels(set.labels, k, `${name}.labels`);
  const labels = Int32Array.from(set.labels);
  let targets = Float64Array.from(labels);
  if (set.ratings !== undefined) {
    sameLength(set.ratings, 'ratings');
    targets = Float64Array.from(set.ratings);
    targets.forEach((r, i) => {
      if (!(r >= 0 && r <= k - 1))
        throw new RangeError(
          `${name}.ratings[${i}] must be a grade in [0, ${k - 1}] (got ${String(set.ratings?.[i])})`,
        );
    });
  }
  let groups: (number | string)[] | undefined;
  if (set.groups !== undefined) {
    sameLength(set.groups, 'groups');
    groups = Array.from(set.groups);
  }
  return { frozen, size: n, labels, targets, groups };
}

/** The loss targets and groups of the pairs at `rows`. @internal */
export function selectTargets(
  set: PreparedSet,
  rows: Int32Array,
): { targets: Float64Array; groups: (number | string)[] | undefined } {
  const targets = new Float64Array(rows.length);
  rows.forEach((r, i) => (targets[i] = set.targets[r] ?? 0));
  const { groups } = set;
  return {
    targets,
    groups: groups === undefined ? undefined : Array.from(rows, (r) => groups[r] ?? ''),
  };
}

/**
 * The far-OOD side of the splits: a second dataset (another retailer's judged traffic) cut by query into an
 * unlabeled part that joins the selection pool and a far-OOD test set. Its pair ids get a `far:` prefix, so they
 * never collide with the training data's ids, and its queries that also occur in the training data are left out,
 * so the splits stay query-disjoint across both files.
 */
import { createRng, shuffledIndices } from '@gradeshift/core/math';

import type { Dataset, LabeledPair } from '../data/dataset';
import { groupByQuery } from './query-groups';

/** The far-OOD set's options of `createSplits`. */
export interface FarSplitOptions {
  /** The second dataset; its grade scale must be the training data's. */
  readonly dataset: Dataset;
  /** Share of its queries that join the pool (the rest is the far-OOD test set), in (0, 1). */
  readonly poolFraction: number;
}

/** The far side of the splits. */
export interface FarSplit {
  /** Pairs that join the pool (labels hidden there), dataset order. */
  readonly pool: readonly LabeledPair[];
  /** The far-OOD test pairs, dataset order. */
  readonly test: readonly LabeledPair[];
  /** Normalised far queries left out because the training data has them too. */
  readonly sharedQueries: number;
  /** Normalised far query keys, for the domain of each query. */
  readonly queryKeys: readonly string[];
}

/** The prefix of far-OOD pair ids. */
export const FAR_ID_PREFIX = 'far:';

/**
 * Throws unless the far dataset grades on the training data's scale.
 * @throws RangeError naming both scales
 */
export function checkFarScale(main: Dataset, far: Dataset): void {
  const names = (d: Dataset) => d.scale.grades.map((g) => g.name).join(' / ');
  if (names(main) !== names(far))
    throw new RangeError(
      `the far-OOD data ${far.source.path} grades as ${names(far)}, the training data as ${names(main)}: give the far file a grade mapping onto the same grades`,
    );
}

/** A dataset's rating knots: its range's ends with its grade edges between them (edges only when both exist). */
export function ratingKnots(d: Pick<Dataset, 'ratingRange' | 'ratingEdges'>): number[] | undefined {
  if (d.ratingRange === undefined) return undefined;
  return [d.ratingRange[0], ...(d.ratingEdges ?? []), d.ratingRange[1]];
}

/**
 * A far pair's rating moved onto the training data's rating scale, so both files' ratings mean the same grade:
 * piecewise linearly between the knots (range ends and grade edges) when both files grade by thresholds with the
 * same number of edges (a far rating on an edge lands on the training file's edge), else linearly range to
 * range; none when either file declares no range.
 */
export function onMainScale(
  rating: number | undefined,
  far: readonly number[] | undefined,
  main: readonly number[] | undefined,
): number | undefined {
  if (rating === undefined || far === undefined || main === undefined) return undefined;
  const [from, to] =
    far.length === main.length
      ? [far, main]
      : [
          [far[0] ?? 0, far.at(-1) ?? 1],
          [main[0] ?? 0, main.at(-1) ?? 1],
        ];
  let j = 0;
  while (j < from.length - 2 && rating > (from[j + 1] ?? Infinity)) j++;
  const [a, b] = [from[j] ?? 0, from[j + 1] ?? 1];
  const [c, d] = [to[j] ?? 0, to[j + 1] ?? 1];
  return c + ((rating - a) / (b - a)) * (d - c);
}

/**
 * Cuts the far dataset by query.
 * @param main - the normalised queries of the training data (`keys`), the split seed (the far cut draws from its
 *   own stream) and the training data's rating range and edges, onto which far ratings are moved
 * @throws RangeError for a pool fraction outside (0, 1), scales that differ, or a far side without queries
 */
export function splitFar(
  options: FarSplitOptions,
  main: {
    readonly keys: ReadonlySet<string>;
    readonly seed: number;
    readonly ratings?: Pick<Dataset, 'ratingRange' | 'ratingEdges'>;
  },
): FarSplit {
  const { keys: mainKeys, seed } = main;
  const { dataset, poolFraction } = options;
  if (!(poolFraction > 0 && poolFraction < 1))
    throw new RangeError(`far.poolFraction must be in (0, 1) (got ${poolFraction})`);
  const groups = groupByQuery(dataset.pairs);
  const own = groups.filter((g) => !mainKeys.has(g.key));
  if (own.length < 2)
    throw new RangeError(
      `the far-OOD data ${dataset.source.path} has ${own.length} querie(s) the training data does not also have; it needs at least 2 (one for the pool, one for the test set)`,
    );
  const farKnots = ratingKnots(dataset);
  const mainKnots = main.ratings === undefined ? undefined : ratingKnots(main.ratings);
  // Its own stream: adding a far set leaves the ID and near-OOD cuts of the same seed unchanged.
  const order = shuffledIndices(own.length, createRng(seed + 0x9e37));
  const cutAt = Math.min(own.length - 1, Math.max(1, Math.round(own.length * poolFraction)));
  const pick = (from: number, to: number): LabeledPair[] =>
    Array.from(order.subarray(from, to))
      .flatMap((g) => own[g]?.pairIndices ?? [])
      .sort((a, b) => a - b)
      .flatMap((i) => {
        const p = dataset.pairs[i];
        if (p === undefined) return [];
        const { rating, ...rest } = p;
        const moved = onMainScale(rating, farKnots, mainKnots);
        return [
          {
            ...rest,
            id: `${FAR_ID_PREFIX}${p.id}`,
            ...(moved === undefined ? {} : { rating: moved }),
          },
        ];
      });
  return {
    pool: pick(0, cutAt),
    test: pick(cutAt, own.length),
    sharedQueries: groups.length - own.length,
    queryKeys: own.map((g) => g.key),
  };
}

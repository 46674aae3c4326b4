/**
 * Cluster bootstrap by query: items of one query are correlated (same intent, same annotator batch), so the
 * resampling unit is the query, not the item. Percentile intervals (Efron & Tibshirani 1993, ch. 13).
 */
import {
  assertFinite,
  assertFiniteNumber,
  assertInteger,
  assertNonEmpty,
  assertSameLength,
} from '../math/check';
import { createRng, type Rng } from '../math/prng';
import { quantileSorted } from '../math/rank';
import { sum } from '../math/sum';
import { groupByQuery, type QueryId } from './query-groups';

/** Options for the query bootstrap. */
export interface BootstrapOptions {
  /** Number B of bootstrap resamples. @default 1000 */
  resamples?: number;
  /** Coverage of the two-sided percentile interval, in (0, 1). @default 0.95 */
  level?: number;
  /** Seed of the resampling PRNG (`createRng`); the same seed gives the same interval. @default 0 */
  seed?: number;
}

/** A bootstrap estimate with its percentile interval. */
export interface BootstrapResult {
  /** The statistic on the original data. */
  readonly estimate: number;
  /** The (1 − level)/2 percentile of the bootstrap distribution (numpy's linear interpolation). */
  readonly lower: number;
  /** The (1 + level)/2 percentile of the bootstrap distribution. */
  readonly upper: number;
  /** Standard deviation (ddof = 1) of the bootstrap distribution. */
  readonly standardError: number;
  /** The interval's coverage. */
  readonly level: number;
  /** The B resampled statistics, in draw order. */
  readonly distribution: Float64Array;
}

/** One resample handed to the metric of {@link bootstrapByQuery}. Views are reused: copy to keep them. */
export interface QueryResample {
  /** Sample indices of the drawn queries, concatenated; a query drawn twice appears twice. */
  readonly indices: Uint32Array;
  /** For each entry of `indices`, its draw number in 0..Q−1, so a query drawn twice counts as two queries. */
  readonly queries: Uint32Array;
}

interface CheckedOptions {
  resamples: number;
  level: number;
  rng: Rng;
}

function checkOptions(options: BootstrapOptions): CheckedOptions {
  const { resamples = 1000, level = 0.95, seed = 0 } = options;
  assertInteger(resamples, 'options.resamples', { min: 2 });
  assertFiniteNumber(level, 'options.level');
  if (!(level > 0 && level < 1))
    throw new RangeError(`options.level must be in (0, 1) (got ${level})`);
  return { resamples, level, rng: createRng(seed) };
}

/** Percentile interval and standard error of a bootstrap distribution. */
function summarize(estimate: number, distribution: Float64Array, level: number): BootstrapResult {
  const b = distribution.length;
  const mean = sum(distribution) / b;
  const sq = distribution.map((v) => (v - mean) * (v - mean));
  const sorted = Float64Array.from(distribution).sort();
  return {
    estimate,
    lower: quantileSorted(sorted, (1 - level) / 2),
    upper: quantileSorted(sorted, (1 + level) / 2),
    standardError: Math.sqrt(sum(sq) / (b - 1)),
    level,
    distribution,
  };
}

function checkValue(value: number, what: string): number {
  if (!Number.isFinite(value))
    throw new RangeError(`metric must return a finite number (got ${value} on ${what})`);
  return value;
}

/**
 * Bootstraps any metric by resampling queries with replacement. Each of B resamples draws Q queries
 * (Q = the number of distinct ids) and hands the metric the concatenated sample indices. Per-query index
 * lists are built once, so a resample costs O(n) plus the metric. For a metric that is a (weighted) mean of
 * per-query values, such as mean NDCG, {@link bootstrapQueryMeans} is much faster.
 *
 * @param queryIds - the query of each sample
 * @param metric - computes the statistic from sample indices (and draw numbers, to group by query)
 * @throws RangeError for empty ids, bad options, or a metric that returns a non-finite value
 * @example bootstrapByQuery(qids, ({ indices }) => accuracy(gather(labels, indices), gather(preds, indices)))
 * @see Efron & Tibshirani (1993), An Introduction to the Bootstrap, ch. 13 (percentile intervals).
 * @see Field & Welsh (2007), Bootstrapping clustered data, JRSS-B 69(3).
 */
export function bootstrapByQuery(
  queryIds: ArrayLike<QueryId>,
  metric: (sample: QueryResample) => number,
  options: BootstrapOptions = {},
): BootstrapResult {
  const groups = groupByQuery(queryIds);
  const { resamples, level, rng } = checkOptions(options);
  const n = queryIds.length;
  const q = groups.ids.length;
  const estimate = checkValue(
    metric({ indices: Uint32Array.from({ length: n }, (_, i) => i), queries: groups.groupOf }),
    'the original sample',
  );
  let indices = new Uint32Array(n);
  let queries = new Uint32Array(n);
  const distribution = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let len = 0;
    for (let draw = 0; draw < q; draw++) {
      const g = rng.int(q);
      const start = groups.offsets[g] ?? 0;
      const end = groups.offsets[g + 1] ?? 0;
      if (len + end - start > indices.length) {
        // Grow geometrically: a resample can be longer than n when large queries are drawn repeatedly.
        const grown = new Uint32Array(Math.max(2 * indices.length, len + end - start));
        grown.set(indices.subarray(0, len));
        indices = grown;
        const grownQ = new Uint32Array(grown.length);
        grownQ.set(queries.subarray(0, len));
        queries = grownQ;
      }
      indices.set(groups.indices.subarray(start, end), len);
      queries.fill(draw, len, len + end - start);
      len += end - start;
    }
    const sample = { indices: indices.subarray(0, len), queries: queries.subarray(0, len) };
    distribution[r] = checkValue(metric(sample), `resample ${r}`);
  }
  return summarize(estimate, distribution, level);
}

/** Options for {@link bootstrapQueryMeans}. */
export interface BootstrapMeansOptions extends BootstrapOptions {
  /** Positive weight per query (e.g. its item count, for a micro-average). @default all 1 */
  weights?: ArrayLike<number>;
}

/**
 * Fast path for statistics that are a (weighted) mean of per-query values, e.g. mean NDCG from
 * `meanNdcg(...).perQuery`, or micro accuracy from per-query accuracies weighted by item counts:
 * each resample costs O(Q). Draws queries exactly as {@link bootstrapByQuery} does with the same seed.
 *
 * @param values - one value per query
 * @throws RangeError for empty or non-finite values, weights of the wrong length or ≤ 0, or bad options
 * @example bootstrapQueryMeans(meanNdcg({ scores, labels, queryIds }, { k: 10 }).perQuery)
 */
export function bootstrapQueryMeans(
  values: ArrayLike<number>,
  options: BootstrapMeansOptions = {},
): BootstrapResult {
  assertNonEmpty(values, 'values');
  assertFinite(values, 'values');
  const { resamples, level, rng } = checkOptions(options);
  const q = values.length;
  const weights = options.weights ?? new Float64Array(q).fill(1);
  assertSameLength(values, weights, ['values', 'weights']);
  assertFinite(weights, 'weights');
  const wv = new Float64Array(q);
  for (let g = 0; g < q; g++) {
    const w = weights[g] ?? 0;
    if (!(w > 0)) throw new RangeError(`weights[${g}] must be > 0 (got ${w})`);
    wv[g] = w * (values[g] ?? 0);
  }
  const estimate = sum(wv) / sum(weights);
  const distribution = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let num = 0;
    let den = 0;
    for (let draw = 0; draw < q; draw++) {
      const g = rng.int(q);
      num += wv[g] ?? 0;
      den += weights[g] ?? 0;
    }
    distribution[r] = num / den;
  }
  return summarize(estimate, distribution, level);
}

/**
 * The entries of `values` at `indices`, as a new Float64Array: the usual first step inside a bootstrap metric.
 * @throws RangeError for an index outside `values`
 */
export function gather(values: ArrayLike<number>, indices: ArrayLike<number>): Float64Array {
  const out = new Float64Array(indices.length);
  for (let t = 0; t < indices.length; t++) {
    const i = indices[t] ?? 0;
    const v = values[i];
    if (v === undefined)
      throw new RangeError(`indices[${t}] = ${i} is outside values (length ${values.length})`);
    out[t] = v;
  }
  return out;
}

/**
 * Graded NDCG@k per query over its judged items ranked by a model score, averaged over queries (methods.md §6).
 */
import { assertFinite, assertInteger, assertNonEmpty, assertSameLength } from '../math/check';
import { argsort } from '../math/rank';
import { sum } from '../math/sum';
import { groupByQuery, type QueryId } from './query-groups';

/**
 * Gain of a label: `'linear'` = the label itself (Järvelin & Kekäläinen 2002; scikit-learn), `'exponential'`
 * = 2^label − 1 (Burges et al. 2005), or a table `gains[label]` for integer grades (e.g. a GradeScale's gains).
 */
export type NdcgGain = 'linear' | 'exponential' | readonly number[];

/** Options for {@link queryNdcg} and {@link meanNdcg}. */
export interface NdcgOptions {
  /** How a label becomes a gain. @default 'linear' */
  gain?: NdcgGain;
  /** Cut-off: only the top k ranks count, in both DCG and the ideal DCG. @default all items */
  k?: number;
  /**
   * Tied scores: `'average'` gives every item of a tie group the group's mean gain, i.e. the expected DCG
   * over all orders of the tie (McSherry & Najork 2008; scikit-learn's `ignore_ties=False`); `'stable'`
   * breaks ties by input order.
   * @default 'average'
   */
  ties?: 'average' | 'stable';
  /**
   * A query whose ideal DCG is 0 (no item with positive gain): `'zero'` scores it 0 (scikit-learn);
   * `'skip'` leaves it out of the mean (trec_eval-style tools). Only {@link meanNdcg} can skip.
   * @default 'zero'
   */
  zeroIdealDcg?: 'zero' | 'skip';
}

/** Input of {@link meanNdcg}: one entry per judged (query, item) pair, in any order. */
export interface NdcgInput {
  /** Model scores, higher = ranked first. */
  readonly scores: ArrayLike<number>;
  /** Relevance labels (grades), finite and ≥ 0. */
  readonly labels: ArrayLike<number>;
  /** The query of each item. */
  readonly queryIds: ArrayLike<QueryId>;
}

/** Result of {@link meanNdcg}. */
export interface NdcgResult {
  /** Mean NDCG over the evaluated queries (0 when none is evaluated). */
  readonly mean: number;
  /** NDCG of each evaluated query, aligned with `queryIds`. */
  readonly perQuery: Float64Array;
  /** Evaluated queries, in order of first appearance. */
  readonly queryIds: readonly QueryId[];
  /** Queries left out because their ideal DCG is 0 (only with `zeroIdealDcg: 'skip'`). */
  readonly skippedQueryIds: readonly QueryId[];
}

function toGains(labels: ArrayLike<number>, gain: NdcgGain): Float64Array {
  assertFinite(labels, 'labels');
  const table = typeof gain === 'string' ? undefined : gain;
  if (table !== undefined) {
    assertFinite(table, 'gain');
    table.forEach((g, c) => {
      if (g < 0) throw new RangeError(`gain[${c}] must be ≥ 0 (got ${g})`);
    });
  }
  const out = new Float64Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i] ?? 0;
    if (y < 0) throw new RangeError(`labels[${i}] must be ≥ 0 (got ${y})`);
    if (table !== undefined) {
      if (!Number.isInteger(y) || y >= table.length) {
        throw new RangeError(
          `labels[${i}] must be an integer grade in [0, ${table.length - 1}] (got ${y})`,
        );
      }
      out[i] = table[y] ?? 0;
    } else {
      out[i] = gain === 'exponential' ? 2 ** y - 1 : y;
      if (!Number.isFinite(out[i] ?? 0))
        throw new RangeError(`labels[${i}] is too large for exponential gain (got ${y})`);
    }
  }
  return out;
}

/** 1 / log2(rank + 1) for the 0-based position r. */
function discount(r: number): number {
  return 1 / Math.log2(r + 2);
}

/** DCG and ideal DCG of one query, from its scores and gains. */
function dcgPair(
  scores: Float64Array,
  gains: Float64Array,
  options: NdcgOptions,
): [number, number] {
  const m = scores.length;
  const cut = Math.min(options.k ?? m, m);
  const order = argsort(scores, { descending: true });
  let dcg = 0;
  let r = 0;
  while (r < cut) {
    const s = scores[order[r] ?? 0];
    let end = r + 1;
    if (options.ties !== 'stable') while (end < m && scores[order[end] ?? 0] === s) end++;
    // A tie group spanning positions [r, end) contributes its mean gain times the discounts it covers above k.
    let g = 0;
    for (let t = r; t < end; t++) g += gains[order[t] ?? 0] ?? 0;
    let d = 0;
    for (let t = r; t < Math.min(end, cut); t++) d += discount(t);
    dcg += (g / (end - r)) * d;
    r = end;
  }
  const ideal = Float64Array.from(gains).sort().reverse();
  let idcg = 0;
  for (let t = 0; t < cut; t++) idcg += (ideal[t] ?? 0) * discount(t);
  return [dcg, idcg];
}

function checkOptions(options: NdcgOptions): void {
  if (options.k !== undefined) assertInteger(options.k, 'options.k', { min: 1 });
}

/**
 * NDCG@k of one query: DCG@k / ideal DCG@k, with `DCG@k = Σ_{i ≤ k} gain(rel_i) / log2(i + 1)` and the ideal
 * DCG taken over the best order of all the query's judged items. Returns 0 when the ideal DCG is 0.
 * Matches `sklearn.metrics.ndcg_score([labels], [scores], k=k)` for linear gain and average ties.
 *
 * @param scores - model scores of the query's items
 * @param labels - their relevance labels (≥ 0)
 * @throws RangeError for empty or unequal-length inputs, a non-finite value, a negative label or a bad `k`
 * @see https://scikit-learn.org/1.2/modules/generated/sklearn.metrics.ndcg_score.html
 * @see Järvelin & Kekäläinen (2002), Cumulated gain-based evaluation of IR techniques, ACM TOIS 20(4).
 * @see McSherry & Najork (2008), Computing information retrieval performance measures efficiently in the presence of tied scores, ECIR.
 */
export function queryNdcg(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  options: NdcgOptions = {},
): number {
  assertNonEmpty(scores, 'scores');
  assertSameLength(scores, labels, ['scores', 'labels']);
  assertFinite(scores, 'scores');
  checkOptions(options);
  const [dcg, idcg] = dcgPair(
    Float64Array.from(scores),
    toGains(labels, options.gain ?? 'linear'),
    options,
  );
  return idcg > 0 ? dcg / idcg : 0;
}

/**
 * NDCG@k of every query and their mean. Items are grouped by `queryIds` (any order); each query is ranked
 * by its own scores. Matches the mean of `sklearn.metrics.ndcg_score` applied query by query.
 *
 * @example meanNdcg({ scores, labels, queryIds }, { k: 10, gain: 'exponential' }).mean
 * @throws RangeError for empty or unequal-length inputs, a non-finite score or label, a negative label,
 *   a bad query id or a bad `k`
 * @see https://scikit-learn.org/1.2/modules/generated/sklearn.metrics.ndcg_score.html
 * @see Burges et al. (2005), Learning to rank using gradient descent, ICML (exponential gain).
 */
export function meanNdcg(input: NdcgInput, options: NdcgOptions = {}): NdcgResult {
  const { scores, labels, queryIds } = input;
  assertNonEmpty(scores, 'scores');
  assertSameLength(scores, labels, ['scores', 'labels']);
  assertSameLength(scores, queryIds, ['scores', 'queryIds']);
  assertFinite(scores, 'scores');
  checkOptions(options);
  const gains = toGains(labels, options.gain ?? 'linear');
  const groups = groupByQuery(queryIds);
  const values: number[] = [];
  const evaluated: QueryId[] = [];
  const skipped: QueryId[] = [];
  for (let q = 0; q < groups.ids.length; q++) {
    const idx = groups.indices.subarray(groups.offsets[q] ?? 0, groups.offsets[q + 1] ?? 0);
    const s = new Float64Array(idx.length);
    const g = new Float64Array(idx.length);
    for (let t = 0; t < idx.length; t++) {
      s[t] = scores[idx[t] ?? 0] ?? 0;
      g[t] = gains[idx[t] ?? 0] ?? 0;
    }
    const [dcg, idcg] = dcgPair(s, g, options);
    const id = groups.ids[q] ?? q;
    if (idcg > 0 || options.zeroIdealDcg !== 'skip') {
      values.push(idcg > 0 ? dcg / idcg : 0);
      evaluated.push(id);
    } else {
      skipped.push(id);
    }
  }
  const perQuery = Float64Array.from(values);
  return {
    mean: perQuery.length > 0 ? sum(perQuery) / perQuery.length : 0,
    perQuery,
    queryIds: evaluated,
    skippedQueryIds: skipped,
  };
}

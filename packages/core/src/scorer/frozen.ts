/**
 * The part of the scorer's forward pass that depends only on the frozen embeddings: the real query token
 * vectors, each one's best cosine match in the item, the pooled item vector and three match summaries.
 * Computed once per data set so that training epochs do not redo it.
 */
import { assertEmbeddingTable } from './check-params';
import { assertScorerBatch } from './check-batch';
import { DistinctTokenRows } from './distinct-token-rows';
import type { EmbeddingTable } from './params';
import { gatherToken, normalizeInPlace, type TokenSource } from './token-vectors';
import { assertScorerConfig, SCORER_CONSTANTS, type ScorerBatch, type ScorerConfig } from './types';

/** Number of frozen match summaries per pair in {@link FrozenBatch.matchSummaries}. */
export const FROZEN_SUMMARY_COUNT = 3;

/**
 * A {@link ScorerBatch} with its embedding-only features. Real query tokens (some slot weight > 0) are stored
 * compactly, T rows in all: those of pair p are rows `tokenStart[p]` … `tokenStart[p + 1] − 1`, in query order.
 * Vectors are stored in Float32 (the precision of the word vectors), scalars in Float64.
 */
export interface FrozenBatch {
  /** The batch these features belong to (checked against the config and vocabulary). */
  readonly batch: ScorerBatch;
  /** The config the batch was checked against. */
  readonly config: ScorerConfig;
  /** V of the embedding table used. */
  readonly vocabSize: number;
  /** First real-token row of each pair, B + 1 entries (the last is T). */
  readonly tokenStart: Int32Array;
  /** Position (0 … Lq − 1) of each real token in its query, T entries. */
  readonly tokenPosition: Int32Array;
  /** Row of each real query token's vector in `tokenVectors`, T entries. */
  readonly tokenRow: Int32Array;
  /**
   * The distinct query token vectors E_q = Σ_s w_s·Emb[id_s], U·D (tokens with the same slots share a row, so
   * frequent words stay in cache when mini-batches visit pairs in random order).
   */
  readonly tokenVectors: Float32Array;
  /** maxSim of each real query token: max over real item tokens j of cos(E_q, E_t[j]), 0 for an empty item; T entries. */
  readonly tokenMaxSim: Float64Array;
  /** t = mean of the real item token vectors (0 without any), B·D. */
  readonly itemPooled: Float32Array;
  /** Per pair [mean maxSim, min maxSim, fraction of maxSim > 0.9] over its real query tokens (0 without any); B·3. */
  readonly matchSummaries: Float64Array;
}

/**
 * Checks a batch and computes its frozen features: token vectors E = Σ_s w_s·Emb[id_s], unit vectors
 * û = E / (‖E‖ + 1e-8), maxSim_i = max_j û_q[i]·û_t[j] over real item tokens, t = mean of real item token
 * vectors, and the summaries (mean, min and fraction > 0.9 of maxSim over real query tokens). All of it is
 * computed in Float64; E_q and t are then stored in Float32.
 * The Term Control gate of the trainable pass reads maxSim as its term-match signal (RRADistill's idea of
 * injecting term matching into dense representations; the exact TCL equations are unpublished).
 * @param model - the config and the frozen embedding table (e.g. a {@link ScorerParams})
 * @param batch - the pairs
 * @throws RangeError when the batch's sizes disagree with the config, an id is ≥ V or < 0, or a value is NaN
 * @see https://arxiv.org/abs/2410.18097 (RRADistill, Term Control Layer)
 */
export function precomputeFrozen(
  model: { readonly config: ScorerConfig; readonly embeddings: EmbeddingTable },
  batch: ScorerBatch,
): FrozenBatch {
  const { config, embeddings } = model;
  assertScorerConfig(config);
  assertEmbeddingTable(embeddings, config);
  const vocabSize = embeddings.dims[0];
  assertScorerBatch(batch, { config, vocabSize });
  const d = config.embeddingDim;
  const b = batch.size;
  const tokenStart = queryTokenStarts(batch, config);
  const total = tokenStart[b] ?? 0;
  const out: FrozenArrays = {
    tokenStart,
    tokenPosition: new Int32Array(total),
    tokenRow: new Int32Array(total),
    tokenMaxSim: new Float64Array(total),
    itemPooled: new Float32Array(b * d),
    matchSummaries: new Float64Array(b * FROZEN_SUMMARY_COUNT),
  };
  const work = createPairWork(model, batch, new DistinctTokenRows(total, d));
  for (let p = 0; p < b; p++) {
    const itemTokens = gatherItemTokens(work, p, out.itemPooled);
    matchQueryTokens(work, { pair: p, itemTokens }, out);
  }
  return { batch, config, vocabSize, ...out, tokenVectors: work.rows.toArray() };
}

/** The per-pair arrays of a {@link FrozenBatch} being filled. */
type FrozenArrays = Pick<
  FrozenBatch,
  'tokenStart' | 'tokenPosition' | 'tokenRow' | 'tokenMaxSim' | 'itemPooled' | 'matchSummaries'
>;

/** What the per-pair steps share: the batch, its token sources and Float64 scratch reused for every pair. */
interface PairWork {
  readonly batch: ScorerBatch;
  readonly config: ScorerConfig;
  readonly query: TokenSource;
  readonly item: TokenSource;
  /** The query token being matched, D entries. */
  readonly qVec: Float64Array;
  /** The pair's real item tokens as unit vectors, Lt·D entries. */
  readonly tUnit: Float64Array;
  /** Sum of the pair's real item token vectors, D entries. */
  readonly pooled: Float64Array;
  readonly rows: DistinctTokenRows;
}

function createPairWork(
  model: { readonly config: ScorerConfig; readonly embeddings: EmbeddingTable },
  batch: ScorerBatch,
  rows: DistinctTokenRows,
): PairWork {
  const { config, embeddings } = model;
  const { embeddingDim: dim, slots } = config;
  const table = embeddings.data;
  return {
    batch,
    config,
    query: { ids: batch.queryIds, weights: batch.queryWeights, table, dim, slots },
    item: { ids: batch.itemIds, weights: batch.itemWeights, table, dim, slots },
    qVec: new Float64Array(dim),
    tUnit: new Float64Array(config.maxItemTokens * dim),
    pooled: new Float64Array(dim),
    rows,
  };
}

/** First real-token row of each pair (a query slot group with some weight ≠ 0 is a real token); B + 1 entries. */
function queryTokenStarts(batch: ScorerBatch, config: ScorerConfig): Int32Array {
  const { maxQueryTokens: lq, slots } = config;
  const tokenStart = new Int32Array(batch.size + 1);
  for (let p = 0; p < batch.size; p++) {
    let n = 0;
    for (let i = 0; i < lq; i++)
      if (hasWeight(batch.queryWeights, (p * lq + i) * slots, slots)) n++;
    tokenStart[p + 1] = (tokenStart[p] ?? 0) + n;
  }
  return tokenStart;
}

/**
 * Gathers pair p's real item tokens into `work.tUnit` as unit vectors and writes their mean (before
 * normalizing) to `itemPooled` (left 0 without any).
 * @returns nt, the pair's real item tokens
 */
function gatherItemTokens(work: PairWork, p: number, itemPooled: Float32Array): number {
  const { embeddingDim: d, maxItemTokens: lt, slots } = work.config;
  const { tUnit, pooled } = work;
  const { normEpsilon } = SCORER_CONSTANTS;
  let nt = 0;
  pooled.fill(0);
  for (let j = 0; j < lt; j++) {
    if (!gatherToken(work.item, { slot: (p * lt + j) * slots, offset: nt * d }, tUnit)) continue;
    for (let k = 0; k < d; k++) pooled[k] = (pooled[k] ?? 0) + (tUnit[nt * d + k] ?? 0);
    normalizeInPlace(tUnit, nt * d, { dim: d, epsilon: normEpsilon });
    nt++;
  }
  if (nt > 0) for (let k = 0; k < d; k++) itemPooled[p * d + k] = (pooled[k] ?? 0) / nt;
  return nt;
}

/**
 * For each real query token of the pair: its position, its distinct vector row and maxSim against the
 * `itemTokens` unit vectors gathered by {@link gatherItemTokens}; then the pair's match summaries.
 */
function matchQueryTokens(
  work: PairWork,
  pair: { readonly pair: number; readonly itemTokens: number },
  out: FrozenArrays,
): void {
  const { embeddingDim: d, maxQueryTokens: lq, slots } = work.config;
  const { normEpsilon, highMatch } = SCORER_CONSTANTS;
  const { qVec, tUnit } = work;
  const { pair: p, itemTokens: nt } = pair;
  const first = out.tokenStart[p] ?? 0;
  let row = first;
  let sum = 0;
  let min = Infinity;
  let high = 0;
  for (let i = 0; i < lq; i++) {
    if (!gatherToken(work.query, { slot: (p * lq + i) * slots, offset: 0 }, qVec)) continue;
    out.tokenPosition[row] = i;
    out.tokenRow[row] = work.rows.rowOf(slotKey(work.batch, (p * lq + i) * slots, slots), qVec);
    normalizeInPlace(qVec, 0, { dim: d, epsilon: normEpsilon });
    const best = maxCosine(qVec, tUnit, nt);
    out.tokenMaxSim[row] = best;
    sum += best;
    if (best < min) min = best;
    if (best > highMatch) high++;
    row++;
  }
  const n = row - first;
  if (n === 0) return;
  const s = p * FROZEN_SUMMARY_COUNT;
  out.matchSummaries[s] = sum / n;
  out.matchSummaries[s + 1] = min;
  out.matchSummaries[s + 2] = high / n;
}

/** max over the first `count` unit vectors of û_q·û_t[j]; 0 when there are none (an empty item). */
function maxCosine(q: Float64Array, units: Float64Array, count: number): number {
  const d = q.length;
  let best = count > 0 ? -Infinity : 0;
  for (let j = 0; j < count; j++) {
    const c = cosine(q, units, j * d);
    if (c > best) best = c;
  }
  return best;
}

/** û_q·û_t[j] with four partial sums (independent additions overlap; one running sum waits on each add). */
function cosine(q: Float64Array, units: Float64Array, offset: number): number {
  const d = q.length;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < d; k += 4) {
    s0 += (q[k] ?? 0) * (units[offset + k] ?? 0);
    s1 += (q[k + 1] ?? 0) * (units[offset + k + 1] ?? 0);
    s2 += (q[k + 2] ?? 0) * (units[offset + k + 2] ?? 0);
    s3 += (q[k + 3] ?? 0) * (units[offset + k + 3] ?? 0);
  }
  for (; k < d; k++) s0 += (q[k] ?? 0) * (units[offset + k] ?? 0);
  return s0 + s1 + (s2 + s3);
}

/** A key identifying a token by its non-empty slots (id and weight), so equal tokens share one vector row. */
function slotKey(batch: ScorerBatch, start: number, slots: number): string {
  let key = '';
  for (let s = 0; s < slots; s++) {
    const w = batch.queryWeights[start + s] ?? 0;
    if (w !== 0) key += `${batch.queryIds[start + s] ?? 0}:${w};`;
  }
  return key;
}

/** Whether some slot of the token starting at `start` has a weight other than 0. */
function hasWeight(weights: Float32Array, start: number, slots: number): boolean {
  for (let s = 0; s < slots; s++) if ((weights[start + s] ?? 0) !== 0) return true;
  return false;
}

/**
 * The part of the scorer's forward pass that depends only on the frozen embeddings: the real query token
 * vectors, each one's best cosine match in the item, the pooled item vector and three match summaries.
 * Computed once per data set so that training epochs do not redo it.
 */
import { assertEmbeddingTable } from './check-params';
import { assertScorerBatch } from './check-batch';
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
  const { embeddingDim: d, maxQueryTokens: lq, maxItemTokens: lt, slots } = config;
  const { normEpsilon, highMatch } = SCORER_CONSTANTS;
  const b = batch.size;
  const tokenStart = new Int32Array(b + 1);
  for (let p = 0; p < b; p++) {
    let n = 0;
    for (let i = 0; i < lq; i++)
      if (hasWeight(batch.queryWeights, (p * lq + i) * slots, slots)) n++;
    tokenStart[p + 1] = (tokenStart[p] ?? 0) + n;
  }
  const total = tokenStart[b] ?? 0;
  const tokenPosition = new Int32Array(total);
  const tokenRow = new Int32Array(total);
  const distinct = new Map<string, number>();
  let tokenVectors = new Float32Array(Math.max(1, Math.min(total, 1024)) * d);
  const tokenMaxSim = new Float64Array(total);
  const itemPooled = new Float32Array(b * d);
  const matchSummaries = new Float64Array(b * FROZEN_SUMMARY_COUNT);
  const qSource: TokenSource = {
    ids: batch.queryIds,
    weights: batch.queryWeights,
    table: embeddings.data,
    dim: d,
    slots,
  };
  const tSource: TokenSource = {
    ids: batch.itemIds,
    weights: batch.itemWeights,
    table: embeddings.data,
    dim: d,
    slots,
  };
  const qVec = new Float64Array(d);
  const tUnit = new Float64Array(lt * d);
  const pooled = new Float64Array(d);
  for (let p = 0; p < b; p++) {
    let nt = 0;
    pooled.fill(0);
    for (let j = 0; j < lt; j++) {
      if (!gatherToken(tSource, { slot: (p * lt + j) * slots, offset: nt * d }, tUnit)) continue;
      for (let k = 0; k < d; k++) pooled[k] = (pooled[k] ?? 0) + (tUnit[nt * d + k] ?? 0);
      normalizeInPlace(tUnit, nt * d, { dim: d, epsilon: normEpsilon });
      nt++;
    }
    if (nt > 0) for (let k = 0; k < d; k++) itemPooled[p * d + k] = (pooled[k] ?? 0) / nt;
    let row = tokenStart[p] ?? 0;
    let sum = 0;
    let min = Infinity;
    let high = 0;
    for (let i = 0; i < lq; i++) {
      if (!gatherToken(qSource, { slot: (p * lq + i) * slots, offset: 0 }, qVec)) continue;
      tokenPosition[row] = i;
      const key = slotKey(batch, (p * lq + i) * slots, slots);
      let vectorRow = distinct.get(key);
      if (vectorRow === undefined) {
        vectorRow = distinct.size;
        distinct.set(key, vectorRow);
        if ((vectorRow + 1) * d > tokenVectors.length) {
          const grown = new Float32Array(tokenVectors.length * 2);
          grown.set(tokenVectors);
          tokenVectors = grown;
        }
        tokenVectors.set(qVec, vectorRow * d);
      }
      tokenRow[row] = vectorRow;
      normalizeInPlace(qVec, 0, { dim: d, epsilon: normEpsilon });
      // An empty item leaves maxSim at 0.
      let best = nt > 0 ? -Infinity : 0;
      for (let j = 0; j < nt; j++) {
        const c = cosine(qVec, tUnit, j * d);
        if (c > best) best = c;
      }
      tokenMaxSim[row] = best;
      sum += best;
      if (best < min) min = best;
      if (best > highMatch) high++;
      row++;
    }
    const n = row - (tokenStart[p] ?? 0);
    if (n === 0) continue;
    const s = p * FROZEN_SUMMARY_COUNT;
    matchSummaries[s] = sum / n;
    matchSummaries[s + 1] = min;
    matchSummaries[s + 2] = high / n;
  }
  tokenVectors = tokenVectors.slice(0, distinct.size * d);
  return {
    batch,
    config,
    vocabSize,
    tokenStart,
    tokenPosition,
    tokenRow,
    tokenVectors,
    tokenMaxSim,
    itemPooled,
    matchSummaries,
  };
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

function hasWeight(weights: Float32Array, start: number, slots: number): boolean {
  for (let s = 0; s < slots; s++) if ((weights[start + s] ?? 0) !== 0) return true;
  return false;
}

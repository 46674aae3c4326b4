/**
 * The content space of a scored pair (TypeScript reference of the graph's `content` and `ood_surprisal`
 * outputs): what the query and the item are about, not how well they match. The relevance head's features
 * encode match quality, which a foreign catalogue has as much of as a familiar one; these say what the traffic
 * is, so a detector fitted on them sees a shift of catalogue or query mix.
 *
 * Per side (query, item), over its real tokens (some slot weight > 0; padding skipped), with the token vector
 * E = Σ_s w_s·Emb[id_s] of the scorer:
 * - the pooled direction u = m / (‖m‖ + 1e-8), m = mean E (0 without tokens): `content = [u_query, u_item]`;
 * - the item's mean surprisal, mean over its real tokens of `surprisal[id_slot0]` (the token's first slot
 *   row: its word id, or an unknown word's first sub-word bucket, which holds the unseen value): `ood_surprisal`.
 */
import type { Matrix } from '../math/matrix';
import type { EmbeddingTable } from '../scorer/params';
import { SCORER_CONSTANTS, type ScorerBatch, type ScorerConfig } from '../scorer/types';

/** Content outputs of a batch. */
export interface ContentFeatures {
  /** B × 2D: the unit pooled query direction, then the item's. */
  readonly content: Matrix;
  /** B: the item's mean token surprisal under ID-train document frequencies (higher = less familiar). */
  readonly surprisal: Float64Array;
}

/** Width of the content space: 2·D. */
export function contentDim(config: ScorerConfig): number {
  return 2 * config.embeddingDim;
}

function poolSide(
  side: { ids: Int32Array; weights: Float32Array; tokens: number },
  at: { pair: number; slots: number; dim: number; embeddings: EmbeddingTable },
  out: { into: Float64Array; offset: number; surprisal?: Float32Array },
): number {
  const { pair, slots: s, dim: d, embeddings } = at;
  const { into, offset, surprisal } = out;
  const table = embeddings.data;
  let count = 0;
  let surprise = 0;
  for (let i = 0; i < side.tokens; i++) {
    const base = (pair * side.tokens + i) * s;
    let weightSum = 0;
    for (let k = 0; k < s; k++) weightSum += side.weights[base + k] ?? 0;
    if (!(weightSum > 0)) continue;
    count++;
    if (surprisal !== undefined) surprise += surprisal[side.ids[base] ?? 0] ?? 0;
    for (let k = 0; k < s; k++) {
      const w = side.weights[base + k] ?? 0;
      if (w === 0) continue;
      const row = (side.ids[base + k] ?? 0) * d;
      for (let j = 0; j < d; j++)
        into[offset + j] = (into[offset + j] ?? 0) + w * (table[row + j] ?? 0);
    }
  }
  const divisor = Math.max(count, 1);
  let squares = 0;
  for (let j = 0; j < d; j++) {
    const v = (into[offset + j] ?? 0) / divisor;
    into[offset + j] = v;
    squares += v * v;
  }
  const denominator = Math.sqrt(squares) + SCORER_CONSTANTS.normEpsilon;
  for (let j = 0; j < d; j++) into[offset + j] = (into[offset + j] ?? 0) / denominator;
  return surprise / divisor;
}

/**
 * Computes the content outputs of a batch, as the exported graph does (in Float64).
 * @param batch - the scorer's batched input
 * @param model - config, frozen embedding table and the per-row surprisal table (`buildSurprisalTable`)
 * @returns the content rows and the item surprisal
 * @throws RangeError when the surprisal table does not have one value per embedding row
 * @example computeContentFeatures(batch, { config, embeddings, surprisal: buildSurprisalTable({ vocabulary, statistics }) })
 */
export function computeContentFeatures(
  batch: ScorerBatch,
  model: { config: ScorerConfig; embeddings: EmbeddingTable; surprisal: Float32Array },
): ContentFeatures {
  const { config, embeddings, surprisal } = model;
  const [rows, d] = embeddings.dims;
  if (surprisal.length !== rows)
    throw new RangeError(
      `surprisal must have one value per embedding row (${rows}; got ${surprisal.length})`,
    );
  const width = 2 * d;
  const content = new Float64Array(batch.size * width);
  const scores = new Float64Array(batch.size);
  const query = { ids: batch.queryIds, weights: batch.queryWeights, tokens: config.maxQueryTokens };
  const item = { ids: batch.itemIds, weights: batch.itemWeights, tokens: config.maxItemTokens };
  for (let b = 0; b < batch.size; b++) {
    const at = { pair: b, slots: config.slots, dim: d, embeddings };
    poolSide(query, at, { into: content, offset: b * width });
    scores[b] = poolSide(item, at, { into: content, offset: b * width + d, surprisal });
  }
  return { content: { rows: batch.size, cols: width, data: content }, surprisal: scores };
}

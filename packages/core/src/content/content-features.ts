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
 *
 * Per pair, given the pair weight table p (`buildPairWeightTable`: 0 for number and unit words, 1 otherwise), over
 * the real tokens t of the query and the item together, with r_t its first slot row:
 * `ood_pair_surprisal = Σ_t p[r_t]·surprisal[r_t] / max(Σ_t p[r_t], 1)`, the mean surprisal of the pair's topic
 * words (each word of either side counts once; 0 for a pair without any).
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
  /** B: the pair's mean topic-word surprisal (query and item tokens together), when a pair weight table is given. */
  readonly pairSurprisal?: Float64Array;
}

/** One side's slot ids and weights in a batch, and its token count per pair. */
interface Side {
  ids: Int32Array;
  weights: Float32Array;
  tokens: number;
}

/** Width of the content space: 2·D. */
export function contentDim(config: ScorerConfig): number {
  return 2 * config.embeddingDim;
}

function poolSide(
  side: Side,
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

/** Adds one side's weighted surprisal of pair `at.pair` to `into` ([sum, weight]). */
function addPairSide(
  side: Side,
  at: { pair: number; slots: number; into: [number, number] },
  tables: { surprisal: Float32Array; pairWeights: Float32Array },
): void {
  const { into } = at;
  const s = at.slots;
  for (let i = 0; i < side.tokens; i++) {
    const base = (at.pair * side.tokens + i) * s;
    let weightSum = 0;
    for (let k = 0; k < s; k++) weightSum += side.weights[base + k] ?? 0;
    if (!(weightSum > 0)) continue;
    const row = side.ids[base] ?? 0;
    const w = tables.pairWeights[row] ?? 0;
    into[0] += w * (tables.surprisal[row] ?? 0);
    into[1] += w;
  }
}

/**
 * Computes the content outputs of a batch, as the exported graph does (in Float64).
 * @param batch - the scorer's batched input
 * @param model - config, frozen embedding table, the per-row surprisal table (`buildSurprisalTable`) and,
 *   optionally, the pair weight table (`buildPairWeightTable`)
 * @returns the content rows, the item surprisal and, with a pair weight table, the pair surprisal
 * @throws RangeError when a table does not have one value per embedding row
 * @example computeContentFeatures(batch, { config, embeddings, surprisal: buildSurprisalTable({ vocabulary, statistics }) })
 */
export function computeContentFeatures(
  batch: ScorerBatch,
  model: {
    config: ScorerConfig;
    embeddings: EmbeddingTable;
    surprisal: Float32Array;
    pairWeights?: Float32Array | undefined;
  },
): ContentFeatures {
  const { config, embeddings, surprisal, pairWeights } = model;
  const [rows, d] = embeddings.dims;
  for (const [name, table] of [
    ['surprisal', surprisal],
    ['pairWeights', pairWeights],
  ] as const)
    if (table !== undefined && table.length !== rows)
      throw new RangeError(
        `${name} must have one value per embedding row (${rows}; got ${table.length})`,
      );
  const width = 2 * d;
  const content = new Float64Array(batch.size * width);
  const scores = new Float64Array(batch.size);
  const pair = pairWeights === undefined ? undefined : new Float64Array(batch.size);
  const query = { ids: batch.queryIds, weights: batch.queryWeights, tokens: config.maxQueryTokens };
  const item = { ids: batch.itemIds, weights: batch.itemWeights, tokens: config.maxItemTokens };
  for (let b = 0; b < batch.size; b++) {
    const at = { pair: b, slots: config.slots, dim: d, embeddings };
    poolSide(query, at, { into: content, offset: b * width });
    scores[b] = poolSide(item, at, { into: content, offset: b * width + d, surprisal });
    if (pair === undefined || pairWeights === undefined) continue;
    const sums: [number, number] = [0, 0];
    for (const side of [query, item])
      addPairSide(side, { ...at, into: sums }, { surprisal, pairWeights });
    pair[b] = sums[0] / Math.max(sums[1], 1);
  }
  const out = { content: { rows: batch.size, cols: width, data: content }, surprisal: scores };
  return pair === undefined ? out : { ...out, pairSurprisal: pair };
}

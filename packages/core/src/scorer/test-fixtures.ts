/**
 * A tiny scorer (D = 6, S = 3, Lq = 3, Lt = 4) with pairs that exercise padding, unknown-word n-gram slots,
 * an empty query and an empty item. Used by the scorer and trainer tests only.
 * @internal
 */
import { createRng } from '../math/prng';
import { packScorerBatch, type ScorerPairTokens } from './pack-token-slots';
import { initParams, type EmbeddingTable, type ScorerParams } from './params';
import { randomizeGateAndBiases } from './random-params';
import { createScorerConfig, type ScorerBatch, type ScorerConfig } from './types';

/** The tiny config: D = 6, S = 3, Lq = 3, Lt = 4, Dp = 4, H1 = 5, H2 = 4, F = 2, K = 3. @internal */
export const TINY_CONFIG: ScorerConfig = createScorerConfig({
  embeddingDim: 6,
  slots: 3,
  maxQueryTokens: 3,
  maxItemTokens: 4,
  projectionDim: 4,
  hidden1: 5,
  hidden2: 4,
  lexicalDim: 2,
  grades: 3,
});

/** Ids 0–6 are words, 7–11 hashed n-gram buckets. @internal */
export const TINY_VOCAB = 12;

/** Six pairs: unknown words as bucket slots, padding, a repeated token, an empty query, an empty item. @internal */
export const TINY_PAIRS: readonly ScorerPairTokens[] = [
  { query: [[1], [7, 8, 9]], item: [[1], [2], [10, 11], [3]], lexical: [0.5, 1] },
  { query: [[4], [5], [6]], item: [[4]], lexical: [0.25, 0] },
  { query: [[2]], item: [[0], [5]], lexical: [0, 0] },
  { query: [[3], [3], [8, 9]], item: [[7, 8], [3], [9], [6]], lexical: [1, 0.5] },
  { query: [], item: [[1]], lexical: [0, 0] },
  { query: [[1], [2], [0], [6]], item: [], lexical: [0.75, 0.25] },
];

/** A seeded table of standard-normal rows. @internal */
export function randomEmbeddings(vocab: number, dim: number, seed: number): EmbeddingTable {
  const rng = createRng(seed);
  return {
    dims: [vocab, dim],
    data: Float32Array.from({ length: vocab * dim }, () => rng.normal()),
  };
}

/** The tiny scorer with every trainable value random (gate and biases too), and its batch. @internal */
export function createTinyScorer(seed = 7): { params: ScorerParams; batch: ScorerBatch } {
  const rng = createRng(seed);
  const params = initParams(
    TINY_CONFIG,
    randomEmbeddings(TINY_VOCAB, TINY_CONFIG.embeddingDim, seed + 1),
    rng,
  );
  randomizeGateAndBiases(params, rng);
  return { params, batch: packScorerBatch(TINY_PAIRS, TINY_CONFIG) };
}

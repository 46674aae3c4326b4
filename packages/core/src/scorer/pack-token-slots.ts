/**
 * Packing tokenised text into the fixed-size id slots of a {@link ScorerBatch}.
 */
import { assertFinite, assertInteger } from '../math/check';
import { slabFloat32, slabInt32 } from '../features/typed-slab';
import type { ScorerBatch, ScorerConfig } from './types';

/** Largest id an int32 slot holds. */
const MAX_ID = 2 ** 31 - 1;

/** Options for {@link packTokenSlots}. */
export interface PackTokenSlotsOptions {
  /** L, tokens kept; later tokens are dropped, missing ones are padding (all weights 0). */
  maxTokens: number;
  /** S, id slots per token; a token with more ids keeps its first S. */
  slots: number;
  /**
   * Weight per id of each token, the same shape as `tokens`. Without it a token with n kept ids gets
   * weight 1/n on each (1 for a known word, the mean of the buckets of an unknown word).
   * @default undefined (1/n per kept id)
   */
  weights?: readonly (readonly number[])[];
}

/** The slots of one sequence: L·S ids and weights. */
export interface PackedTokenSlots {
  readonly ids: Int32Array;
  readonly weights: Float32Array;
}

/**
 * Packs one tokenised sequence (per token its embedding ids) into L·S slots.
 * @param tokens - per token its ids: one word id, or the hashed char n-gram bucket ids of an unknown word
 * @param options - L, S and optional explicit weights
 * @returns ids and weights, L·S entries each (empty slots have id 0 and weight 0)
 * @throws RangeError for a non-integer or negative id, a non-finite or negative weight, or weights of the wrong shape
 * @example packTokenSlots([[17], [30001, 30007, 30412]], { maxTokens: 4, slots: 3 }) // weights 1 | ⅓ ⅓ ⅓ | 0…
 */
export function packTokenSlots(
  tokens: readonly (readonly number[])[],
  options: PackTokenSlotsOptions,
): PackedTokenSlots {
  const { maxTokens, slots, weights } = options;
  assertInteger(maxTokens, 'options.maxTokens', { min: 1 });
  assertInteger(slots, 'options.slots', { min: 1 });
  if (weights !== undefined && weights.length !== tokens.length) {
    throw new RangeError(
      `options.weights and tokens must have the same length (got ${weights.length} and ${tokens.length})`,
    );
  }
  const ids = slabInt32(maxTokens * slots);
  const out = slabFloat32(maxTokens * slots);
  const kept = Math.min(tokens.length, maxTokens);
  for (let i = 0; i < kept; i++) {
    const tokenIds = tokens[i] ?? [];
    const tokenWeights = weights?.[i];
    if (tokenWeights !== undefined && tokenWeights.length !== tokenIds.length) {
      throw new RangeError(
        `options.weights[${i}] and tokens[${i}] must have the same length (got ${tokenWeights.length} and ${tokenIds.length})`,
      );
    }
    const n = Math.min(tokenIds.length, slots);
    for (let s = 0; s < n; s++) {
      const id = tokenIds[s] ?? -1;
      // The argument's name is only built for an id that fails (a string per id costs more than the packing).
      if (!Number.isInteger(id) || id < 0 || id > MAX_ID)
        assertInteger(id, `tokens[${i}][${s}]`, { min: 0, max: MAX_ID });
      const w = tokenWeights === undefined ? 1 / n : (tokenWeights[s] ?? Number.NaN);
      if (!Number.isFinite(w) || w < 0)
        throw new RangeError(
          `options.weights[${i}][${s}] must be a finite number ≥ 0 (got ${String(w)})`,
        );
      ids[i * slots + s] = id;
      out[i * slots + s] = w;
    }
  }
  return { ids, weights: out };
}

/** One pair for {@link packScorerBatch}: tokenised query and item title plus the lexical features. */
export interface ScorerPairTokens {
  /** Per query token its ids. */
  readonly query: readonly (readonly number[])[];
  /** Per item-title token its ids. */
  readonly item: readonly (readonly number[])[];
  /** Lexical term-match features, F entries. */
  readonly lexical: ArrayLike<number>;
}

/**
 * A {@link ScorerBatch} of `size` pairs with the slot sizes of `config`, every slot empty (weight 0) and every
 * lexical feature 0, to be filled row by row.
 */
export function emptyScorerBatch(size: number, config: ScorerConfig): ScorerBatch {
  const { maxQueryTokens: lq, maxItemTokens: lt, slots, lexicalDim: f } = config;
  return {
    size,
    queryIds: new Int32Array(size * lq * slots),
    queryWeights: new Float32Array(size * lq * slots),
    itemIds: new Int32Array(size * lt * slots),
    itemWeights: new Float32Array(size * lt * slots),
    lexical: new Float32Array(size * f),
  };
}

/**
 * Packs tokenised pairs into a {@link ScorerBatch} with the slot sizes of `config` (default weights 1/n per id).
 * @param pairs - the pairs, in order
 * @param config - Lq, Lt, S and F
 * @throws RangeError when a lexical vector does not have F finite entries, or for a bad id (see {@link packTokenSlots})
 */
export function packScorerBatch(
  pairs: readonly ScorerPairTokens[],
  config: ScorerConfig,
): ScorerBatch {
  const { maxQueryTokens: lq, maxItemTokens: lt, slots, lexicalDim: f } = config;
  const batch = emptyScorerBatch(pairs.length, config);
  pairs.forEach((pair, r) => {
    const q = packTokenSlots(pair.query, { maxTokens: lq, slots });
    const t = packTokenSlots(pair.item, { maxTokens: lt, slots });
    batch.queryIds.set(q.ids, r * lq * slots);
    batch.queryWeights.set(q.weights, r * lq * slots);
    batch.itemIds.set(t.ids, r * lt * slots);
    batch.itemWeights.set(t.weights, r * lt * slots);
    if (pair.lexical.length !== f)
      throw new RangeError(
        `pairs[${r}].lexical must have lexicalDim = ${f} entries (got ${pair.lexical.length})`,
      );
    assertFinite(pair.lexical, `pairs[${r}].lexical`);
    batch.lexical.set(pair.lexical, r * f);
  });
  return batch;
}

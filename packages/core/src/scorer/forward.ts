/**
 * The scorer's batched forward pass (Float64): term-gated query pooling, a shared projection, an interaction
 * vector and a two-layer ReLU MLP whose second hidden layer is the OOD feature space.
 */
import type { Gemm } from '../math/gemm';
import type { Matrix } from '../math/matrix';
import { assertRowIndices } from './check-batch';
import { assertScorerParams } from './check-params';
import { createDenseProducts } from './dense-products';
import { precomputeFrozen, type FrozenBatch } from './frozen';
import { buildInteraction } from './interaction';
import type { ScorerParams } from './params';
import { termGateForward, type TermGateState } from './term-gate';
import { scorerInputDim, type ScorerBatch } from './types';

/** Options for {@link forwardScorer}. */
export interface ForwardScorerOptions {
  /** Pair indices of the input to score, in this order (a mini-batch without copying). @default all pairs */
  rows?: ArrayLike<number>;
  /** Matrix-product kernel for the dense layers. @default undefined (built-in blocked loops, faster than `jsGemm`) */
  gemm?: Gemm;
}

/** Intermediate values kept for {@link backwardScorer} (B = scored pairs; Float64, row-major). */
export interface ScorerCache extends TermGateState {
  /** The parameters of the pass (read again by the backward pass; do not modify them in between). */
  readonly params: ScorerParams;
  /** B. */
  readonly size: number;
  /** The frozen features the pass read (query token vectors and maxSim are looked up there). */
  readonly frozen: FrozenBatch;
  /** [q; t]: pooled query rows then pooled item rows, 2B·D. */
  readonly pooled: Float64Array;
  /** [qp; tp] = [q; t]·Pᵀ, 2B·Dp. */
  readonly projected: Float64Array;
  /** The first-layer input x, B·In. */
  readonly input: Float64Array;
  /** h1, B·H1. */
  readonly hidden1: Float64Array;
  /** h2, B·H2 (the features). */
  readonly hidden2: Float64Array;
}

/** Output of {@link forwardScorer}. */
export interface ScorerForward {
  /** Grade logits, B × K. */
  readonly logits: Matrix;
  /** h2, B × H2: the feature space of the OOD detectors. */
  readonly features: Matrix;
  readonly cache: ScorerCache;
}

/** y ← y + bias (per column), then ReLU when asked; in place. */
function addBiasInPlace(y: Float64Array, bias: Float64Array, relu: boolean): Float64Array {
  const n = bias.length;
  for (let o = 0; o < y.length; o += n) {
    for (let j = 0; j < n; j++) {
      const v = (y[o + j] ?? 0) + (bias[j] ?? 0);
      // max(v, 0) as (v + |v|)/2, which is exact and branch-free (about half the units are off, so a branch mispredicts).
      y[o + j] = relu ? (v + Math.abs(v)) * 0.5 : v;
    }
  }
  return y;
}

/**
 * Scores pairs. Per pair, over its real query tokens i and real item tokens j (padding is skipped):
 * - a_i = gateW·E_q[i] + gateMatch·maxSim_i + gateBias; g_i = σ(a_i); Z = Σ g_i + 1e-6;
 *   q = Σ g_i E_q[i] / Z; gMax = Σ g_i maxSim_i / Z; t = mean_j E_t[j] (frozen);
 * - qp = P q, tp = P t; x = [qp ⊙ tp, |qp − tp|, meanMax, gMax, minMax, fracHigh, lexical];
 * - h1 = ReLU(W1 x + b1); h2 = ReLU(W2 h1 + b2) (`features`); logits = W3 h2 + b3.
 * E_q, maxSim, t and the summaries are frozen (see {@link precomputeFrozen}).
 * @param params - the parameters (trainable tensors must be finite)
 * @param input - a batch (its frozen features are computed here) or a {@link FrozenBatch} computed once
 * @param options - the pairs to score and the product kernel
 * @returns logits, features and the cache for {@link backwardScorer}
 * @throws RangeError for params or input that disagree with the config, ids ≥ V, NaN, or bad `rows`
 * @see https://arxiv.org/abs/2410.18097 (RRADistill: term matching injected into dense representations)
 */
export async function forwardScorer(
  params: ScorerParams,
  input: ScorerBatch | FrozenBatch,
  options: ForwardScorerOptions = {},
): Promise<ScorerForward> {
  assertScorerParams(params);
  const frozen = 'itemPooled' in input ? input : precomputeFrozen(params, input);
  assertFrozenMatches(frozen, params);
  const size = frozen.batch.size;
  const rows =
    options.rows === undefined
      ? Int32Array.from({ length: size }, (_, i) => i)
      : Int32Array.from(options.rows);
  assertRowIndices(options.rows ?? rows, size, 'options.rows');
  const { config } = params;
  const { embeddingDim: d, projectionDim: dp, hidden1: h1, hidden2: h2, grades: k } = config;
  const b = rows.length;
  const gate = termGateForward(frozen, rows, {
    gateW: params.gateW.data,
    gateMatch: params.gateMatch.data[0] ?? 0,
    gateBias: params.gateBias.data[0] ?? 0,
  });
  const { pooled } = gate;
  const products = createDenseProducts(options.gemm);
  const projected = await products.abt(pooled, params.P.data, { m: 2 * b, n: dp, k: d });
  const x = buildInteraction(frozen, rows, { projected, gatedMatch: gate.gatedMatch });
  const hidden1 = addBiasInPlace(
    await products.abt(x, params.W1.data, { m: b, n: h1, k: scorerInputDim(config) }),
    params.b1.data,
    true,
  );
  const hidden2 = addBiasInPlace(
    await products.abt(hidden1, params.W2.data, { m: b, n: h2, k: h1 }),
    params.b2.data,
    true,
  );
  const logits = addBiasInPlace(
    await products.abt(hidden2, params.W3.data, { m: b, n: k, k: h2 }),
    params.b3.data,
    false,
  );
  return {
    logits: { rows: b, cols: k, data: logits },
    features: { rows: b, cols: h2, data: hidden2 },
    cache: { ...gate, params, size: b, frozen, projected, input: x, hidden1, hidden2 },
  };
}

function assertFrozenMatches(frozen: FrozenBatch, params: ScorerParams): void {
  const a = frozen.config;
  const c = params.config;
  const keys = ['embeddingDim', 'maxQueryTokens', 'maxItemTokens', 'slots', 'lexicalDim'] as const;
  if (keys.some((key) => a[key] !== c[key]) || frozen.vocabSize !== params.embeddings.dims[0]) {
    const show = (cfg: typeof a, v: number): string =>
      `D=${cfg.embeddingDim}, Lq=${cfg.maxQueryTokens}, Lt=${cfg.maxItemTokens}, S=${cfg.slots}, F=${cfg.lexicalDim}, V=${v}`;
    throw new RangeError(
      `input was prepared for ${show(a, frozen.vocabSize)} but params have ${show(c, params.embeddings.dims[0])}`,
    );
  }
}

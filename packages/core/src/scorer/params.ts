/**
 * The scorer's parameters: a plain object of named row-major tensors (JSON- and ONNX-exportable), with
 * seeded initialisation, cloning, per-tensor interpolation (WiSE-FT) and flattening.
 */
import { assertFiniteNumber } from '../math/check';
import type { Rng } from '../math/prng';
import { assertEmbeddingTable, assertScorerParams, trainableShapes } from './check-params';
import { TRAINABLE_PARAM_NAMES, type TrainableParamName } from './param-names';
import { assertScorerConfig, type ScorerConfig } from './types';

/** A trainable tensor: row-major Float64 data and its dims (`[]` is a scalar). */
export interface ScorerTensor {
  readonly dims: readonly number[];
  readonly data: Float64Array;
}

/** The frozen V × D table of word and hashed n-gram bucket vectors (Float32 halves its memory; it is never written). */
export interface EmbeddingTable {
  /** [V, D]. */
  readonly dims: readonly [number, number];
  readonly data: Float32Array | Float64Array;
}

/**
 * All parameters. Shapes (PyTorch `nn.Linear` layout, weight = [out, in]): `gateW` [D], `gateMatch` [],
 * `gateBias` [], `P` [Dp, D], `W1` [H1, In], `b1` [H1], `W2` [H2, H1], `b2` [H2], `W3` [K, H2], `b3` [K],
 * with In = 2·Dp + 4 + F. `embeddings` is frozen.
 */
export type ScorerParams = {
  readonly config: ScorerConfig;
  readonly embeddings: EmbeddingTable;
} & Readonly<Record<TrainableParamName, ScorerTensor>>;

/** One Float64 gradient per trainable tensor, the same length as its data. */
export type ScorerGradients = Record<TrainableParamName, Float64Array>;

/**
 * Seeded initial parameters: P and W3 Glorot-uniform, W1 and W2 He-normal (ReLU layers), biases 0, and the
 * term gate at 0 so that every real query token starts with gate σ(0) = ½ (plain mean pooling).
 * @param config - the sizes
 * @param embeddings - the frozen V × D table (shared by reference, never copied or written)
 * @param rng - the seeded source (draws P, W1, W2, W3 in that order, row-major)
 * @throws RangeError when the table's D differs from `config.embeddingDim`, its size is wrong, or it holds NaN
 * @see https://proceedings.mlr.press/v9/glorot10a.html (Glorot & Bengio 2010)
 * @see https://arxiv.org/abs/1502.01852 (He et al. 2015)
 */
export function initParams(
  config: ScorerConfig,
  embeddings: EmbeddingTable,
  rng: Rng,
): ScorerParams {
  assertScorerConfig(config);
  assertEmbeddingTable(embeddings, config);
  const shapes = trainableShapes(config);
  const tensor = (name: TrainableParamName): ScorerTensor => {
    const dims = shapes[name];
    return { dims, data: new Float64Array(dims.reduce((a, b) => a * b, 1)) };
  };
  const params: ScorerParams = {
    config,
    embeddings,
    gateW: tensor('gateW'),
    gateMatch: tensor('gateMatch'),
    gateBias: tensor('gateBias'),
    P: tensor('P'),
    W1: tensor('W1'),
    b1: tensor('b1'),
    W2: tensor('W2'),
    b2: tensor('b2'),
    W3: tensor('W3'),
    b3: tensor('b3'),
  };
  const glorot = (t: ScorerTensor): void => {
    const [out = 1, fanIn = 1] = t.dims;
    const limit = Math.sqrt(6 / (fanIn + out));
    for (let i = 0; i < t.data.length; i++) t.data[i] = (2 * rng.next() - 1) * limit;
  };
  const he = (t: ScorerTensor): void => {
    const std = Math.sqrt(2 / (t.dims[1] ?? 1));
    for (let i = 0; i < t.data.length; i++) t.data[i] = rng.normal() * std;
  };
  glorot(params.P);
  he(params.W1);
  he(params.W2);
  glorot(params.W3);
  return params;
}

function mapTrainable(
  params: ScorerParams,
  fn: (name: TrainableParamName, t: ScorerTensor) => Float64Array,
): ScorerParams {
  const out: Record<string, ScorerTensor> = {};
  for (const name of TRAINABLE_PARAM_NAMES)
    out[name] = { dims: [...params[name].dims], data: fn(name, params[name]) };
  return {
    ...(out as Record<TrainableParamName, ScorerTensor>),
    config: params.config,
    embeddings: params.embeddings,
  };
}

/**
 * A deep copy of the trainable tensors; the frozen embedding table is shared by reference.
 * @throws RangeError when a tensor's shape disagrees with the config
 */
export function cloneParams(params: ScorerParams): ScorerParams {
  assertScorerParams(params, 'params', { finite: false });
  return mapTrainable(params, (_, t) => t.data.slice());
}

/**
 * Per-tensor linear interpolation θ = (1−α)·θ_a + α·θ_b of every trainable tensor (stage 3 of DaRL's
 * schedule, WiSE-FT). α = 0 returns θ_a and α = 1 returns θ_b exactly. The embeddings are taken from `a`.
 * @param a - the α = 0 end (e.g. the linear-probing weights)
 * @param b - the α = 1 end (e.g. the fine-tuned weights), same config and shapes
 * @param alpha - the mixing weight in [0, 1]
 * @throws RangeError when the shapes differ or α is outside [0, 1]
 * @see https://arxiv.org/abs/2109.01903 (Wortsman et al., WiSE-FT)
 */
export function interpolateParams(a: ScorerParams, b: ScorerParams, alpha: number): ScorerParams {
  assertFiniteNumber(alpha, 'alpha');
  if (alpha < 0 || alpha > 1) throw new RangeError(`alpha must be in [0, 1] (got ${alpha})`);
  assertScorerParams(a, 'a');
  assertScorerParams(b, 'b');
  return mapTrainable(a, (name, ta) => {
    const tb = b[name];
    if (ta.data.length !== tb.data.length) {
      throw new RangeError(
        `a.${name} and b.${name} must have the same size (got ${ta.data.length} and ${tb.data.length})`,
      );
    }
    const out = new Float64Array(ta.data.length);
    for (let i = 0; i < out.length; i++)
      out[i] = (1 - alpha) * (ta.data[i] ?? 0) + alpha * (tb.data[i] ?? 0);
    return out;
  });
}

/** All trainable values concatenated in {@link TRAINABLE_PARAM_NAMES} order (a new Float64Array). */
export function flattenTrainable(params: ScorerParams): Float64Array {
  assertScorerParams(params, 'params', { finite: false });
  let n = 0;
  for (const name of TRAINABLE_PARAM_NAMES) n += params[name].data.length;
  const out = new Float64Array(n);
  let offset = 0;
  for (const name of TRAINABLE_PARAM_NAMES) {
    out.set(params[name].data, offset);
    offset += params[name].data.length;
  }
  return out;
}

/**
 * The inverse of {@link flattenTrainable}: new params with the trainable values read from `flat`.
 * @throws RangeError when `flat` does not have exactly one value per trainable parameter
 */
export function unflattenTrainable(params: ScorerParams, flat: ArrayLike<number>): ScorerParams {
  const total = TRAINABLE_PARAM_NAMES.reduce((s, name) => s + params[name].data.length, 0);
  if (flat.length !== total)
    throw new RangeError(
      `flat must have one value per trainable parameter (got ${flat.length}, expected ${total})`,
    );
  let offset = 0;
  return mapTrainable(params, (_, t) => {
    const out = Float64Array.from({ length: t.data.length }, (_v, i) => flat[offset + i] ?? 0);
    offset += t.data.length;
    return out;
  });
}

/**
 * Random scorer parameters for tests and parity checks: `initParams` leaves the term gate and the biases at
 * zero, which would hide mistakes in the parts they feed, so these draw them too.
 * @internal
 */
import type { Rng } from '../math/prng';
import { initParams, type ScorerParams } from './params';
import type { ScorerConfig } from './types';

/**
 * Sets the term gate (`gateW`, `gateMatch`, `gateBias`) and the biases `b1`–`b3` to N(0, 0.25) draws, in that
 * order, in place.
 * @param params - the parameters to change
 * @param rng - the draws
 * @internal
 */
export function randomizeGateAndBiases(params: ScorerParams, rng: Rng): void {
  for (const t of [
    params.gateW,
    params.gateMatch,
    params.gateBias,
    params.b1,
    params.b2,
    params.b3,
  ])
    for (let i = 0; i < t.data.length; i++) t.data[i] = 0.5 * rng.normal();
}

/**
 * Random parameters: a `rows` × D embedding table of N(0, scale²) draws, then `initParams`' He/Glorot weights,
 * then {@link randomizeGateAndBiases}, all from `rng` in that order.
 * @param rng - the draws
 * @param options - the config, the embedding rows (the vocabulary's `embeddingRows`) and the embeddings' scale
 * @internal
 */
export function randomScorerParams(
  rng: Rng,
  options: { config: ScorerConfig; rows: number; scale: number },
): ScorerParams {
  const { config, rows, scale } = options;
  const d = config.embeddingDim;
  const data = new Float32Array(rows * d);
  for (let i = 0; i < data.length; i++) data[i] = scale * rng.normal();
  const params = initParams(config, { dims: [rows, d], data }, rng);
  randomizeGateAndBiases(params, rng);
  return params;
}

/**
 * Gradients of every trainable scorer parameter from ∂L/∂logits, by reverse-mode differentiation of
 * {@link forwardScorer} through its cache.
 */
import { assertMatrix } from '../math/check';
import type { Gemm } from '../math/gemm';
import type { MatrixLike } from '../math/matrix';
import { assertScorerParams } from './check-params';
import { createDenseProducts } from './dense-products';
import type { ScorerCache } from './forward';
import { interactionBackward } from './interaction';
import type { ScorerGradients } from './params';
import { termGateBackward } from './term-gate';
import { scorerInputDim } from './types';

/** Options for {@link backwardScorer}. */
export interface BackwardScorerOptions {
  /** Matrix-product kernel for the dense layers. @default undefined (built-in blocked loops) */
  gemm?: Gemm;
}

/** Column sums of a rows × cols matrix (a bias gradient). */
function columnSums(a: Float64Array, cols: number): Float64Array {
  const out = new Float64Array(cols);
  for (let o = 0; o < a.length; o += cols)
    for (let j = 0; j < cols; j++) out[j] = (out[j] ?? 0) + (a[o + j] ?? 0);
  return out;
}

/** Zeroes the gradient where the ReLU output was 0 (subgradient 0 at the kink, as PyTorch); in place. */
function reluMaskInPlace(grad: Float64Array, activation: Float64Array): Float64Array {
  // Multiplying by the 0/1 indicator avoids a branch that mispredicts on about half the units.
  for (let i = 0; i < grad.length; i++) grad[i] = (grad[i] ?? 0) * Number((activation[i] ?? 0) > 0);
  return grad;
}

/**
 * ∂L/∂θ for every trainable tensor, given ∂L/∂logits (a loss's `grad`, which already carries the 1/B of a
 * mean). Sums over the batch; the embeddings are frozen and get no gradient.
 * Chain: dW3 = dzᵀh2, dh2 = dz W3; dz2 = dh2 ⊙ [h2 > 0], dW2 = dz2ᵀh1, dh1 = dz2 W2; dz1 = dh1 ⊙ [h1 > 0],
 * dW1 = dz1ᵀx, dx = dz1 W1; dqp = dx_prod ⊙ tp + dx_abs ⊙ sign(qp − tp), dtp = dx_prod ⊙ qp − dx_abs ⊙ sign(qp − tp);
 * dP = [dqp; dtp]ᵀ[q; t]; dq = dqp P; then the term gate (see `termGateBackward`).
 * @param cache - {@link ScorerForward.cache} of that pass
 * @param dLogits - ∂L/∂logits, B × K
 * @param options - the product kernel
 * @returns one Float64 gradient per trainable tensor
 * @throws RangeError when `dLogits` is not B × K or holds NaN
 * @see https://cs231n.github.io/optimization-2/ (backpropagation through linear and ReLU layers)
 */
export async function backwardScorer(
  cache: ScorerCache,
  dLogits: MatrixLike,
  options: BackwardScorerOptions = {},
): Promise<ScorerGradients> {
  const { params } = cache;
  assertScorerParams(params);
  assertMatrix(dLogits, 'dLogits');
  const { config } = params;
  const { embeddingDim: d, projectionDim: dp, hidden1: h1, hidden2: h2, grades: k } = config;
  const b = cache.size;
  if (dLogits.rows !== b || dLogits.cols !== k)
    throw new RangeError(
      `dLogits must be ${b} × ${k} (batch × grades; got ${dLogits.rows} × ${dLogits.cols})`,
    );
  const dz3 = Float64Array.from(dLogits.data);
  for (let i = 0; i < dz3.length; i++) {
    if (!Number.isFinite(dz3[i] ?? Number.NaN))
      throw new RangeError(
        `dLogits[${Math.floor(i / k)}][${i % k}] must be finite (got ${String(dz3[i])})`,
      );
  }
  const inDim = scorerInputDim(config);
  const products = createDenseProducts(options.gemm);

  const W3 = await products.atb(dz3, cache.hidden2, { m: k, n: h2, k: b });
  const dz2 = reluMaskInPlace(
    await products.ab(dz3, params.W3.data, { m: b, n: h2, k }),
    cache.hidden2,
  );
  const W2 = await products.atb(dz2, cache.hidden1, { m: h2, n: h1, k: b });
  const dz1 = reluMaskInPlace(
    await products.ab(dz2, params.W2.data, { m: b, n: h1, k: h2 }),
    cache.hidden1,
  );
  const W1 = await products.atb(dz1, cache.input, { m: h1, n: inDim, k: b });
  // Only the trainable part of x needs a gradient: the projection blocks and gMax (columns 0 … 2·Dp + 1).
  const used = 2 * dp + 2;
  const w1Used = new Float64Array(h1 * used);
  for (let j = 0; j < h1; j++)
    w1Used.set(params.W1.data.subarray(j * inDim, j * inDim + used), j * used);
  const dx = await products.ab(dz1, w1Used, { m: b, n: used, k: h1 });
  const dProj = interactionBackward(dx, cache.projected, { b, dp, stride: used });
  const P = await products.atb(dProj, cache.pooled, { m: dp, n: d, k: 2 * b });
  const dq = await products.ab(dProj.subarray(0, b * dp), params.P.data, { m: b, n: d, k: dp });
  const gate = termGateBackward(cache.frozen, cache, {
    dPooled: dq,
    dMatch: dx,
    matchStride: used,
    matchOffset: 2 * dp + 1,
    pooled: cache.pooled,
  });
  return {
    gateW: gate.gateW,
    gateMatch: Float64Array.of(gate.gateMatch),
    gateBias: Float64Array.of(gate.gateBias),
    P,
    W1,
    b1: columnSums(dz1, h1),
    W2,
    b2: columnSums(dz2, h2),
    W3,
    b3: columnSums(dz3, k),
  };
}

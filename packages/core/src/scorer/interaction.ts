/**
 * The first-layer input x = [qp ⊙ tp, |qp − tp|, meanMax, gMax, minMax, fracHigh, lexical] and its backward
 * pass to the projections.
 * @internal
 */
import { FROZEN_SUMMARY_COUNT, type FrozenBatch } from './frozen';
import { scorerInputDim } from './types';

/**
 * Builds x (B·In) from the projections [qp; tp] (2B·Dp), the gate-weighted match gMax and the frozen
 * summaries and lexical features of the scored rows.
 * @internal
 */
export function buildInteraction(
  frozen: FrozenBatch,
  rows: Int32Array,
  values: { projected: Float64Array; gatedMatch: Float64Array },
): Float64Array {
  const { config, matchSummaries } = frozen;
  const lexical = frozen.batch.lexical;
  const { projectionDim: dp, lexicalDim: f } = config;
  const inDim = scorerInputDim(config);
  const b = rows.length;
  const { projected, gatedMatch } = values;
  const x = new Float64Array(b * inDim);
  for (let p = 0; p < b; p++) {
    const r = rows[p] ?? 0;
    const o = p * inDim;
    for (let c = 0; c < dp; c++) {
      const u = projected[p * dp + c] ?? 0;
      const v = projected[(b + p) * dp + c] ?? 0;
      x[o + c] = u * v;
      x[o + dp + c] = Math.abs(u - v);
    }
    const s = r * FROZEN_SUMMARY_COUNT;
    x[o + 2 * dp] = matchSummaries[s] ?? 0;
    x[o + 2 * dp + 1] = gatedMatch[p] ?? 0;
    x[o + 2 * dp + 2] = matchSummaries[s + 1] ?? 0;
    x[o + 2 * dp + 3] = matchSummaries[s + 2] ?? 0;
    for (let c = 0; c < f; c++) x[o + 2 * dp + 4 + c] = lexical[r * f + c] ?? 0;
  }
  return x;
}

/**
 * ∂L/∂[qp; tp] (2B·Dp) from ∂L/∂x, given as B rows of `stride` entries whose first 2·Dp are the product and
 * distance blocks: dqp = dprod ⊙ tp + dabs ⊙ sign(qp − tp), dtp = dprod ⊙ qp − dabs ⊙ sign(qp − tp).
 * @internal
 */
export function interactionBackward(
  dx: Float64Array,
  projected: Float64Array,
  dims: { b: number; dp: number; stride: number },
): Float64Array {
  const { b, dp, stride } = dims;
  const dProj = new Float64Array(2 * b * dp);
  for (let p = 0; p < b; p++) {
    for (let c = 0; c < dp; c++) {
      const u = projected[p * dp + c] ?? 0;
      const v = projected[(b + p) * dp + c] ?? 0;
      const dProd = dx[p * stride + c] ?? 0;
      const dAbs = dx[p * stride + dp + c] ?? 0;
      // d|u − v|/du = sign(u − v), with sign(0) = 0 as in PyTorch's abs backward.
      const sgn = u > v ? 1 : u < v ? -1 : 0;
      dProj[p * dp + c] = dProd * v + dAbs * sgn;
      dProj[(b + p) * dp + c] = dProd * u - dAbs * sgn;
    }
  }
  return dProj;
}

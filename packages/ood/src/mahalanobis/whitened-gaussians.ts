import { gemmSync, type Matrix, type MatrixLike } from '@gradeshift/core/math';

import type { AppliedShrinkage } from './shrinkage';
import type { TiedGaussianState } from './tied-gaussian';

/** K tied Gaussians ready for scoring: W = L⁻¹ and the whitened means W·μ_c, computed once. */
export interface WhitenedGaussians {
  /** K × d means μ_c. */
  readonly means: Matrix;
  readonly shrinkage: AppliedShrinkage;
  readonly jitter: number;
  /** d × d whitening matrix W. */
  readonly whitening: Matrix;
  /** K × d, row c = (W·μ_c)ᵀ. */
  readonly whitenedMeans: Matrix;
}

/**
 * Rebuilds the scoring form of a {@link TiedGaussianState} (the state's arrays are copied, not kept).
 * @param state - means (count × dim) and whitening (dim × dim)
 * @param sizes - `{ dim, count }`; the loader has checked the array lengths against them
 */
export function createWhitenedGaussians(
  state: TiedGaussianState,
  sizes: { dim: number; count: number },
): WhitenedGaussians {
  const { dim, count } = sizes;
  const whitening: Matrix = { rows: dim, cols: dim, data: Float64Array.from(state.whitening) };
  const means: Matrix = { rows: count, cols: dim, data: Float64Array.from(state.means) };
  // K × d · (d × d)ᵀ is tiny next to scoring, so the synchronous kernel keeps fit and load bit-identical.
  const whitenedMeans = gemmSync(means, whitening, { transB: true });
  return {
    means,
    whitening,
    whitenedMeans,
    shrinkage: { ...state.shrinkage },
    jitter: state.jitter,
  };
}

/** The plain-JSON state of {@link WhitenedGaussians} (fresh arrays, safe to mutate). */
export function tiedGaussianToJSON(gaussians: WhitenedGaussians): TiedGaussianState {
  return {
    means: Array.from(gaussians.means.data),
    whitening: Array.from(gaussians.whitening.data),
    shrinkage: { ...gaussians.shrinkage },
    jitter: gaussians.jitter,
  };
}

/** Row-wise minimum of an n × K matrix (the closest class). */
export function rowMin(m: MatrixLike): Float64Array {
  const out = new Float64Array(m.rows).fill(Infinity);
  for (let i = 0; i < m.rows; i++) {
    for (let c = 0; c < m.cols; c++)
      out[i] = Math.min(out[i] ?? Infinity, m.data[i * m.cols + c] ?? Infinity);
  }
  return out;
}

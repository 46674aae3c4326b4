import { createMatrix, gemmSync, type Gemm, type Matrix, type MatrixLike } from '@gradeshift/core/math';

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
export function createWhitenedGaussians(state: TiedGaussianState, sizes: { dim: number; count: number }): WhitenedGaussians {
  const { dim, count } = sizes;
  const whitening: Matrix = { rows: dim, cols: dim, data: Float64Array.from(state.whitening) };
  const means: Matrix = { rows: count, cols: dim, data: Float64Array.from(state.means) };
  // K × d · (d × d)ᵀ is tiny next to scoring, so the synchronous kernel keeps fit and load bit-identical.
  const whitenedMeans = gemmSync(means, whitening, { transB: true });
  return { means, whitening, whitenedMeans, shrinkage: { ...state.shrinkage }, jitter: state.jitter };
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

/**
 * Squared Mahalanobis distances `(h − μ_c)ᵀ Σ⁻¹ (h − μ_c) = ‖W·h − W·μ_c‖²` of every row to every Gaussian.
 * Whitening runs as one batch product Z = H·Wᵀ through `gemm`; the differences are then squared term by term,
 * so a distance can never come out negative (unlike the expanded ‖z‖² − 2zᵀm + ‖m‖²).
 * @param features - n × d (already normalised if the detector normalises)
 * @param gaussians - the fitted Gaussians
 * @param gemm - matrix-product kernel
 * @returns n × K squared distances
 * @see https://arxiv.org/abs/1807.03888 (Lee et al. 2018, Eq. 2)
 */
export async function squaredMahalanobis(features: MatrixLike, gaussians: WhitenedGaussians, gemm: Gemm): Promise<Matrix> {
  const { whitening, whitenedMeans } = gaussians;
  const n = features.rows;
  const d = whitening.rows;
  const k = whitenedMeans.rows;
  const z = await gemm.gemm(features, whitening, { transB: true });
  if (z.rows !== n || z.cols !== d) throw new RangeError(`gemm "${gemm.name}" returned ${z.rows}×${z.cols} (expected ${n}×${d})`);
  const out = createMatrix(n, k);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const diff = (z.data[i * d + j] ?? 0) - (whitenedMeans.data[c * d + j] ?? 0);
        s += diff * diff;
      }
      out.data[i * k + c] = s;
    }
  }
  return out;
}

/** Row-wise minimum of an n × K matrix (the closest class). */
export function rowMin(m: MatrixLike): Float64Array {
  const out = new Float64Array(m.rows).fill(Infinity);
  for (let i = 0; i < m.rows; i++) {
    for (let c = 0; c < m.cols; c++) out[i] = Math.min(out[i] ?? Infinity, m.data[i * m.cols + c] ?? Infinity);
  }
  return out;
}

import { invertLower, type Gemm, type MatrixLike } from '@gradeshift/core/math';

import { OodError } from '../errors';
import { choleskyWithJitter } from './cholesky-with-jitter';
import { shrinkCovariance, type AppliedShrinkage, type MahalanobisShrinkage } from './shrinkage';

/**
 * The fitted state of K Gaussians sharing one covariance Σ, as plain JSON. Σ itself is not stored: scoring only
 * needs the whitening matrix W = L⁻¹ (Σ = L·Lᵀ), and Σ⁻¹ = WᵀW.
 */
export interface TiedGaussianState {
  /** K × d means, row-major. */
  means: number[];
  /** d × d lower-triangular W = L⁻¹, row-major. */
  whitening: number[];
  /** The shrinkage applied to the MLE covariance. */
  shrinkage: AppliedShrinkage;
  /** Absolute value added to Σ's diagonal by the Cholesky retry (0 when none was needed). */
  jitter: number;
}

/** Options for {@link fitTiedGaussian}. */
export interface FitTiedGaussianOptions {
  /** Covariance regularisation. */
  shrinkage: MahalanobisShrinkage;
  /** Matrix-product kernel for XᵀX. */
  gemm: Gemm;
}

/**
 * Fits the shared covariance of data already centred on its means: the MLE `S = XᵀX / n` (one gemm), then the
 * shrinkage, then a jittered Cholesky and W = L⁻¹.
 * @param centred - X (n × d), each row minus its own mean (class mean or global mean)
 * @param means - K × d means, copied into the state
 * @param options - shrinkage and gemm
 * @throws RangeError when the covariance overflows; OodError `NOT_POSITIVE_DEFINITE` (see `choleskyWithJitter`)
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.covariance.EmpiricalCovariance.html
 */
export async function fitTiedGaussian(
  centred: MatrixLike,
  means: MatrixLike,
  options: FitTiedGaussianOptions,
): Promise<TiedGaussianState> {
  const { rows: n, cols: d } = centred;
  if (n === 0)
    throw new OodError('INSUFFICIENT_DATA', 'a covariance needs at least one training row (got 0)');
  const product = await options.gemm.gemm(centred, centred, { transA: true });
  if (product.rows !== d || product.cols !== d) {
    throw new RangeError(
      `gemm "${options.gemm.name}" returned ${product.rows}×${product.cols} for XᵀX (expected ${d}×${d})`,
    );
  }
  const s = product.data;
  // Divide by n (MLE) and symmetrise: a gemm backend need not return a bit-exact symmetric XᵀX.
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) {
      const v = ((s[a * d + b] ?? 0) + (s[b * d + a] ?? 0)) / (2 * n);
      if (!Number.isFinite(v))
        throw new RangeError(
          `covariance[${a}][${b}] overflowed (${v}); rescale or normalise the features`,
        );
      s[a * d + b] = v;
      s[b * d + a] = v;
    }
  }
  const { covariance, applied } = shrinkCovariance(product, centred, options.shrinkage);
  const { L, jitter } = choleskyWithJitter(covariance);
  const W = invertLower(L);
  return {
    means: Array.from(means.data),
    whitening: Array.from(W.data),
    shrinkage: applied,
    jitter,
  };
}

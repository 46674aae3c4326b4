import type { MatrixLike } from '@gradeshift/core/math';

/**
 * The Ledoit–Wolf shrinkage coefficient δ ∈ [0, 1] for centred data X (n × d) and its empirical covariance
 * S = XᵀX / n, in the closed form `sklearn.covariance.ledoit_wolf_shrinkage(X, assume_centered=True)` computes:
 *
 * - μ = tr(S) / d
 * - β = (Σ_p ‖x_p‖⁴ / n − ‖S‖²_F) / (d · n)   (sklearn's `beta_ = Σ (X²)ᵀX²` is Σ_p ‖x_p‖⁴, `delta_ / n²` is ‖S‖²_F)
 * - δ₀ = (‖S‖²_F − 2μ·tr(S) + d·μ²) / d
 * - δ = min(β, δ₀) / δ₀ (0 when β = 0, and 0 for a single feature)
 *
 * The shrunk covariance is then `(1 − δ)·S + δ·μ·I`.
 * @param centred - X, already centred (class-centred for the tied Mahalanobis covariance)
 * @param covariance - S = XᵀX / n (d × d)
 * @returns δ, clamped to [0, 1]
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.covariance.ledoit_wolf.html
 * @see Ledoit & Wolf (2004), "A well-conditioned estimator for large-dimensional covariance matrices"
 */
export function ledoitWolfShrinkage(centred: MatrixLike, covariance: MatrixLike): number {
  const { rows: n, cols: d } = centred;
  // sklearn returns 0 for a single feature: there is nothing to shrink towards.
  if (d === 1 || n === 0) return 0;
  let trace = 0;
  let frob = 0;
  for (let a = 0; a < d; a++) {
    trace += covariance.data[a * d + a] ?? 0;
    for (let b = 0; b < d; b++) {
      const s = covariance.data[a * d + b] ?? 0;
      frob += s * s;
    }
  }
  let fourth = 0;
  for (let p = 0; p < n; p++) {
    let sq = 0;
    for (let j = 0; j < d; j++) {
      const v = centred.data[p * d + j] ?? 0;
      sq += v * v;
    }
    fourth += sq * sq;
  }
  const mu = trace / d;
  let beta = (fourth / n - frob) / (d * n);
  const delta = (frob - 2 * mu * trace + d * mu * mu) / d;
  // S is already a multiple of I (or zero): any δ gives the same matrix, and sklearn would divide by zero here.
  if (!(delta > 0)) return 0;
  beta = Math.min(beta, delta);
  if (beta === 0) return 0;
  // β ≥ 0 in exact arithmetic (Jensen); the clamp only absorbs round-off.
  return Math.min(1, Math.max(0, beta / delta));
}

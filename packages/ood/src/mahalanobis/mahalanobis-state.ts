import type { FittedStateBase } from '../detector';
import type { TiedGaussianState } from './tied-gaussian';

/** Format version of {@link MahalanobisState}; bump it whenever the fields or their meaning change. */
export const MAHALANOBIS_STATE_VERSION = 1;

/**
 * The fitted state of a Mahalanobis detector, plain JSON: class means μ_c (K × d), the whitening matrix
 * W = L⁻¹ of the tied covariance (d × d), the shrinkage and jitter actually applied, and the class counts.
 * Its size is dominated by W: d² numbers (≈ 12 MB of JSON at d = 768).
 */
export interface MahalanobisState extends FittedStateBase<'mahalanobis'>, TiedGaussianState {
  readonly version: typeof MAHALANOBIS_STATE_VERSION;
  /** Feature dimension d. */
  dim: number;
  /** Number of classes (grades) K. */
  numClasses: number;
  /** Whether features are L2-normalised before fitting and scoring (Mahalanobis++). */
  normalize: boolean;
  /** Training rows per class (K entries). */
  classCounts: number[];
}

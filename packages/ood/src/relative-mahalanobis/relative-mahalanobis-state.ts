import type { FittedStateBase } from '../detector';
import type { TiedGaussianState } from '../mahalanobis/tied-gaussian';

/** Format version of {@link RelativeMahalanobisState}; bump it whenever the fields or their meaning change. */
export const RELATIVE_MAHALANOBIS_STATE_VERSION = 1;

/**
 * The fitted state of a relative Mahalanobis detector, plain JSON: the class-conditional Gaussians with a tied
 * covariance (K means) and the label-free background Gaussian (one mean, full covariance), each stored as means
 * plus whitening W = L⁻¹. Two d × d matrices dominate its size.
 */
export interface RelativeMahalanobisState extends FittedStateBase<'relative-mahalanobis'> {
  readonly version: typeof RELATIVE_MAHALANOBIS_STATE_VERSION;
  /** Feature dimension d. */
  dim: number;
  /** Number of classes (grades) K. */
  numClasses: number;
  /** Whether features are L2-normalised before fitting and scoring. */
  normalize: boolean;
  /** Training rows per class (K entries). */
  classCounts: number[];
  /** K class means and the whitening of the pooled within-class covariance. */
  classConditional: TiedGaussianState;
  /** The background Gaussian N(μ₀, Σ₀) over all training features: 1 mean and the whitening of Σ₀. */
  background: TiedGaussianState;
}

import { assertInteger, assertLabels, jsGemm, type MatrixLike } from '@gradeshift/core/math';

import { readDetectorInput, type DetectorComputeOptions, type DetectorFitInput } from '../detector';
import { OodError } from '../errors';
import { l2NormalizeRows } from '../knn/l2-normalize';
import { centreByClass, classMeans } from './class-statistics';
import { createMahalanobisDetector, type MahalanobisDetector } from './create-mahalanobis-detector';
import { MAHALANOBIS_STATE_VERSION, type MahalanobisState } from './mahalanobis-state';
import { assertShrinkageOption, type MahalanobisShrinkage } from './shrinkage';
import { fitTiedGaussian } from './tied-gaussian';

/** Options for {@link fitMahalanobis} (and the class part of `fitRelativeMahalanobis`). */
export interface FitMahalanobisOptions extends DetectorComputeOptions {
  /**
   * Regularisation of the tied covariance before inversion.
   * @default 'ledoit-wolf'
   */
  shrinkage?: MahalanobisShrinkage;
  /**
   * L2-normalise features before fitting and scoring (Mahalanobis++, Müller & Hein 2025).
   * @default true
   */
  normalize?: boolean;
  /**
   * Number of classes K; every class in [0, K) needs at least one training row.
   * @default max(labels) + 1
   */
  numClasses?: number;
}

/**
 * Fits the class-conditional Gaussians and returns the state together with the (possibly normalised) features.
 * @internal shared with `fitRelativeMahalanobis`
 */
export async function fitMahalanobisState(
  input: DetectorFitInput,
  options: FitMahalanobisOptions = {},
): Promise<{ state: MahalanobisState; features: MatrixLike }> {
  const { shrinkage = 'ledoit-wolf', normalize = true, gemm = jsGemm } = options;
  assertShrinkageOption(shrinkage);
  const raw = readDetectorInput(input, 'features');
  const { labels } = input;
  if (labels === undefined)
    throw new TypeError(
      'Mahalanobis fitting needs input.labels (one integer grade per feature row)',
    );
  if (raw.rows === 0)
    throw new OodError(
      'INSUFFICIENT_DATA',
      'Mahalanobis fitting needs at least one training row (got 0)',
    );
  assertLabels(labels, Number.MAX_SAFE_INTEGER);
  let maxLabel = 0;
  for (let i = 0; i < labels.length; i++) maxLabel = Math.max(maxLabel, labels[i] ?? 0);
  const numClasses = options.numClasses ?? maxLabel + 1;
  assertInteger(numClasses, 'numClasses', { min: 1 });
  const features = normalize ? l2NormalizeRows(raw) : raw;
  const { means, counts } = classMeans(features, labels, numClasses);
  const centred = centreByClass(features, labels, means);
  const gaussian = await fitTiedGaussian(centred, means, { shrinkage, gemm });
  const state: MahalanobisState = {
    kind: 'mahalanobis',
    version: MAHALANOBIS_STATE_VERSION,
    dim: raw.cols,
    numClasses,
    normalize,
    classCounts: counts,
    ...gaussian,
  };
  return { state, features };
}

/**
 * Fits the Mahalanobis OOD detector of Lee et al. (2018): class-conditional means μ_c over the grades and one tied
 * covariance Σ (pooled within-class MLE, `Σ = (1/N) Σ_i (h_i − μ_{y_i})(h_i − μ_{y_i})ᵀ`), regularised by
 * Ledoit–Wolf shrinkage by default. The OOD score is `min_c (h − μ_c)ᵀ Σ⁻¹ (h − μ_c)` (squared, not rooted):
 * higher = more out-of-distribution.
 *
 * Σ is factorised once with a jittered Cholesky (a singular Σ never yields NaN) and scoring whitens through the
 * injected gemm. Matches `sklearn.covariance.EmpiricalCovariance(assume_centered=True)` /
 * `LedoitWolf(assume_centered=True)` fitted on the class-centred features, then `.mahalanobis(h − μ_c)`.
 * @param input - `features` (N × d) and `labels` (N integer grades)
 * @param options - shrinkage, normalisation, K, gemm
 * @returns a detector whose `toJSON()` is a {@link MahalanobisState}
 * @throws TypeError/RangeError on bad inputs; OodError `INSUFFICIENT_DATA` (an empty class), `NOT_POSITIVE_DEFINITE`
 * @example
 * const detector = await fitMahalanobis({ features, labels }, { shrinkage: 'ledoit-wolf' });
 * const scores = await detector.score({ features: batch });
 * @see https://arxiv.org/abs/1807.03888
 * @see https://github.com/pokaxpoka/deep_Mahalanobis_detector (lib_generation.py)
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.covariance.LedoitWolf.html
 */
export async function fitMahalanobis(
  input: DetectorFitInput,
  options: FitMahalanobisOptions = {},
): Promise<MahalanobisDetector> {
  const { state } = await fitMahalanobisState(input, options);
  return createMahalanobisDetector(state, options.gemm === undefined ? {} : { gemm: options.gemm });
}

import { columnMeans, createMatrix, jsGemm } from '@gradeshift/core/math';

import type { DetectorFitInput } from '../detector';
import { fitMahalanobisState, type FitMahalanobisOptions } from '../mahalanobis/fit-mahalanobis';
import { assertShrinkageOption } from '../mahalanobis/shrinkage';
import { fitTiedGaussian } from '../mahalanobis/tied-gaussian';
import {
  createRelativeMahalanobisDetector,
  type RelativeMahalanobisDetector,
} from './create-relative-mahalanobis-detector';
import { RELATIVE_MAHALANOBIS_STATE_VERSION } from './relative-mahalanobis-state';

/** Options for {@link fitRelativeMahalanobis}: the same as Mahalanobis; `shrinkage` applies to both covariances. */
export type FitRelativeMahalanobisOptions = FitMahalanobisOptions;

/**
 * Fits the relative Mahalanobis detector of Ren et al. (2021): the class-conditional Gaussians of Lee et al. (tied
 * covariance) plus a background Gaussian fitted to all training features ignoring labels (mean μ₀ and full MLE
 * covariance Σ₀). The OOD score is `min_c MD_c(h) − MD₀(h)` with squared distances, exactly what
 * `google/uncertainty-baselines` `baselines/jft/ood_utils.py` computes (`rmaha`); it can be negative.
 * With `shrinkage: 'none'` the background covariance is `sklearn.covariance.EmpiricalCovariance().fit(H)`, with
 * `'ledoit-wolf'` it is `LedoitWolf().fit(H)`.
 * @param input - `features` (N × d) and `labels` (N integer grades)
 * @param options - shrinkage (default Ledoit–Wolf), normalisation (default on), K, gemm
 * @returns a detector whose `toJSON()` is a `RelativeMahalanobisState`
 * @throws as `fitMahalanobis`
 * @example
 * const detector = await fitRelativeMahalanobis({ features, labels });
 * const scores = await detector.score({ features: batch });
 * @see https://arxiv.org/abs/2106.09022
 * @see https://github.com/google/uncertainty-baselines/blob/main/baselines/jft/ood_utils.py
 */
export async function fitRelativeMahalanobis(
  input: DetectorFitInput,
  options: FitRelativeMahalanobisOptions = {},
): Promise<RelativeMahalanobisDetector> {
  const { shrinkage = 'ledoit-wolf', gemm = jsGemm } = options;
  assertShrinkageOption(shrinkage);
  const { state, features } = await fitMahalanobisState(input, options);
  // Background: one Gaussian over every training row, centred on the global mean (the code's single-class call).
  const mean = columnMeans(features);
  const d = features.cols;
  const centred = createMatrix(features.rows, d);
  for (let i = 0; i < features.rows; i++) {
    for (let j = 0; j < d; j++)
      centred.data[i * d + j] = (features.data[i * d + j] ?? 0) - (mean[j] ?? 0);
  }
  const background = await fitTiedGaussian(
    centred,
    { rows: 1, cols: d, data: mean },
    { shrinkage, gemm },
  );
  const { dim, numClasses, normalize, classCounts, means, whitening, jitter } = state;
  return createRelativeMahalanobisDetector(
    {
      kind: 'relative-mahalanobis',
      version: RELATIVE_MAHALANOBIS_STATE_VERSION,
      dim,
      numClasses,
      normalize,
      classCounts,
      classConditional: { means, whitening, shrinkage: state.shrinkage, jitter },
      background,
    },
    options.gemm === undefined ? {} : { gemm: options.gemm },
  );
}

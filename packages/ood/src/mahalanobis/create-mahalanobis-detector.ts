import { createMatrix, jsGemm, type Matrix } from '@gradeshift/core/math';

import {
  assertNoNaNScores,
  readDetectorMatrix,
  type DetectorComputeOptions,
  type DetectorInput,
  type OodDetector,
} from '../detector';
import type { MahalanobisState } from './mahalanobis-state';
import type { AppliedShrinkage } from './shrinkage';
import { squaredMahalanobis } from './squared-mahalanobis';
import { createWhitenedGaussians, rowMin, tiedGaussianToJSON } from './whitened-gaussians';

/** The fitted statistics of a Mahalanobis detector, for reports. The matrices are the detector's own: read, do not mutate. */
export interface MahalanobisStats {
  readonly dim: number;
  readonly numClasses: number;
  readonly normalize: boolean;
  readonly classCounts: readonly number[];
  /** K × d class means μ_c (in the normalised space when `normalize`). */
  readonly means: Matrix;
  /** d × d W = L⁻¹ with Σ = L·Lᵀ; Σ⁻¹ = WᵀW. */
  readonly whitening: Matrix;
  readonly shrinkage: AppliedShrinkage;
  readonly jitter: number;
}

/** A fitted Mahalanobis detector: the {@link OodDetector} contract plus per-class distances and its statistics. */
export interface MahalanobisDetector extends OodDetector<MahalanobisState> {
  readonly stats: MahalanobisStats;
  /** Squared Mahalanobis distance of every row to every class, n × K (the score is the row minimum). */
  classDistances(input: DetectorInput, options?: DetectorComputeOptions): Promise<Matrix>;
}

/**
 * Builds a Mahalanobis detector from a fitted state (used by `fitMahalanobis` and `loadDetector`, so a
 * round-tripped state scores bit-identically). The state's arrays are copied.
 * @param state - a state whose array sizes have been checked (see `loadDetector`)
 * @param options - default gemm for scoring @default jsGemm
 * @see https://arxiv.org/abs/1807.03888
 */
export function createMahalanobisDetector(
  state: MahalanobisState,
  options: DetectorComputeOptions = {},
): MahalanobisDetector {
  const { dim, numClasses, normalize } = state;
  const defaultGemm = options.gemm ?? jsGemm;
  const gaussians = createWhitenedGaussians(state, { dim, count: numClasses });
  const classCounts = [...state.classCounts];
  const { means, whitening, shrinkage, jitter } = gaussians;

  const classDistances = async (
    input: DetectorInput,
    scoreOptions: DetectorComputeOptions = {},
  ): Promise<Matrix> => {
    // Finiteness is checked block by block inside squaredMahalanobis, in its single pass over the input.
    const features = readDetectorMatrix(input, 'features', dim);
    const [distances] = await squaredMahalanobis(features, [gaussians], {
      gemm: scoreOptions.gemm ?? defaultGemm,
      normalize,
    });
    return distances ?? createMatrix(features.rows, numClasses);
  };

  return {
    kind: 'mahalanobis',
    needs: 'features',
    stats: { dim, numClasses, normalize, classCounts, means, whitening, shrinkage, jitter },
    classDistances,
    async score(input, scoreOptions) {
      return assertNoNaNScores(
        rowMin(await classDistances(input, scoreOptions)),
        'mahalanobis scores',
      );
    },
    toJSON(): MahalanobisState {
      return {
        kind: 'mahalanobis',
        version: state.version,
        dim,
        numClasses,
        normalize,
        classCounts: [...classCounts],
        ...tiedGaussianToJSON(gaussians),
      };
    },
  };
}

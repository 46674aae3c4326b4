import { createMatrix, jsGemm, type Matrix } from '@gradeshift/core/math';

import {
  assertNoNaNScores,
  readDetectorMatrix,
  type DetectorComputeOptions,
  type DetectorInput,
  type OodDetector,
} from '../detector';
import { squaredMahalanobis } from '../mahalanobis/squared-mahalanobis';
import {
  createWhitenedGaussians,
  rowMin,
  tiedGaussianToJSON,
} from '../mahalanobis/whitened-gaussians';
import type { RelativeMahalanobisState } from './relative-mahalanobis-state';

/** Both distance parts of a relative Mahalanobis score, for reports. */
export interface RelativeMahalanobisDistances {
  /** n × K squared class-conditional distances MD_c. */
  classDistances: Matrix;
  /** n squared background distances MD₀. */
  backgroundDistances: Float64Array;
}

/** A fitted relative Mahalanobis detector: the {@link OodDetector} contract plus its distance parts. */
export interface RelativeMahalanobisDetector extends OodDetector<RelativeMahalanobisState> {
  /** MD_c for every class and MD₀; the score is `min_c MD_c − MD₀`. */
  distances(
    input: DetectorInput,
    options?: DetectorComputeOptions,
  ): Promise<RelativeMahalanobisDistances>;
}

/**
 * Builds a relative Mahalanobis detector from a fitted state (used by `fitRelativeMahalanobis` and
 * `loadDetector`). The state's arrays are copied.
 * @param state - a state whose array sizes have been checked (see `loadDetector`)
 * @param options - default gemm for scoring @default jsGemm
 * @see https://arxiv.org/abs/2106.09022
 */
export function createRelativeMahalanobisDetector(
  state: RelativeMahalanobisState,
  options: DetectorComputeOptions = {},
): RelativeMahalanobisDetector {
  const { dim, numClasses, normalize } = state;
  const defaultGemm = options.gemm ?? jsGemm;
  const classConditional = createWhitenedGaussians(state.classConditional, {
    dim,
    count: numClasses,
  });
  const background = createWhitenedGaussians(state.background, { dim, count: 1 });
  const classCounts = [...state.classCounts];

  const distances = async (
    input: DetectorInput,
    scoreOptions: DetectorComputeOptions = {},
  ): Promise<RelativeMahalanobisDistances> => {
    // One pass over the input for both parts; finiteness is checked block by block inside squaredMahalanobis.
    const features = readDetectorMatrix(input, 'features', dim);
    const gemm = scoreOptions.gemm ?? defaultGemm;
    const [classDistances = createMatrix(features.rows, numClasses), backgroundMatrix] =
      await squaredMahalanobis(features, [classConditional, background], { gemm, normalize });
    return {
      classDistances,
      backgroundDistances: backgroundMatrix?.data ?? new Float64Array(features.rows),
    };
  };

  return {
    kind: 'relative-mahalanobis',
    needs: 'features',
    distances,
    async score(input, scoreOptions) {
      const { classDistances, backgroundDistances } = await distances(input, scoreOptions);
      const scores = rowMin(classDistances);
      for (let i = 0; i < scores.length; i++)
        scores[i] = (scores[i] ?? 0) - (backgroundDistances[i] ?? 0);
      // Both parts overflowing to Infinity would give NaN: refuse it rather than return it.
      return assertNoNaNScores(scores, 'relative-mahalanobis scores');
    },
    toJSON(): RelativeMahalanobisState {
      return {
        kind: 'relative-mahalanobis',
        version: state.version,
        dim,
        numClasses,
        normalize,
        classCounts: [...classCounts],
        classConditional: tiedGaussianToJSON(classConditional),
        background: tiedGaussianToJSON(background),
      };
    },
  };
}

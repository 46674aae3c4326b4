/**
 * The OOD detectors of a model evaluation: the relevance-space detectors fitted on the ID-train hidden features
 * and logits, their kernels, and scoring a split in both spaces (relevance and content).
 */
import type { OodSpace } from '@gradeshift/core';
import type { Gemm, MatrixLike } from '@gradeshift/core/math';
import {
  fitEnergy,
  fitKnn,
  fitMahalanobis,
  fitMaxLogit,
  fitMsp,
  fitRelativeMahalanobis,
  type EnergyState,
  type MahalanobisDetector,
  type OodDetector,
} from '@gradeshift/ood';

import type { SplitOutputs } from '../stages/infer';
import type { PreparedSplit } from '../stages/prepare';
import {
  CONTENT_SCORE_NAMES,
  CONTENT_SCORE_SPACES,
  scoreContent,
  type ContentDetectors,
} from './content-detectors';

/** The relevance-space detectors: they read the scorer's hidden features or its logits ("is the model unsure?"). */
export const RELEVANCE_DETECTOR_NAMES = [
  'mahalanobis',
  'relative_mahalanobis',
  'knn',
  'energy',
  'msp',
  'max_logit',
] as const;
export type RelevanceDetectorName = (typeof RELEVANCE_DETECTOR_NAMES)[number];

/** Every OOD score in the report: the relevance space, then the content space and the fused score ("is this traffic new?"). */
export const DETECTOR_NAMES = [...RELEVANCE_DETECTOR_NAMES, ...CONTENT_SCORE_NAMES] as const;
export type DetectorName = (typeof DETECTOR_NAMES)[number];

/** The representation each score reads. */
export const DETECTOR_SPACES: Readonly<Record<DetectorName, OodSpace>> = {
  ...(Object.fromEntries(RELEVANCE_DETECTOR_NAMES.map((n) => [n, 'relevance'])) as Record<
    RelevanceDetectorName,
    OodSpace
  >),
  ...CONTENT_SCORE_SPACES,
};

/** Scores of the relevance detectors on one split. */
export type RelevanceScores = Record<RelevanceDetectorName, Float64Array>;

/** Scores of every detector on one split. */
export type DetectorScores = Record<DetectorName, Float64Array>;

/** The six fitted relevance detectors, each with its own state type (for export). */
export interface FittedDetectors extends Record<RelevanceDetectorName, OodDetector> {
  readonly mahalanobis: MahalanobisDetector;
  readonly energy: OodDetector<EnergyState>;
}

/**
 * Product kernels of the detectors: `gemm` for all, `knn` for the KNN detector's similarity products (a float32
 * kernel there is ≈ 3× faster on 12k × 41k products and moves its scores by ~1e-6).
 */
export interface DetectorKernels {
  readonly gemm?: Gemm | undefined;
  readonly knn?: Gemm | undefined;
}

function kernelsOf(kernels: Gemm | DetectorKernels | undefined): DetectorKernels {
  if (kernels === undefined) return {};
  return typeof (kernels as Partial<Gemm>).gemm === 'function'
    ? { gemm: kernels as Gemm }
    : (kernels as DetectorKernels);
}

/** Fits all six detectors on the ID training split's features / logits. */
export async function fitDetectors(
  train: { features: MatrixLike; logits: MatrixLike; labels: Int32Array },
  kernels: Gemm | DetectorKernels | undefined,
): Promise<FittedDetectors> {
  const { gemm, knn: knnGemm = gemm } = kernelsOf(kernels);
  const opts = gemm === undefined ? {} : { gemm };
  return {
    mahalanobis: await fitMahalanobis({ features: train.features, labels: train.labels }, opts),
    relative_mahalanobis: await fitRelativeMahalanobis(
      { features: train.features, labels: train.labels },
      opts,
    ),
    knn: await fitKnn(
      { features: train.features },
      { k: 50, ...(knnGemm === undefined ? {} : { gemm: knnGemm }) },
    ),
    energy: await fitEnergy({ logits: train.logits }),
    msp: await fitMsp({ logits: train.logits }),
    max_logit: await fitMaxLogit({ logits: train.logits }),
  };
}

/** Scores one split with every relevance detector. */
export async function scoreAll(
  detectors: Record<RelevanceDetectorName, OodDetector>,
  outputs: SplitOutputs,
  kernels: Gemm | DetectorKernels | undefined,
): Promise<RelevanceScores> {
  const { gemm, knn: knnGemm = gemm } = kernelsOf(kernels);
  const entries = await Promise.all(
    RELEVANCE_DETECTOR_NAMES.map(async (name) => {
      const d = detectors[name];
      const input =
        d.needs === 'features' ? { features: outputs.features } : { logits: outputs.logits };
      const kernel = name === 'knn' ? knnGemm : gemm;
      return [name, await d.score(input, kernel === undefined ? {} : { gemm: kernel })] as const;
    }),
  );
  return Object.fromEntries(entries) as RelevanceScores;
}

/**
 * Scores one split with every detector, both spaces: the relevance detectors on the model's outputs, the
 * content detectors on the split's content rows, the fused score on the ID-validation percentiles of
 * `reference` (its own scores when absent: the ID-validation split itself).
 */
export async function scoreEverySpace(
  detectors: { relevance: FittedDetectors; content: ContentDetectors },
  split: { outputs: SplitOutputs; prepared: PreparedSplit<unknown> },
  options: { kernels: DetectorKernels; reference?: DetectorScores | undefined },
): Promise<DetectorScores> {
  const { kernels, reference } = options;
  return {
    ...(await scoreAll(detectors.relevance, split.outputs, kernels)),
    ...(await scoreContent(detectors.content, split.prepared, {
      gemm: kernels.knn ?? kernels.gemm,
      reference,
    })),
  };
}

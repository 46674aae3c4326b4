/**
 * The OOD scores of a run's bundle, each calibrated on the ID validation split (percentiles and the 95%-TPR
 * threshold): Mahalanobis, energy and the bundle's own KNN in the graph, the other relevance detectors as states
 * in the manifest, and the content scores with their fusion.
 */
import {
  CONTENT_ONNX_OUTPUTS,
  SCORER_ONNX_OOD_OUTPUTS,
  type BundleOodScore,
  type BundleOodSource,
} from '@gradeshift/core';
import type { Gemm } from '@gradeshift/core/math';
import { fitKnn, type OodDetector } from '@gradeshift/ood';

import { calibrateOodScore } from '../bundle/calibrate-ood-score';
import type { SplitOutputs } from '../stages/infer';
import { FUSED_MEMBERS } from './content-detectors';
import type { ModelEvaluation } from './evaluate-model';
import type { DetectorName } from './model-detectors';

/**
 * ID-train rows kept in the bundle's KNN bank, an initializer of model.onnx (4,096 × 48 float32: 0.8 MB; the run's
 * report uses all rows).
 */
export const BUNDLE_KNN_BANK = 4096;
/** k of the bundle's KNN score, scaled down with the bank. */
export const BUNDLE_KNN_K = 10;
/** ID fraction each bundle threshold keeps. */
const TPR = 0.95;

/** The manifest source of a detector scored outside the graph: its state. */
function detectorSource(detector: OodDetector): BundleOodSource {
  return {
    kind: 'detector',
    reads: detector.needs,
    // A fresh object literal: the detector's state interface gains the manifest's open index signature.
    state: { ...detector.toJSON() },
  };
}

/** The content-space entries: item and pair surprisal, Mahalanobis and KNN in the graph, and the fusion. */
function contentScores(
  evaluation: ModelEvaluation,
  validation: ModelEvaluation['scores']['id_validation'],
): Record<string, BundleOodScore> {
  const knn = evaluation.contentDetectors.content_knn.toJSON();
  const content = (source: BundleOodSource, held: Float64Array, settings = {}) =>
    calibrateOodScore({ source, heldOutIdScores: held, tpr: TPR, settings, space: 'content' });
  return {
    surprisal: content(
      { kind: 'graph', output: CONTENT_ONNX_OUTPUTS.surprisal },
      validation.surprisal,
      { reads: 'item' },
    ),
    pair_surprisal: content(
      { kind: 'graph', output: CONTENT_ONNX_OUTPUTS.pairSurprisal },
      validation.pair_surprisal,
      { reads: 'pair', excludes: 'numbers and units' },
    ),
    content_mahalanobis: content(
      { kind: 'graph', output: CONTENT_ONNX_OUTPUTS.mahalanobis },
      validation.content_mahalanobis,
      { normalize: evaluation.contentDetectors.content_mahalanobis.toJSON().normalize },
    ),
    content_knn: content(
      { kind: 'graph', output: CONTENT_ONNX_OUTPUTS.knn },
      validation.content_knn,
      // The bank as fitted (a slice of ID train may hold fewer rows than CONTENT_KNN_BANK).
      { k: knn.k, bank: knn.bankSize },
    ),
    fused: calibrateOodScore({
      source: { kind: 'fused', of: [...FUSED_MEMBERS], method: 'mean' },
      heldOutIdScores: validation.fused,
      tpr: TPR,
      space: 'fused',
    }),
  };
}

/** The bundle's own KNN on the main model's hidden features: a seeded sample of ID train, and its ID-validation scores. */
export async function fitBundleKnn(
  outputs: { idTrain: SplitOutputs; idValidation: SplitOutputs },
  seed: number,
  gemm: Gemm | undefined,
): Promise<{ knn: Awaited<ReturnType<typeof fitKnn>>; validation: Float64Array; bank: number }> {
  const n = outputs.idTrain.features.rows;
  const knn = await fitKnn(
    { features: outputs.idTrain.features },
    {
      k: BUNDLE_KNN_K,
      sampleRatio: Math.min(1, BUNDLE_KNN_BANK / n),
      seed,
      ...(gemm === undefined ? {} : { gemm }),
    },
  );
  const validation = await knn.score(
    { features: outputs.idValidation.features },
    gemm === undefined ? {} : { gemm },
  );
  return { knn, validation, bank: Math.min(n, BUNDLE_KNN_BANK) };
}

/** Every OOD score of the bundle, calibrated on ID validation: the graph's, the manifest detectors' and the content scores. */
export function modelOodScores(
  evaluation: ModelEvaluation,
  bundleKnn: { validation: ArrayLike<number>; bank: number },
): Record<string, BundleOodScore> {
  const { detectors } = evaluation;
  const validation = evaluation.scores.id_validation;
  const graph = (
    output: string,
    held: DetectorName | ArrayLike<number>,
    settings: Record<string, number | boolean>,
  ) =>
    calibrateOodScore({
      source: { kind: 'graph', output },
      heldOutIdScores: typeof held === 'string' ? validation[held] : held,
      tpr: TPR,
      settings,
    });
  const external = (detector: OodDetector, held: ArrayLike<number>) =>
    calibrateOodScore({
      source: detectorSource(detector),
      heldOutIdScores: held,
      tpr: TPR,
      settings: {},
    });
  return {
    mahalanobis: graph(SCORER_ONNX_OOD_OUTPUTS.mahalanobis, 'mahalanobis', {
      normalize: detectors.mahalanobis.toJSON().normalize,
    }),
    energy: graph(SCORER_ONNX_OOD_OUTPUTS.energy, 'energy', {
      temperature: detectors.energy.toJSON().temperature,
    }),
    relative_mahalanobis: external(detectors.relative_mahalanobis, validation.relative_mahalanobis),
    knn: graph(SCORER_ONNX_OOD_OUTPUTS.knn, bundleKnn.validation, {
      k: BUNDLE_KNN_K,
      bank: bundleKnn.bank,
    }),
    msp: external(detectors.msp, validation.msp),
    max_logit: external(detectors.max_logit, validation.max_logit),
    ...contentScores(evaluation, validation),
  };
}

/**
 * The model bundle of a pipeline run: the main model exported as one ONNX graph with its in-graph OOD scores
 * (Mahalanobis and KNN on the hidden features, energy on the logits, the content scores), the other detectors as
 * states in the manifest, every score calibrated on the ID validation split (percentiles and the 95%-TPR
 * threshold), the vocabulary, text and term-statistics settings, the training-data fingerprint and the headline
 * metrics.
 */
import {
  CONTENT_ONNX_OUTPUTS,
  createBundleManifest,
  DEFAULT_GRADE_SCALE,
  exportScorerOnnx,
  SCORER_ONNX_OOD_OUTPUTS,
  type BundleOodScore,
  type BundleOodSource,
  type ScorerParams,
} from '@gradeshift/core';
import type { Gemm } from '@gradeshift/core/math';
import { fitKnn, type OodDetector } from '@gradeshift/ood';

import { calibrateOodScore } from '../bundle/calibrate-ood-score';
import { writeBundle, type WrittenBundle } from '../bundle/write-bundle';
import type { SplitOutputs } from '../stages/infer';
import type { PreparedData } from '../stages/prepare';
import { PIPELINE_VERSION } from '../version';
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

/** Options for {@link exportRunBundle}. */
export interface ExportRunBundleOptions {
  /** The bundle folder (replaced atomically when it exists). */
  dir: string;
  /** The main model. */
  params: ScorerParams;
  /** The run's prepared data (vocabulary, term statistics, split sizes, data fingerprint). */
  data: PreparedData;
  /** The main model's evaluation (detectors fitted on ID train, validation scores, test metrics). */
  evaluation: ModelEvaluation;
  /** The main model's outputs on ID train and ID validation (for the bundle's KNN bank and its calibration). */
  outputs: { idTrain: SplitOutputs; idValidation: SplitOutputs };
  /** Split seed of the run. */
  seed: number;
  gemm?: Gemm;
}

function detectorSource(detector: OodDetector): BundleOodSource {
  return {
    kind: 'detector',
    reads: detector.needs,
    // A fresh object literal: the detector's state interface gains the manifest's open index signature.
    state: { ...detector.toJSON() },
  };
}

/** The content-space entries: surprisal, Mahalanobis and KNN in the graph, and their fusion. */
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
async function fitBundleKnn(
  outputs: ExportRunBundleOptions['outputs'],
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
function modelOodScores(
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

/** The headline metrics of the manifest: the ID- and OOD-test metrics and each detector's AUROC (non-finite → null). */
function headlineMetrics(evaluation: ModelEvaluation): Record<string, number | null> {
  const metrics: Record<string, number | null> = {};
  for (const split of ['id_test', 'ood_test'] as const) {
    for (const [name, m] of Object.entries(evaluation.splits[split])) {
      if (typeof m === 'object' && m !== null && 'value' in m && typeof m.value === 'number')
        metrics[`${split}.${name}`] = Number.isFinite(m.value) ? m.value : null;
    }
  }
  for (const [name, e] of Object.entries(evaluation.oodDetection))
    metrics[`ood_detection.${name}.auroc`] = Number.isFinite(e.auroc) ? e.auroc : null;
  return metrics;
}

/**
 * Exports and writes the bundle of a run's main model.
 * @param options - folder, parameters, prepared data, evaluation and split outputs
 * @returns the written bundle (folder and final manifest)
 * @throws Error naming the folder when it cannot be written (see `writeBundle`)
 */
export async function exportRunBundle(options: ExportRunBundleOptions): Promise<WrittenBundle> {
  const { params, data, evaluation, outputs, seed, gemm } = options;
  const { detectors } = evaluation;
  const bundleKnn = await fitBundleKnn(outputs, seed, gemm);
  // Both KNN scores run in the graph, their banks as initializers: one onnxruntime run per batch, no bank product
  // and selection outside it, and no bank in the manifest to parse on every load.
  const model = exportScorerOnnx({
    params,
    mahalanobis: detectors.mahalanobis.toJSON(),
    energy: { temperature: detectors.energy.toJSON().temperature },
    knn: bundleKnn.knn.toJSON(),
    content: {
      surprisal: data.surprisal,
      mahalanobis: evaluation.contentDetectors.content_mahalanobis.toJSON(),
      knn: evaluation.contentDetectors.content_knn.toJSON(),
    },
    metadata: { producer: `gradeshift ${PIPELINE_VERSION}` },
  });
  const draft = createBundleManifest({
    config: params.config,
    scale: data.dataset.scale ?? DEFAULT_GRADE_SCALE,
    vocabulary: data.vocabulary,
    termStatistics: data.termStatistics,
    decision: evaluation.decision,
    ood: modelOodScores(evaluation, bundleKnn),
    training: {
      dataSha256: data.dataset.source.sha256,
      splitSeed: seed,
      sizes: {
        id_train: data.idTrain.labels.length,
        id_validation: data.idValidation.labels.length,
        id_test: data.idTest.labels.length,
        pool: data.pool.pairs.length,
        ood_test: data.oodTest.labels.length,
      },
    },
    metrics: headlineMetrics(evaluation),
    gradeshiftVersion: PIPELINE_VERSION,
  });
  return writeBundle({ dir: options.dir, model, manifest: draft });
}

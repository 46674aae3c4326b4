/**
 * The model bundle of a pipeline run: the main model exported as one ONNX graph with its in-graph OOD scores
 * (Mahalanobis and KNN on the hidden features, energy on the logits, the content scores), the other detectors as
 * states in the manifest, every score calibrated on the ID validation split (percentiles and the 95%-TPR
 * threshold), the vocabulary, text and term-statistics settings, the training-data fingerprint and the headline
 * metrics.
 */
import {
  createBundleManifest,
  DEFAULT_GRADE_SCALE,
  exportScorerOnnx,
  type ScorerParams,
} from '@gradeshift/core';
import type { Gemm } from '@gradeshift/core/math';

import { writeBundle, type WrittenBundle } from '../bundle/write-bundle';
import type { SplitOutputs } from '../stages/infer';
import type { PreparedData } from '../stages/prepare';
import { PIPELINE_VERSION } from '../version';
import { fitBundleKnn, modelOodScores } from './bundle-ood-scores';
import type { ModelEvaluation } from './evaluate-model';

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
      pairWeights: data.pairWeights,
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

/**
 * Evaluation of one model: graded metrics with intervals on the ID and OOD test splits, their gap, every OOD
 * detector's separation of the two (ID positive convention), and per-slice metrics (department / cluster).
 */
import { classificationReport, confusionMatrix, type ScorerParams } from '@gradeshift/core';
import type { Gemm, MatrixLike } from '@gradeshift/core/math';
import {
  evaluateOod,
  fitEnergy,
  fitKnn,
  fitMahalanobis,
  fitMaxLogit,
  fitMsp,
  fitRelativeMahalanobis,
  thresholdAtTpr,
  type OodDetector,
  type OodEvaluation,
} from '@gradeshift/ood';

import { normalizeQuery } from '../splits/query-groups';
import { inferSplit, type SplitOutputs } from '../stages/infer';
import type { PreparedData, PreparedSplit } from '../stages/prepare';
import { computeSplitMetrics, SPLIT_METRICS, type SplitMetrics } from '../stages/split-metrics';

/** Detector names in the report. */
export const DETECTOR_NAMES = [
  'mahalanobis',
  'relative_mahalanobis',
  'knn',
  'energy',
  'msp',
  'max_logit',
] as const;
export type DetectorName = (typeof DETECTOR_NAMES)[number];

/** Scores of every detector on one split. */
export type DetectorScores = Record<DetectorName, Float64Array>;

/** Full evaluation of a model. */
export interface ModelEvaluation {
  readonly splits: { id_test: SplitMetrics; ood_test: SplitMetrics };
  readonly gap: Record<string, number>;
  readonly oodDetection: Record<DetectorName, OodEvaluation>;
  /** Thresholds at 95% ID TPR (calibrated on the ID validation split), per detector. */
  readonly thresholds: Record<DetectorName, number>;
  readonly slices: SliceMetrics[];
  readonly outputs: { id_test: SplitOutputs; ood_test: SplitOutputs };
  readonly scores: {
    id_test: DetectorScores;
    ood_test: DetectorScores;
    id_validation: DetectorScores;
  };
  readonly detectors: Record<DetectorName, OodDetector>;
}

/** Metrics of one slice of the test data. */
export interface SliceMetrics {
  readonly slice: string;
  readonly side: 'id' | 'ood';
  readonly n: number;
  readonly accuracy: number;
  readonly macro_f1: number;
  /** Fraction flagged OOD by Mahalanobis at its 95%-TPR threshold. */
  readonly ood_rate: number;
  readonly mean_mahalanobis: number;
}

/** Fits all six detectors on the ID training split's features / logits. */
export async function fitDetectors(
  train: { features: MatrixLike; logits: MatrixLike; labels: Int32Array },
  gemm: Gemm | undefined,
): Promise<Record<DetectorName, OodDetector>> {
  const opts = gemm === undefined ? {} : { gemm };
  return {
    mahalanobis: await fitMahalanobis({ features: train.features, labels: train.labels }, opts),
    relative_mahalanobis: await fitRelativeMahalanobis(
      { features: train.features, labels: train.labels },
      opts,
    ),
    knn: await fitKnn({ features: train.features }, { k: 50, ...opts }),
    energy: await fitEnergy({ logits: train.logits }),
    msp: await fitMsp({ logits: train.logits }),
    max_logit: await fitMaxLogit({ logits: train.logits }),
  };
}

/** Scores one split with every detector. */
export async function scoreAll(
  detectors: Record<DetectorName, OodDetector>,
  outputs: SplitOutputs,
  gemm: Gemm | undefined,
): Promise<DetectorScores> {
  const entries = await Promise.all(
    DETECTOR_NAMES.map(async (name) => {
      const d = detectors[name];
      const input =
        d.needs === 'features' ? { features: outputs.features } : { logits: outputs.logits };
      return [name, await d.score(input, gemm === undefined ? {} : { gemm })] as const;
    }),
  );
  return Object.fromEntries(entries) as DetectorScores;
}

function sliceMetrics(options: {
  split: PreparedSplit;
  outputs: SplitOutputs;
  side: 'id' | 'ood';
  domainOf: ReadonlyMap<string, string>;
  mahalanobis: Float64Array;
  threshold: number;
}): SliceMetrics[] {
  const { split, outputs, side, domainOf, mahalanobis, threshold } = options;
  const bySlice = new Map<string, number[]>();
  split.queries.forEach((q, i) => {
    const slice = domainOf.get(normalizeQuery(q)) ?? 'other';
    const list = bySlice.get(slice) ?? [];
    list.push(i);
    bySlice.set(slice, list);
  });
  return [...bySlice.entries()].map(([slice, idx]) => {
    const labels = Int32Array.from(idx, (i) => split.labels[i] ?? 0);
    const predicted = Int32Array.from(idx, (i) => outputs.predicted[i] ?? 0);
    const report = classificationReport(confusionMatrix(labels, predicted, 3));
    let flagged = 0;
    let sum = 0;
    for (const i of idx) {
      const s = mahalanobis[i] ?? 0;
      sum += s;
      if (s > threshold) flagged++;
    }
    return {
      slice,
      side,
      n: idx.length,
      accuracy: report.accuracy,
      macro_f1: report.macroF1,
      ood_rate: flagged / idx.length,
      mean_mahalanobis: sum / idx.length,
    };
  });
}

/** Evaluates a model end to end. */
export async function evaluateModel(
  params: ScorerParams,
  data: PreparedData,
  options: { gemm?: Gemm; resamples: number; seed: number },
): Promise<ModelEvaluation> {
  const { gemm, resamples, seed } = options;
  const infer = (s: PreparedSplit) =>
    inferSplit(params, s.frozen, gemm === undefined ? {} : { gemm });
  const train = await infer(data.idTrain);
  const validation = await infer(data.idValidation);
  const idTest = await infer(data.idTest);
  const oodTest = await infer(data.oodTest);
  const detectors = await fitDetectors(
    { features: train.features, logits: train.logits, labels: data.idTrain.labels },
    gemm,
  );
  const scores = {
    id_validation: await scoreAll(detectors, validation, gemm),
    id_test: await scoreAll(detectors, idTest, gemm),
    ood_test: await scoreAll(detectors, oodTest, gemm),
  };
  const thresholds = Object.fromEntries(
    DETECTOR_NAMES.map((n) => [n, thresholdAtTpr(scores.id_validation[n], 0.95)]),
  ) as Record<DetectorName, number>;
  const oodDetection = Object.fromEntries(
    DETECTOR_NAMES.map((n) => [
      n,
      evaluateOod({ idScores: scores.id_test[n], oodScores: scores.ood_test[n] }),
    ]),
  ) as Record<DetectorName, OodEvaluation>;
  const metricOptions = { resamples, seed, grades: params.config.grades };
  const splits = {
    id_test: computeSplitMetrics(data.idTest, idTest, metricOptions),
    ood_test: computeSplitMetrics(data.oodTest, oodTest, metricOptions),
  };
  const gap = Object.fromEntries(
    SPLIT_METRICS.map((m) => [m, splits.id_test[m].value - splits.ood_test[m].value]),
  );
  const domainOf = data.splits.domainOfQuery;
  const slices = [
    ...sliceMetrics({
      split: data.idTest,
      outputs: idTest,
      side: 'id',
      domainOf,
      mahalanobis: scores.id_test.mahalanobis,
      threshold: thresholds.mahalanobis,
    }),
    ...sliceMetrics({
      split: data.oodTest,
      outputs: oodTest,
      side: 'ood',
      domainOf,
      mahalanobis: scores.ood_test.mahalanobis,
      threshold: thresholds.mahalanobis,
    }),
  ].sort((a, b) => b.n - a.n);
  return {
    splits,
    gap,
    oodDetection,
    thresholds,
    slices,
    outputs: { id_test: idTest, ood_test: oodTest },
    scores,
    detectors,
  };
}

/** Point macro-F1 and accuracy of a model on a split (for stage tables and α selection). */
export async function quickMetrics(
  params: ScorerParams,
  split: PreparedSplit,
  gemm: Gemm | undefined,
): Promise<{ macro_f1: number; accuracy: number; outputs: SplitOutputs }> {
  const outputs = await inferSplit(params, split.frozen, gemm === undefined ? {} : { gemm });
  const report = classificationReport(
    confusionMatrix(split.labels, outputs.predicted, params.config.grades),
  );
  return { macro_f1: report.macroF1, accuracy: report.accuracy, outputs };
}

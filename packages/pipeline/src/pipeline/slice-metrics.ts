/** Metrics per slice of the test data: the department or query cluster of each test pair. */
import { classificationReport, confusionMatrix } from '@gradeshift/core';

import { normalizeQuery } from '../splits/query-groups';
import type { PreparedData, PreparedSplit } from '../stages/prepare';
import type { ModelEvaluation } from './evaluate-model';

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

function sliceMetrics(options: {
  split: PreparedSplit;
  predicted: Int32Array;
  side: 'id' | 'ood';
  domainOf: ReadonlyMap<string, string>;
  mahalanobis: Float64Array;
  threshold: number;
}): SliceMetrics[] {
  const { split, predicted: decided, side, domainOf, mahalanobis, threshold } = options;
  const bySlice = new Map<string, number[]>();
  split.queries.forEach((q, i) => {
    const slice = domainOf.get(normalizeQuery(q)) ?? 'other';
    const list = bySlice.get(slice) ?? [];
    list.push(i);
    bySlice.set(slice, list);
  });
  return [...bySlice.entries()].map(([slice, idx]) => {
    const labels = Int32Array.from(idx, (i) => split.labels[i] ?? 0);
    const predicted = Int32Array.from(idx, (i) => decided[i] ?? 0);
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

export /** Metrics per slice (department or cluster) of ID test and near-OOD test, largest first. */
function evaluationSlices(
  data: PreparedData,
  evaluation: Pick<ModelEvaluation, 'predicted' | 'scores' | 'thresholds'>,
): SliceMetrics[] {
  const { predicted, scores, thresholds } = evaluation;
  const common = { domainOf: data.splits.domainOfQuery, threshold: thresholds.mahalanobis };
  return [
    ...sliceMetrics({
      ...common,
      split: data.idTest,
      predicted: predicted.id_test,
      side: 'id',
      mahalanobis: scores.id_test.mahalanobis,
    }),
    ...sliceMetrics({
      ...common,
      split: data.oodTest,
      predicted: predicted.ood_test,
      side: 'ood',
      mahalanobis: scores.ood_test.mahalanobis,
    }),
  ].sort((a, b) => b.n - a.n);
}

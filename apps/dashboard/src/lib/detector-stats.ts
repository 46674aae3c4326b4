/**
 * What the Detectors view draws, computed once on the server from the test rows so the browser receives a few
 * kilobytes: per detector, score histograms of the ID and OOD test sets, the ROC curve (core's `rocCurve`,
 * OOD = positive) and a threshold table (flagged share and accuracy on the kept rows at 101 score quantiles).
 */
import { rocCurve } from '@gradeshift/core';

import type { TestRows } from './test-rows';

const BINS = 40;
const LEVELS = 101;

/** One threshold: what is flagged (score > threshold) and how accurate the kept rows are. */
export interface ThresholdPoint {
  threshold: number;
  /** Share of all test rows at or below the threshold. */
  level: number;
  flaggedId: number;
  flaggedOod: number;
  flaggedAll: number;
  keptAccuracy: number;
}

/** Everything drawn for one detector. */
export interface DetectorView {
  name: string;
  histogram: { x: number; id: number; ood: number }[];
  roc: { fpr: number; tpr: number }[];
  thresholds: ThresholdPoint[];
  /** Accuracy on all test rows (nothing flagged). */
  accuracy: number;
}

function quantile(sorted: Float64Array, q: number): number {
  const at = Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))));
  return sorted[at] ?? NaN;
}

function histogram(scores: Float64Array, isOod: readonly boolean[], sorted: Float64Array) {
  // Clip to the central 99% so one extreme score does not squash every other bin into one.
  const lo = quantile(sorted, 0.005);
  const hi = quantile(sorted, 0.995);
  const width = hi > lo ? (hi - lo) / BINS : 1;
  const id = new Float64Array(BINS);
  const ood = new Float64Array(BINS);
  let nId = 0;
  let nOod = 0;
  scores.forEach((s, i) => {
    const b = Math.min(BINS - 1, Math.max(0, Math.floor((s - lo) / width)));
    if (isOod[i] === true) {
      ood[b] = (ood[b] ?? 0) + 1;
      nOod++;
    } else {
      id[b] = (id[b] ?? 0) + 1;
      nId++;
    }
  });
  return Array.from({ length: BINS }, (_, b) => ({
    x: lo + (b + 0.5) * width,
    id: (id[b] ?? 0) / Math.max(1, nId),
    ood: (ood[b] ?? 0) / Math.max(1, nOod),
  }));
}

/** The threshold table, from one pass over the rows in score order. */
function thresholdTable(scores: Float64Array, rows: TestRows): ThresholdPoint[] {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (scores[a] ?? 0) - (scores[b] ?? 0),
  );
  // kept[k] counts among the k lowest-scoring rows.
  const keptId = new Float64Array(n + 1);
  const keptCorrect = new Float64Array(n + 1);
  order.forEach((i, k) => {
    keptId[k + 1] = (keptId[k] ?? 0) + (rows.split[i] === 'id' ? 1 : 0);
    keptCorrect[k + 1] = (keptCorrect[k] ?? 0) + (rows.correct[i] === true ? 1 : 0);
  });
  const nId = keptId[n] ?? 0;
  const nOod = n - nId;
  return Array.from({ length: LEVELS }, (_, j) => {
    const level = j / (LEVELS - 1);
    const k0 = Math.round(level * n);
    // Move to the end of a run of ties: flagging is `score > threshold`.
    let k = k0;
    const threshold =
      k === 0 ? (scores[order[0] ?? 0] ?? 0) - 1e-9 : (scores[order[k - 1] ?? 0] ?? 0);
    while (k < n && (scores[order[k] ?? 0] ?? 0) <= threshold) k++;
    const id = keptId[k] ?? 0;
    const ood = k - id;
    return {
      threshold,
      level: k / n,
      flaggedId: nId === 0 ? 0 : 1 - id / nId,
      flaggedOod: nOod === 0 ? 0 : 1 - ood / nOod,
      flaggedAll: 1 - k / n,
      keptAccuracy: k === 0 ? NaN : (keptCorrect[k] ?? 0) / k,
    };
  });
}

/**
 * The view of every detector.
 * @param rows - the run's test rows
 */
export function detectorViews(rows: TestRows): DetectorView[] {
  const isOod = rows.split.map((s) => s === 'ood');
  const accuracy = rows.correct.filter(Boolean).length / Math.max(1, rows.correct.length);
  return rows.detectors.map((name) => {
    const scores = rows.scores[name] ?? new Float64Array();
    const sorted = Float64Array.from(scores).sort();
    const roc = rocCurve(scores, isOod, { dropIntermediate: true, maxPoints: 150 });
    return {
      name,
      histogram: histogram(scores, isOod, sorted),
      roc: Array.from(roc.fpr, (fpr, i) => ({ fpr, tpr: roc.tpr[i] ?? 0 })),
      thresholds: thresholdTable(scores, rows),
      accuracy,
    };
  });
}

import {
  applyOrdinalThresholds,
  classificationReport,
  confusionMatrix,
  expectedCalibrationError,
  expectedGrades,
  meanNdcg,
  overRecall,
  predictedGrades,
} from '@gradeshift/core';
import { createRng, softmax } from '@gradeshift/core/math';
import { describe, expect, it } from 'vitest';

import { computeSplitMetrics } from './split-metrics';

function fixture(n: number, seed: number) {
  const rng = createRng(seed);
  const logits = {
    rows: n,
    cols: 3,
    data: Float64Array.from({ length: n * 3 }, () => rng.normal() * 1.5),
  };
  const probs = softmax(logits);
  const labels = Int32Array.from({ length: n }, () => rng.int(3));
  const ratings = Float64Array.from(labels, (y) => y + (rng.next() - 0.5) * 0.6);
  const queries = Array.from({ length: n }, (_, i) => `q${i % 37}`);
  const outputs = {
    logits,
    probs,
    features: logits,
    expected: expectedGrades(probs),
    predicted: predictedGrades(probs),
  };
  return { split: { labels, ratings, queries }, outputs };
}

describe('computeSplitMetrics', () => {
  it('reports the same point values as core metrics on the full split', () => {
    const { split, outputs } = fixture(400, 1);
    const m = computeSplitMetrics(split, outputs, { resamples: 50 });
    const report = classificationReport(confusionMatrix(split.labels, outputs.predicted, 3));
    expect(m.accuracy.value).toBeCloseTo(report.accuracy, 12);
    expect(m.macro_f1.value).toBeCloseTo(report.macroF1, 12);
    expect(m.over_recall.value).toBeCloseTo(
      overRecall(confusionMatrix(split.labels, outputs.predicted, 3)).overRecallRate,
      12,
    );
    expect(m.ece.value).toBeCloseTo(expectedCalibrationError(outputs.probs, split.labels).ece, 12);
    expect(m['ndcg@10'].value).toBeCloseTo(
      meanNdcg(
        { scores: outputs.expected, labels: split.labels, queryIds: split.queries },
        { k: 10 },
      ).mean,
      12,
    );
    let s = 0;
    for (let i = 0; i < 400; i++) s += (outputs.expected[i]! - split.ratings[i]!) ** 2;
    expect(m.rmse.value).toBeCloseTo(Math.sqrt(s / 400), 12);
    expect(m.n).toBe(400);
    expect(m.queries).toBe(37);
  });

  it('gives intervals that bracket the estimate and are reproducible per seed', () => {
    const { split, outputs } = fixture(600, 2);
    const a = computeSplitMetrics(split, outputs, { resamples: 200, seed: 3 });
    const b = computeSplitMetrics(split, outputs, { resamples: 200, seed: 3 });
    expect(a).toEqual(b);
    for (const name of ['accuracy', 'macro_f1', 'ndcg@10', 'ece', 'rmse', 'over_recall'] as const) {
      expect(a[name].lo).toBeLessThanOrEqual(a[name].hi);
      expect(a[name].hi - a[name].lo).toBeGreaterThan(0);
    }
  });

  it('uses the decision rule for accuracy, macro-F1, over-recall and confusion, and keeps arg-max beside it', () => {
    const { split, outputs } = fixture(500, 4);
    const thresholds = [0.8, 1.2];
    const decided = applyOrdinalThresholds(outputs.expected, thresholds);
    const plain = computeSplitMetrics(split, outputs, { resamples: 100, seed: 5 });
    const m = computeSplitMetrics(split, outputs, {
      resamples: 100,
      seed: 5,
      decision: { kind: 'ordinal-thresholds', thresholds },
    });
    const cm = confusionMatrix(split.labels, decided, 3);
    expect(m.decision).toBe('ordinal-thresholds');
    expect(plain.decision).toBe('argmax');
    expect(plain.argmax).toBeUndefined();
    expect(m.macro_f1.value).toBeCloseTo(classificationReport(cm).macroF1, 12);
    expect(m.accuracy.value).toBeCloseTo(classificationReport(cm).accuracy, 12);
    expect(m.over_recall.value).toBeCloseTo(overRecall(cm).overRecallRate, 12);
    expect(m.confusion.flat()).toEqual(Array.from(cm.data));
    // Arg-max figures are those of the plain call (same resamples), and rule-free metrics do not move.
    expect(m.argmax?.macro_f1).toEqual(plain.macro_f1);
    expect(m.argmax?.accuracy).toEqual(plain.accuracy);
    expect(m.argmax?.over_recall).toEqual(plain.over_recall);
    expect(m.argmax?.confusion).toEqual(plain.confusion);
    for (const name of ['rmse', 'ndcg@10', 'ece'] as const) expect(m[name]).toEqual(plain[name]);
  });
});

import { describe, expect, it } from 'vitest';

import { createRng } from '../math/prng';
import { applyGradeOffsets, fitGradeOffsets } from './grade-offsets';
import { applyOrdinalThresholds, fitOrdinalThresholds } from './ordinal-thresholds';

/** Noisy 3-grade probabilities whose arg-max lets most irrelevant pairs through as weak. */
function data(n: number) {
  const rng = createRng(3);
  const probs = new Float64Array(n * 3);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const y = i % 5 === 0 ? 0 : i % 2 === 0 ? 1 : 2;
    labels[i] = y;
    const z = [0.2 * (y === 0 ? 1 : 0) + rng.normal(), 0.6 + rng.normal(), 0.5 * y + rng.normal()];
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    e.forEach((v, c) => (probs[i * 3 + c] = v / s));
  }
  return { probs: { rows: n, cols: 3, data: probs }, labels };
}

const overRecall = (labels: Int32Array, predicted: Int32Array): number => {
  let zeros = 0;
  let through = 0;
  labels.forEach((y, i) => {
    if (y !== 0) return;
    zeros++;
    if ((predicted[i] ?? 0) > 0) through++;
  });
  return through / zeros;
};

describe('the over-recall cap of the decision fits', () => {
  const { probs, labels } = data(2000);
  const expected = Float64Array.from({ length: 2000 }, (_, i) => {
    const p = probs.data;
    return (p[i * 3 + 1] ?? 0) + 2 * (p[i * 3 + 2] ?? 0);
  });

  it('grade offsets: the capped fit meets the cap on the fitting data, at some macro-F1 cost', () => {
    const free = fitGradeOffsets(probs, labels);
    const capped = fitGradeOffsets(probs, labels, { maxOverRecall: 0.2 });
    expect(overRecall(labels, applyGradeOffsets(probs, free.offsets))).toBeGreaterThan(0.2);
    expect(overRecall(labels, applyGradeOffsets(probs, capped.offsets))).toBeLessThanOrEqual(0.2);
    expect(capped.macroF1).toBeGreaterThan(0);
    expect(capped.macroF1).toBeLessThanOrEqual(free.macroF1);
  });

  it('ordinal thresholds: the capped fit meets the cap on the fitting data', () => {
    const free = fitOrdinalThresholds(expected, labels);
    const capped = fitOrdinalThresholds(expected, labels, { maxOverRecall: 0.2 });
    expect(overRecall(labels, applyOrdinalThresholds(expected, free.thresholds))).toBeGreaterThan(
      0.2,
    );
    expect(
      overRecall(labels, applyOrdinalThresholds(expected, capped.thresholds)),
    ).toBeLessThanOrEqual(0.2);
    expect(capped.macroF1).toBeLessThanOrEqual(free.macroF1);
  });

  it('rejects a cap outside [0, 1]', () => {
    expect(() => fitGradeOffsets(probs, labels, { maxOverRecall: 1.5 })).toThrow(/maxOverRecall/);
    expect(() => fitOrdinalThresholds(expected, labels, { maxOverRecall: -1 })).toThrow(
      /maxOverRecall/,
    );
  });
});

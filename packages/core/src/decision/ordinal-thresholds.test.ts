import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { createRng } from '../math/prng';
import { classificationReport } from '../metrics/classification';
import { confusionMatrix } from '../metrics/confusion-matrix';
import { applyOrdinalThresholds, fitOrdinalThresholds } from './ordinal-thresholds';

interface GoldenCase {
  grades: number;
  candidates: number;
  scores: number[];
  labels: number[];
  thresholds: number[];
  macroF1: number;
}

const golden = JSON.parse(
  readFileSync(new URL('../../../../tests/fixtures/golden/lexical.json', import.meta.url), 'utf8'),
) as { thresholds: GoldenCase[] };

const macroF1 = (labels: ArrayLike<number>, predictions: ArrayLike<number>, k: number): number =>
  classificationReport(confusionMatrix(labels, predictions, k)).macroF1;

describe('applyOrdinalThresholds', () => {
  it('counts the cut points at or below each score', () => {
    expect(Array.from(applyOrdinalThresholds([0.2, 1, 1.1, 1.5, 1.6], [1, 1.5]))).toEqual([
      0, 1, 1, 2, 2,
    ]);
    // Equal cut points leave the middle grade empty.
    expect(Array.from(applyOrdinalThresholds([0.9, 1.2], [1, 1]))).toEqual([0, 2]);
  });

  it('rejects unordered or non-finite input', () => {
    expect(() => applyOrdinalThresholds([1], [1.5, 1])).toThrow(
      'thresholds must be non-decreasing (thresholds[1] < thresholds[0])',
    );
    expect(() => applyOrdinalThresholds([Number.NaN], [1])).toThrow('scores[0] must be finite');
  });
});

describe('fitOrdinalThresholds', () => {
  it('matches the exhaustive search of the Python reference', () => {
    // tests/scripts/golden_lexical.py: fit_thresholds (numpy grid + sklearn.metrics.f1_score(average='macro'))
    for (const c of golden.thresholds) {
      const fit = fitOrdinalThresholds(c.scores, c.labels, {
        grades: c.grades,
        candidates: c.candidates,
      });
      expect(Array.from(fit.thresholds)).toEqual(c.thresholds);
      expect(fit.macroF1).toBeCloseTo(c.macroF1, 12);
    }
  });

  it('separates perfectly separable grades (worked by hand)', () => {
    // Grades 0, 1, 2 occupy [0, 0.3], [0.8, 1.1], [1.6, 2]: any cut in the gaps is perfect; the grid
    // (C = 9, n = 9: the order statistics 2nd … 9th) offers the first score of each grade.
    const scores = [0, 0.1, 0.3, 0.8, 1, 1.1, 1.6, 1.8, 2];
    const labels = [0, 0, 0, 1, 1, 1, 2, 2, 2];
    const fit = fitOrdinalThresholds(scores, labels, { candidates: 9 });
    expect(Array.from(fit.thresholds)).toEqual([0.8, 1.6]);
    expect(fit.macroF1).toBe(1);
  });

  it('reproduces its macro-F1 and never loses to the arg-max-like cut points (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        const rng = createRng(seed);
        const n = 30 + rng.int(60);
        const labels = Int32Array.from({ length: n }, () => rng.int(3));
        const scores = Float64Array.from(labels, (y) => y * 0.6 + rng.normal() * 0.5);
        const fit = fitOrdinalThresholds(scores, labels, { candidates: 15 });
        expect(fit.thresholds[0]! <= fit.thresholds[1]!).toBe(true);
        expect(macroF1(labels, applyOrdinalThresholds(scores, fit.thresholds), 3)).toBeCloseTo(
          fit.macroF1,
          12,
        );
        // Every pair of grid points is searched, so the optimum beats any one of them.
        const sorted = Float64Array.from(scores).sort();
        const a = sorted[Math.floor(n / 3)]!;
        const b = sorted[Math.floor((2 * n) / 3)]!;
        expect(fit.macroF1).toBeGreaterThanOrEqual(
          macroF1(labels, applyOrdinalThresholds(scores, [a, b]), 3) - 1e-12,
        );
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it('rejects bad input', () => {
    expect(() => fitOrdinalThresholds([], [])).toThrow('scores must not be empty');
    expect(() => fitOrdinalThresholds([1, 2], [0])).toThrow(
      'scores and labels must have the same length (got 2 and 1)',
    );
    expect(() => fitOrdinalThresholds([1], [3])).toThrow(
      'labels[0] must be an integer grade in [0, 2]',
    );
    expect(() => fitOrdinalThresholds([Infinity], [0])).toThrow('scores[0] must be finite');
    expect(() => fitOrdinalThresholds([1], [0], { candidates: 1 })).toThrow('options.candidates');
  });
});

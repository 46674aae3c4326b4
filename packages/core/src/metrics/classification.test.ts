import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { accuracy, classificationReport } from './classification';
import { confusionMatrix, gradeErrorDistances } from './confusion-matrix';
import { weightedKappa } from './kappa';
import { overRecall } from './over-recall';

interface ClassificationCase {
  k: number;
  labels: number[];
  predictions: number[];
  confusion: number[][];
  accuracy: number;
  precision: number[];
  recall: number[];
  f1: number[];
  support: number[];
  macro_f1_present: number;
  macro_f1_all: number;
  macro_precision_present: number;
  macro_recall_present: number;
  weighted_f1: number;
  kappa_quadratic: number;
  kappa_linear: number;
  kappa_none: number;
  exact: number;
  adjacent: number;
  far: number;
  mae: number;
  over_recall: number;
  optimistic_share: number;
}

const golden = JSON.parse(
  readFileSync(new URL('../../../../tests/fixtures/golden/metrics.json', import.meta.url), 'utf8'),
) as { classification: ClassificationCase[] };

const TOL = { abs: 1e-12, rel: 1e-12 };

describe('confusionMatrix and classificationReport (golden: tests/scripts/golden_metrics.py)', () => {
  golden.classification.forEach((c, ci) => {
    const cm = confusionMatrix(c.labels, Int32Array.from(c.predictions), c.k);

    it(`case ${ci} (K = ${c.k}): matches sklearn confusion_matrix and precision_recall_fscore_support`, () => {
      // sklearn.metrics.confusion_matrix(y, yhat, labels=range(k))
      expect(cm.rows).toBe(c.k);
      expect(cm.data).toBeDeepCloseTo(c.confusion.flat(), TOL);
      const report = classificationReport(cm);
      // sklearn.metrics.precision_recall_fscore_support(y, yhat, labels=range(k), zero_division=0)
      expect(report.precision).toBeDeepCloseTo(c.precision, TOL);
      expect(report.recall).toBeDeepCloseTo(c.recall, TOL);
      expect(report.f1).toBeDeepCloseTo(c.f1, TOL);
      expect(report.support).toBeDeepCloseTo(c.support, TOL);
      // sklearn.metrics.accuracy_score, f1_score(average='macro' | 'weighted', zero_division=0)
      expect(report.accuracy).toBeCloseTo(c.accuracy, 14);
      expect(accuracy(c.labels, c.predictions)).toBeCloseTo(c.accuracy, 14);
      expect(report.macroF1).toBeCloseTo(c.macro_f1_present, 14);
      expect(report.macroPrecision).toBeCloseTo(c.macro_precision_present, 14);
      expect(report.macroRecall).toBeCloseTo(c.macro_recall_present, 14);
      expect(report.weightedF1).toBeCloseTo(c.weighted_f1, 14);
      // sklearn.metrics.f1_score(y, yhat, labels=range(k), average='macro', zero_division=0)
      expect(classificationReport(cm, { average: 'all' }).macroF1).toBeCloseTo(c.macro_f1_all, 14);
    });

    it(`case ${ci}: flags exactly the 0/0 precisions and recalls`, () => {
      const report = classificationReport(cm);
      const predicted = c.confusion[0]!.map((_, j) =>
        c.confusion.reduce((s, row) => s + row[j]!, 0),
      );
      expect(report.precisionUndefined).toEqual(predicted.map((p) => p === 0));
      expect(report.recallUndefined).toEqual(c.support.map((s) => s === 0));
    });

    it(`case ${ci}: kappa matches sklearn cohen_kappa_score(labels=range(k))`, () => {
      expect(weightedKappa(cm)).toBeCloseTo(c.kappa_quadratic, 13);
      expect(weightedKappa(cm, { weights: 'linear' })).toBeCloseTo(c.kappa_linear, 13);
      expect(weightedKappa(cm, { weights: 'none' })).toBeCloseTo(c.kappa_none, 13);
    });

    it(`case ${ci}: error distances and over-recall match the numpy reference`, () => {
      const d = gradeErrorDistances(cm);
      expect(d).toBeDeepCloseTo(
        { exact: c.exact, adjacent: c.adjacent, far: c.far, meanAbsoluteError: c.mae },
        TOL,
      );
      const o = overRecall(cm);
      expect(o.overRecallRate).toBeCloseTo(c.over_recall, 14);
      expect(o.optimisticErrorShare).toBeCloseTo(c.optimistic_share, 14);
    });
  });

  it('case 1 has an empty grade, so macro-F1 over all grades is lower than over present grades', () => {
    const c = golden.classification[1]!;
    expect(c.support[3]).toBe(0);
    expect(c.macro_f1_all).toBeLessThan(c.macro_f1_present);
  });
});

describe('hand-worked cases', () => {
  it('computes a 3-grade report by hand', () => {
    // y = [0, 0, 1, 2, 2], ŷ = [0, 1, 1, 2, 0]:
    // grade 0: TP 1, FP 1, FN 1 → P = R = F1 = 1/2; grade 1: TP 1, FP 1, FN 0 → P 1/2, R 1, F1 2/3;
    // grade 2: TP 1, FP 0, FN 1 → P 1, R 1/2, F1 2/3. Macro-F1 = (1/2 + 2/3 + 2/3)/3 = 11/18.
    const r = classificationReport(confusionMatrix([0, 0, 1, 2, 2], [0, 1, 1, 2, 0], 3));
    expect(r.f1).toBeDeepCloseTo([0.5, 2 / 3, 2 / 3], TOL);
    expect(r.macroF1).toBeCloseTo(11 / 18, 15);
    // Weighted: (2·1/2 + 1·2/3 + 2·2/3)/5 = 3/5.
    expect(r.weightedF1).toBeCloseTo(0.6, 15);
    expect(r.accuracy).toBeCloseTo(0.6, 15);
  });

  it('reports over-recall and optimistic errors by hand', () => {
    // y = [0, 0, 0, 1, 2], ŷ = [0, 1, 2, 0, 2]: two of three irrelevant items let through;
    // errors: (0→1), (0→2) over, (1→0) under → 2/3 optimistic.
    const o = overRecall(confusionMatrix([0, 0, 0, 1, 2], [0, 1, 2, 0, 2], 3));
    expect(o).toMatchObject({
      irrelevantCount: 3,
      overRecalledCount: 2,
      errorCount: 3,
      optimisticErrorCount: 2,
    });
    expect(o.overRecallRate).toBeCloseTo(2 / 3, 15);
    expect(o.optimisticErrorShare).toBeCloseTo(2 / 3, 15);
  });

  it('flags the 0/0 ratios of over-recall instead of dividing by zero', () => {
    const o = overRecall(confusionMatrix([1, 2], [1, 2], 3));
    expect(o).toMatchObject({
      overRecallRate: 0,
      overRecallUndefined: true,
      optimisticErrorShare: 0,
      optimisticShareUndefined: true,
    });
  });

  it('gives kappa 1 for a single shared grade, where sklearn would return NaN', () => {
    expect(weightedKappa(confusionMatrix([2, 2, 2], [2, 2, 2], 3))).toBe(1);
  });

  it('splits errors into adjacent and far', () => {
    // |ŷ − y| = [0, 1, 2, 1] → exact 1/4, adjacent 1/2, far 1/4, MAE 1.
    const d = gradeErrorDistances(confusionMatrix([0, 1, 2, 2], [0, 2, 0, 1], 3));
    expect(d).toBeDeepCloseTo({ exact: 0.25, adjacent: 0.5, far: 0.25, meanAbsoluteError: 1 }, TOL);
  });
});

describe('properties', () => {
  const gradesArb = (k: number) =>
    fc.array(fc.tuple(fc.integer({ min: 0, max: k - 1 }), fc.integer({ min: 0, max: k - 1 })), {
      minLength: 1,
      maxLength: 60,
    });

  it('kappa of identical labels is 1 (all weightings, K = 3 and 5)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(3, 5),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 50 }),
        (k, y) => {
          const cm = confusionMatrix(y, y, k);
          for (const weights of ['quadratic', 'linear', 'none'] as const)
            expect(weightedKappa(cm, { weights })).toBeCloseTo(1, 12);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it('macro-F1, weighted-F1 and accuracy lie in [0, 1]; the confusion counts sum to n', () => {
    fc.assert(
      fc.property(gradesArb(5), (pairs) => {
        const y = pairs.map((p) => p[0]);
        const yhat = pairs.map((p) => p[1]);
        const cm = confusionMatrix(y, yhat, 5);
        expect(cm.data.reduce((s, v) => s + v, 0)).toBe(y.length);
        const r = classificationReport(cm);
        for (const v of [r.macroF1, r.weightedF1, r.accuracy]) expect(v >= 0 && v <= 1).toBe(true);
        const d = gradeErrorDistances(cm);
        expect(d.exact + d.adjacent + d.far).toBeCloseTo(1, 12);
        expect(d.exact).toBeCloseTo(r.accuracy, 14);
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe('bad input', () => {
  it('rejects lengths that disagree, naming both sizes', () => {
    expect(() => confusionMatrix([0, 1, 2], [0, 1], 3)).toThrow(
      new RangeError('labels and predictions must have the same length (got 3 and 2)'),
    );
    expect(() => accuracy([0, 1], [0])).toThrow(
      /labels and predictions must have the same length \(got 2 and 1\)/,
    );
  });

  it('rejects empty input', () => {
    expect(() => confusionMatrix([], [], 3)).toThrow(RangeError);
    expect(() => accuracy([], [])).toThrow(/labels must not be empty/);
  });

  it('rejects a grade out of range, NaN or a fraction, naming the argument and index', () => {
    expect(() => confusionMatrix([0, 3], [0, 1], 3)).toThrow(
      /labels\[1\] must be an integer grade in \[0, 2\] \(got 3\)/,
    );
    expect(() => confusionMatrix([0, 1], [0, Number.NaN], 3)).toThrow(/predictions\[1\]/);
    expect(() => confusionMatrix([0, 1.5], [0, 1], 3)).toThrow(/labels\[1\]/);
    expect(() => accuracy([0, -1], [0, 1])).toThrow(
      /labels\[1\] must be a non-negative integer grade/,
    );
    expect(() => confusionMatrix([0], [0], 1)).toThrow(/k must be an integer/);
  });

  it('rejects a malformed confusion matrix', () => {
    const bad = { rows: 2, cols: 3, data: new Float64Array(6) };
    expect(() => classificationReport(bad)).toThrow(
      /confusion must be a square K × K matrix with K ≥ 2 \(got 2×3\)/,
    );
    expect(() => weightedKappa({ rows: 2, cols: 2, data: new Float64Array(4) })).toThrow(
      /at least one sample/,
    );
    expect(() => overRecall({ rows: 2, cols: 2, data: Float64Array.from([1, -1, 0, 1]) })).toThrow(
      /confusion.data\[1\]/,
    );
    expect(() =>
      gradeErrorDistances({ rows: 2, cols: 2, data: Float64Array.from([1, Number.NaN, 0, 1]) }),
    ).toThrow(/confusion.data\[1\] must be finite/);
  });
});

import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { predictedGrades } from '../grades/predict';
import { classificationReport } from '../metrics/classification';
import { confusionMatrix } from '../metrics/confusion-matrix';
import { applyGradeOffsets, fitGradeOffsets } from './grade-offsets';

interface GoldenCase {
  step: number;
  range: number;
  probs: number[][];
  labels: number[];
  offsets: number[];
  macroF1: number;
  argmaxMacroF1: number;
  predicted: number[];
}

const golden = JSON.parse(
  readFileSync(new URL('../../../../tests/fixtures/golden/lexical.json', import.meta.url), 'utf8'),
) as { offsets: GoldenCase[] };

const matrixOf = (rows: readonly (readonly number[])[]) => ({
  rows: rows.length,
  cols: rows[0]?.length ?? 0,
  data: Float64Array.from(rows.flat()),
});

const macroF1 = (labels: ArrayLike<number>, predictions: ArrayLike<number>, k: number): number =>
  classificationReport(confusionMatrix(labels, predictions, k)).macroF1;

describe('applyGradeOffsets', () => {
  it('takes the arg-max of log p + b (worked by hand)', () => {
    // log 0.5 = −0.693 against log 0.3 + 0.6 = −0.604: the offset moves the row to grade 1.
    const probs = matrixOf([
      [0.5, 0.3, 0.2],
      [0.1, 0.5, 0.4],
    ]);
    expect(Array.from(applyGradeOffsets(probs, [0, 0.6, 0]))).toEqual([1, 1]);
    // log 0.4 + 0.3 = −0.616 against log 0.5 = −0.693: the second row moves to grade 2.
    expect(Array.from(applyGradeOffsets(probs, [0, 0, 0.3]))).toEqual([0, 2]);
    // Zero offsets are the arg-max; ties go to the lower grade.
    expect(Array.from(applyGradeOffsets(matrixOf([[0.4, 0.4, 0.2]]), [0, 0, 0]))).toEqual([0]);
    // Two probabilities one ulp apart share a log; the larger one still wins at zero offsets.
    const close = [0.9999999999999994, 0.9999999999999997, 0.8140350185359029];
    const sum = close[0]! + close[1]! + close[2]!;
    const closeProbs = matrixOf([close.map((v) => v / sum)]);
    expect(Math.log(closeProbs.data[0]!)).toBe(Math.log(closeProbs.data[1]!));
    expect(Array.from(applyGradeOffsets(closeProbs, [0, 0, 0]))).toEqual([1]);
    // A zero probability is floored, so an offset can still not make it win against a real one.
    expect(Array.from(applyGradeOffsets(matrixOf([[0, 0.5, 0.5]]), [20, 0, 0]))).toEqual([1]);
  });

  it('is the arg-max at zero offsets for any probabilities', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.double({ min: 0.001, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }),
          {
            minLength: 1,
            maxLength: 20,
          },
        ),
        (rows) => {
          const probs = matrixOf(rows.map((r) => r.map((v) => v / (r[0]! + r[1]! + r[2]!))));
          expect(applyGradeOffsets(probs, [0, 0, 0])).toEqual(predictedGrades(probs));
        },
      ),
    );
  });

  it('rejects offsets that do not fit K, and non-finite input', () => {
    const probs = matrixOf([[0.5, 0.3, 0.2]]);
    expect(() => applyGradeOffsets(probs, [0, 1])).toThrow(
      'offsets must hold one value per grade, K = 3 (got 2)',
    );
    expect(() => applyGradeOffsets(probs, [0, Number.NaN, 0])).toThrow('offsets[1] must be finite');
    expect(() => applyGradeOffsets(matrixOf([[Number.NaN, 0.5, 0.5]]), [0, 0, 0])).toThrow(
      'probs[0] must be finite',
    );
  });
});

describe('fitGradeOffsets', () => {
  it('reaches the exhaustive grid optimum of the Python reference', () => {
    // tests/scripts/golden_lexical.py: offset_cases (numpy grid + sklearn.metrics.f1_score(average='macro'))
    for (const c of golden.offsets) {
      const probs = matrixOf(c.probs);
      // The reference's own offsets give its predictions and macro-F1 here too.
      const theirs = applyGradeOffsets(probs, c.offsets);
      expect(Array.from(theirs)).toEqual(c.predicted);
      expect(macroF1(c.labels, theirs, 3)).toBeCloseTo(c.macroF1, 12);
      expect(macroF1(c.labels, predictedGrades(probs), 3)).toBeCloseTo(c.argmaxMacroF1, 12);
      // One exhaustive grid with the reference's step and range finds the same optimum.
      const fit = fitGradeOffsets(probs, c.labels, { range: c.range, steps: [c.step] });
      expect(fit.macroF1).toBeCloseTo(c.macroF1, 12);
      expect(macroF1(c.labels, applyGradeOffsets(probs, fit.offsets), 3)).toBeCloseTo(
        fit.macroF1,
        12,
      );
      // The default coarse-to-fine search does at least as well as the arg-max and reports what it reaches.
      const full = fitGradeOffsets(probs, c.labels);
      expect(full.macroF1).toBeGreaterThan(c.argmaxMacroF1);
      expect(full.offsets[0]).toBe(0);
      expect(macroF1(c.labels, applyGradeOffsets(probs, full.offsets), 3)).toBeCloseTo(
        full.macroF1,
        12,
      );
    }
  });

  it('recovers a minority grade the arg-max never predicts (worked by hand)', () => {
    // Grade-0 pairs have p_0 = 0.4 < p_1 = 0.45: the arg-max calls them 1 and grade 0's F1 is 0. An offset
    // b_0 − b_1 in (log 0.45 − log 0.4, log 0.7 − log 0.2) = (0.118, 1.253) separates all three grades.
    const rows = [
      ...Array.from({ length: 4 }, () => [0.4, 0.45, 0.15]),
      ...Array.from({ length: 4 }, () => [0.2, 0.7, 0.1]),
      ...Array.from({ length: 4 }, () => [0.1, 0.2, 0.7]),
    ];
    const labels = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2];
    const probs = matrixOf(rows);
    expect(macroF1(labels, predictedGrades(probs), 3)).toBeCloseTo((0 + 2 * (4 / 12) + 1) / 3, 12);
    const fit = fitGradeOffsets(probs, labels);
    expect(fit.macroF1).toBe(1);
    expect(Array.from(applyGradeOffsets(probs, fit.offsets))).toEqual(labels);
    // b_0 = 0, so b_1 must lie in (−1.253, −0.118); ties prefer the offsets closest to zero.
    expect(fit.offsets[1]).toBeLessThan(-0.118);
    expect(fit.offsets[1]).toBeGreaterThan(-0.3);
  });

  it('searches coordinate by coordinate for more than three grades', () => {
    const rows: number[][] = [];
    const labels: number[] = [];
    for (let g = 0; g < 4; g++) {
      for (let i = 0; i < 5; i++) {
        // Every row leans to grade 3 a little, so the arg-max predicts 3 too often.
        const p = [0.15, 0.15, 0.15, 0.3];
        p[g] = (p[g] ?? 0) + 0.25;
        const s = p.reduce((a, b) => a + b, 0);
        rows.push(p.map((v) => v / s));
        labels.push(g);
      }
    }
    const probs = matrixOf(rows);
    expect(macroF1(labels, predictedGrades(probs), 4)).toBe(1);
    const fit = fitGradeOffsets(probs, labels);
    expect(fit.macroF1).toBe(1);
    expect(fit.offsets).toHaveLength(4);
    // Already perfect at zero offsets: nothing moves.
    expect(Array.from(fit.offsets)).toEqual([0, 0, 0, 0]);
    const shifted = matrixOf(rows.map((r) => [r[0]!, r[1]!, r[2]! * 0.5, r[3]! + r[2]! * 0.5]));
    const refit = fitGradeOffsets(shifted, labels);
    expect(refit.macroF1).toBe(1);
    expect(refit.offsets[2]).toBeGreaterThan(0);
  });

  it('rejects bad input with the reason', () => {
    const probs = matrixOf([[0.5, 0.3, 0.2]]);
    expect(() => fitGradeOffsets(probs, [0, 1])).toThrow(RangeError);
    expect(() => fitGradeOffsets(probs, [3])).toThrow(RangeError);
    expect(() => fitGradeOffsets({ rows: 0, cols: 3, data: new Float64Array(0) }, [])).toThrow(
      'labels must not be empty',
    );
    expect(() => fitGradeOffsets(probs, [0], { range: 0 })).toThrow(
      'options.range must be a positive finite number (got 0)',
    );
    expect(() => fitGradeOffsets(probs, [0], { steps: [] })).toThrow('options.steps');
    expect(() => fitGradeOffsets(probs, [0], { steps: [5] })).toThrow('options.steps');
  });
});

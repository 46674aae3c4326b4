import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { expectedGrades } from '../grades/predict';
import { createRng } from '../math/prng';
import { classificationReport } from '../metrics/classification';
import { confusionMatrix } from '../metrics/confusion-matrix';
import { decideGrades } from './grade-decision';
import { applyLowestOverride, fitThresholdsWithLowestOverride } from './lowest-override';
import { fitOrdinalThresholds } from './ordinal-thresholds';

const matrix = (rows: number[][]) => ({
  rows: rows.length,
  cols: rows[0]?.length ?? 0,
  data: Float64Array.from(rows.flat()),
});
const macroF1 = (labels: ArrayLike<number>, predictions: ArrayLike<number>): number =>
  classificationReport(confusionMatrix(labels, predictions, 3)).macroF1;

describe('applyLowestOverride', () => {
  // E = Σ c·p_c: (0.45, 0.05, 0.5) → 1.05; (0.3, 0.2, 0.5) → 1.2; (0.1, 0.8, 0.1) → 1.0; (0.6, 0.4, 0) → 0.4.
  const probs = matrix([
    [0.45, 0.05, 0.5],
    [0.3, 0.2, 0.5],
    [0.1, 0.8, 0.1],
    [0.6, 0.4, 0],
  ]);
  const expected = expectedGrades(probs);

  it('decides the lowest grade at P ≥ τ and cuts the expected grade otherwise (worked by hand)', () => {
    // Cut points 1.0 / 1.5 alone: 1.05 → 1, 1.2 → 1, 1.0 → 1 (t ≤ E), 0.4 → 0.
    const cuts = [1, 1.5];
    expect(Array.from(applyLowestOverride(probs, expected, { thresholds: cuts }))).toEqual([
      1, 1, 1, 0,
    ]);
    // τ = 0.45: row 1 (p₀ = 0.45, equal counts) becomes 0; row 2 (0.3) keeps its cut grade.
    const rule = { thresholds: cuts, lowestAt: 0.45 };
    expect(Array.from(applyLowestOverride(probs, expected, rule))).toEqual([0, 1, 1, 0]);
    // decideGrades reads the same field of an ordinal rule.
    const decision = { kind: 'ordinal-thresholds', thresholds: cuts, lowestAt: 0.45 } as const;
    expect(Array.from(decideGrades(probs, decision))).toEqual([0, 1, 1, 0]);
  });

  it('refuses a τ outside (0, 1] and mismatched lengths', () => {
    expect(() =>
      applyLowestOverride(probs, expected, { thresholds: [1, 1.5], lowestAt: 0 }),
    ).toThrow('lowestAt must be a number in (0, 1] (got 0)');
    expect(() => applyLowestOverride(probs, [1], { thresholds: [1, 1.5] })).toThrow(
      'probs rows and expected must have the same length (got 4 and 1)',
    );
    expect(() =>
      decideGrades(probs, { kind: 'ordinal-thresholds', thresholds: [1, 1.5], lowestAt: 1.5 }),
    ).toThrow('decision.lowestAt must be a number in (0, 1] (got 1.5)');
  });
});

interface GoldenCase {
  candidates: number;
  maxOverRecall: number;
  probs: number[][];
  labels: number[];
  thresholds: number[];
  lowestAt: number | null;
  macroF1: number;
}

const golden = JSON.parse(
  readFileSync(
    new URL('../../../../tests/fixtures/golden/lowest-override.json', import.meta.url),
    'utf8',
  ),
) as { cases: GoldenCase[] };

describe('fitThresholdsWithLowestOverride', () => {
  it('matches the exhaustive search of the Python reference', () => {
    // tests/scripts/golden_lowest_override.py (numpy grid + sklearn.metrics.f1_score(average='macro'))
    for (const c of golden.cases) {
      const probs = matrix(c.probs);
      const fit = fitThresholdsWithLowestOverride(
        { probs, expected: expectedGrades(probs) },
        c.labels,
        { candidates: c.candidates, maxOverRecall: c.maxOverRecall },
      );
      expect(fit.lowestAt).toBe(c.lowestAt);
      fit.thresholds.forEach((t, i) => expect(t).toBeCloseTo(c.thresholds[i]!, 12));
      expect(fit.macroF1).toBeCloseTo(c.macroF1, 12);
    }
  });

  it('finds the τ that cut points alone cannot express (worked by hand)', () => {
    // Irrelevant pairs whose mass is split between the outer grades have the expected grade of weak pairs:
    // rows 0–1 (label 0) p = (0.5, 0, 0.5) → E = 1; rows 2–3 (label 1) p = (0.2, 0.6, 0.2) → E = 1;
    // rows 4–5 (label 2) p = (0, 0.1, 0.9) → E = 1.9. One cut can only split at 1 or 1.9: labels 0 and 1 share a
    // score, so cut points alone get at best macro-F1 (2/3 + 0 + 1)/3 ≈ 0.556 (rows 0–3 one grade). Any τ in
    // (0.2, 0.5] sends rows 0–1 to 0 and leaves rows 2–5 perfectly cut: macro-F1 1.
    const probs = matrix([
      [0.5, 0, 0.5],
      [0.5, 0, 0.5],
      [0.2, 0.6, 0.2],
      [0.2, 0.6, 0.2],
      [0, 0.1, 0.9],
      [0, 0.1, 0.9],
    ]);
    const labels = [0, 0, 1, 1, 2, 2];
    const expected = expectedGrades(probs);
    const plain = fitOrdinalThresholds(expected, labels, { candidates: 6 });
    expect(plain.macroF1).toBeCloseTo(5 / 9, 12);
    const fit = fitThresholdsWithLowestOverride({ probs, expected }, labels, {
      candidates: 6,
      lowestAt: [0.3, 0.5, 0.7],
    });
    // Ties go to the highest τ: 0.5 (0.7 leaves rows 0–1 to the cut points).
    expect(fit.lowestAt).toBe(0.5);
    expect(fit.macroF1).toBe(1);
    expect(Array.from(applyLowestOverride(probs, expected, { ...fit, lowestAt: 0.5 }))).toEqual(
      labels,
    );
  });

  it('keeps "no override" when no τ does better (worked by hand)', () => {
    // Separable by the expected grade alone: 0.2 / 1.0 / 1.8, each with p₀ below every τ tried except row 0.
    const probs = matrix([
      [0.8, 0.2, 0],
      [0.1, 0.8, 0.1],
      [0, 0.2, 0.8],
    ]);
    const fit = fitThresholdsWithLowestOverride(
      { probs, expected: expectedGrades(probs) },
      [0, 1, 2],
      {
        candidates: 3,
      },
    );
    expect(fit.lowestAt).toBeNull();
    expect(fit.macroF1).toBe(1);
  });

  it('meets an over-recall cap, counting the overridden pairs (worked by hand)', () => {
    // Label-0 rows: p₀ 0.45 with E = 1.05 (above a cut at 1), and p₀ 0.9 (E 0.1). Under a cap of 0 both must be
    // decided 0: cut points alone would need a first cut above 1.05, costing the weak rows.
    const probs = matrix([
      [0.45, 0.05, 0.5],
      [0.9, 0.1, 0],
      [0.05, 0.9, 0.05],
      [0, 0.1, 0.9],
    ]);
    const labels = [0, 0, 1, 2];
    const expected = expectedGrades(probs);
    const fit = fitThresholdsWithLowestOverride({ probs, expected }, labels, {
      candidates: 4,
      lowestAt: [0.4],
      maxOverRecall: 0,
    });
    expect(fit.lowestAt).toBe(0.4);
    expect(fit.macroF1).toBe(1);
  });

  it('reproduces its macro-F1 and never loses to cut points alone (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        const rng = createRng(seed);
        const n = 30 + rng.int(60);
        const labels = Int32Array.from({ length: n }, () => rng.int(3));
        const rows = Array.from(labels, (y) => {
          const z = [0, 1, 2].map((c) => Math.exp(-((c - y) ** 2) + rng.normal()));
          const s = z[0]! + z[1]! + z[2]!;
          return z.map((v) => v / s);
        });
        const probs = matrix(rows);
        const expected = expectedGrades(probs);
        const fit = fitThresholdsWithLowestOverride({ probs, expected }, labels, {
          candidates: 15,
        });
        const plain = fitOrdinalThresholds(expected, labels, { candidates: 15 });
        expect(fit.macroF1).toBeGreaterThanOrEqual(plain.macroF1 - 1e-12);
        const rule = { thresholds: fit.thresholds, lowestAt: fit.lowestAt ?? undefined };
        expect(macroF1(labels, applyLowestOverride(probs, expected, rule))).toBeCloseTo(
          fit.macroF1,
          12,
        );
      }),
      { seed: 7, numRuns: 60 },
    );
  });

  it('rejects bad input', () => {
    const probs = matrix([[0.5, 0.25, 0.25]]);
    expect(() => fitThresholdsWithLowestOverride({ probs, expected: [0.75] }, [3])).toThrow(
      'labels[0] must be an integer grade in [0, 2]',
    );
    expect(() => fitThresholdsWithLowestOverride({ probs, expected: [0.75, 1] }, [0])).toThrow(
      'expected and labels must have the same length (got 2 and 1)',
    );
    expect(() =>
      fitThresholdsWithLowestOverride({ probs, expected: [0.75] }, [0], { lowestAt: [0.5, -1] }),
    ).toThrow('options.lowestAt[1] must be a number in (0, 1] (got -1)');
  });
});

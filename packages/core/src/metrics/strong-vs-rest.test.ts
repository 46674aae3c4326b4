import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { matrixFromRows } from '../math/matrix';
import { gradeAtLeastAuroc, relevantVsIrrelevantAuroc, strongVsRestAuroc } from './strong-vs-rest';

interface AurocCase {
  k: number;
  probs: number[][];
  labels: number[];
  strong_prob: number;
  strong_expected: number;
  relevant_prob: number;
  relevant_expected: number;
  at_least_2_prob: number;
}

const golden = JSON.parse(
  readFileSync(new URL('../../../../tests/fixtures/golden/metrics.json', import.meta.url), 'utf8'),
) as { auroc: AurocCase[] };

describe('graded AUROCs (golden: tests/scripts/golden_metrics.py)', () => {
  for (const c of golden.auroc) {
    const probs = matrixFromRows(c.probs);
    it(`K = ${c.k}: strong vs rest matches sklearn roc_auc_score(y == K−1, p[:, K−1] | expected grade)`, () => {
      expect(strongVsRestAuroc(probs, c.labels)).toBeCloseTo(c.strong_prob, 14);
      expect(strongVsRestAuroc(probs, c.labels, { score: 'expected-grade' })).toBeCloseTo(
        c.strong_expected,
        14,
      );
    });
    it(`K = ${c.k}: relevant vs irrelevant matches sklearn roc_auc_score(y >= 1, p[:, 1:].sum(1) | expected grade)`, () => {
      expect(relevantVsIrrelevantAuroc(probs, c.labels)).toBeCloseTo(c.relevant_prob, 14);
      expect(relevantVsIrrelevantAuroc(probs, c.labels, { score: 'expected-grade' })).toBeCloseTo(
        c.relevant_expected,
        14,
      );
    });
    it(`K = ${c.k}: y ≥ 2 matches sklearn roc_auc_score(y >= 2, p[:, 2:].sum(1))`, () => {
      expect(gradeAtLeastAuroc(probs, c.labels, { minGrade: 2 })).toBeCloseTo(
        c.at_least_2_prob,
        14,
      );
    });
  }

  it('is 1 for a perfect separation and ½ for a constant score (hand-worked)', () => {
    const probs = matrixFromRows([
      [0.8, 0.1, 0.1],
      [0.1, 0.8, 0.1],
      [0.1, 0.1, 0.8],
    ]);
    expect(strongVsRestAuroc(probs, [0, 1, 2])).toBe(1);
    const flat = matrixFromRows([
      [0.2, 0.3, 0.5],
      [0.2, 0.3, 0.5],
      [0.2, 0.3, 0.5],
    ]);
    expect(relevantVsIrrelevantAuroc(flat, [0, 1, 2])).toBe(0.5);
  });
});

describe('bad input', () => {
  const probs = matrixFromRows([
    [0.5, 0.25, 0.25],
    [0.2, 0.3, 0.5],
  ]);
  it('rejects lengths that disagree, naming both sizes', () => {
    expect(() => strongVsRestAuroc(probs, [0, 1, 2])).toThrow(
      new RangeError('labels and probs rows must have the same length (got 3 and 2)'),
    );
  });
  it('rejects a grade out of range, NaN probabilities and rows that do not sum to 1', () => {
    expect(() => strongVsRestAuroc(probs, [0, 3])).toThrow(
      /labels\[1\] must be an integer grade in \[0, 2\] \(got 3\)/,
    );
    expect(() =>
      strongVsRestAuroc(
        matrixFromRows([
          [Number.NaN, 0.5, 0.5],
          [0.2, 0.3, 0.5],
        ]),
        [0, 2],
      ),
    ).toThrow(/probs.data\[0\] must be finite/);
    expect(() =>
      strongVsRestAuroc(
        matrixFromRows([
          [0.5, 0.5, 0.5],
          [0.2, 0.3, 0.5],
        ]),
        [0, 2],
      ),
    ).toThrow(/probs row 0 must sum to 1/);
    expect(() => gradeAtLeastAuroc(probs, [0, 2], { minGrade: 3 })).toThrow(
      /options.minGrade must be an integer in \[1, 2\]/,
    );
  });
  it('rejects a split with an empty side (AUROC undefined)', () => {
    expect(() => strongVsRestAuroc(probs, [0, 1])).toThrow(RangeError);
  });
  it('rejects an empty matrix', () => {
    expect(() => strongVsRestAuroc({ rows: 0, cols: 3, data: new Float64Array(0) }, [])).toThrow(
      /probs must not be empty/,
    );
  });
});

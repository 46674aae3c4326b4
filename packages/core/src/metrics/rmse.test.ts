import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { matrixFromRows } from '../math/matrix';
import { expectedGradeErrors, gradeRegressionErrors, ratingsToGradeAxis } from './rmse';

interface RegressionCase {
  probs: number[][];
  ratings: number[];
  targets: number[];
  expected: number[];
  rmse: number;
  mae: number;
  bias: number;
}

const golden = JSON.parse(
  readFileSync(new URL('../../../../tests/fixtures/golden/metrics.json', import.meta.url), 'utf8'),
) as { regression: RegressionCase };

describe('gradeRegressionErrors (golden: tests/scripts/golden_metrics.py)', () => {
  const g = golden.regression;

  it('maps 1–5 ratings onto the 3-grade axis like (r − 1)/4·2 (numpy)', () => {
    expect(ratingsToGradeAxis(g.ratings, { min: 1, max: 5 }, 3)).toBeDeepCloseTo(g.targets, {
      abs: 1e-15,
      rel: 0,
    });
  });

  it('matches sqrt(sklearn mean_squared_error), sklearn mean_absolute_error and the numpy bias', () => {
    const r = expectedGradeErrors(matrixFromRows(g.probs), g.targets);
    expect(r).toBeDeepCloseTo(
      { rmse: g.rmse, mae: g.mae, bias: g.bias },
      { abs: 1e-14, rel: 1e-13 },
    );
    expect(gradeRegressionErrors(g.expected, g.targets)).toBeDeepCloseTo(r, {
      abs: 1e-14,
      rel: 1e-13,
    });
  });

  it('works out a small case by hand', () => {
    // errors [1, −1, 2]: RMSE √(6/3) = √2, MAE 4/3, bias 2/3.
    expect(gradeRegressionErrors([1, 0, 2], [0, 1, 0])).toBeDeepCloseTo(
      { rmse: Math.SQRT2, mae: 4 / 3, bias: 2 / 3 },
      { abs: 1e-15, rel: 0 },
    );
  });
});

describe('bad input', () => {
  it('rejects lengths that disagree, NaN and empty input', () => {
    expect(() => gradeRegressionErrors([1, 2], [1])).toThrow(
      new RangeError('predictions and targets must have the same length (got 2 and 1)'),
    );
    expect(() => gradeRegressionErrors([1, Number.NaN], [1, 2])).toThrow(
      /predictions\[1\] must be finite/,
    );
    expect(() => gradeRegressionErrors([], [])).toThrow(/predictions must not be empty/);
    expect(() => expectedGradeErrors(matrixFromRows([[0.5, 0.5]]), [1, 2])).toThrow(
      /probs rows and targets must have the same length \(got 1 and 2\)/,
    );
  });

  it('rejects ratings outside the range and a reversed range', () => {
    expect(() => ratingsToGradeAxis([1, 6], { min: 1, max: 5 }, 3)).toThrow(
      /ratings\[1\] must lie in \[1, 5\] \(got 6\)/,
    );
    expect(() => ratingsToGradeAxis([1], { min: 5, max: 1 }, 3)).toThrow(
      /range.max must exceed range.min/,
    );
  });
});

import { describe, expect, it } from 'vitest';

import { expectedGrades, predictedGrades } from '../grades/predict';
import { ARGMAX_DECISION, assertGradeDecision, decideGrades } from './grade-decision';

// Rows: p = (0.5, 0.3, 0.2) → E = 0.7; (0.1, 0.5, 0.4) → 1.3; (0.2, 0.2, 0.6) → 1.4; (0.34, 0.33, 0.33) → 0.99.
const probs = {
  rows: 4,
  cols: 3,
  data: Float64Array.from([0.5, 0.3, 0.2, 0.1, 0.5, 0.4, 0.2, 0.2, 0.6, 0.34, 0.33, 0.33]),
};

describe('decideGrades', () => {
  it('is the arg-max under the arg-max rule', () => {
    expect(decideGrades(probs, ARGMAX_DECISION)).toEqual(predictedGrades(probs));
    expect(Array.from(decideGrades(probs, ARGMAX_DECISION))).toEqual([0, 1, 2, 0]);
  });

  it('cuts the expected grade under ordinal thresholds (grade = #{t ≤ E})', () => {
    const rule = { kind: 'ordinal-thresholds', thresholds: [0.95, 1.35] } as const;
    expect(Array.from(decideGrades(probs, rule))).toEqual([0, 1, 2, 1]);
    // Given expected grades are used as they are (e.g. the ONNX graph's float32 output).
    const expected = Float64Array.from(expectedGrades(probs), (e, i) => (i === 0 ? 2 : e));
    expect(Array.from(decideGrades(probs, rule, { expected }))).toEqual([2, 1, 2, 1]);
    expect(() => decideGrades(probs, rule, { expected: [1] })).toThrow(
      'options.expected must hold one value per row (got 1 for 4)',
    );
  });

  it('takes the arg-max of log p + b under grade offsets', () => {
    // Row 4: log 0.34 = −1.079 against log 0.33 + 0.1 = −1.009 → grade 1; row 1 stays 0 (−0.693 > −1.104).
    const rule = { kind: 'grade-offsets', offsets: [0, 0.1, 0] } as const;
    expect(Array.from(decideGrades(probs, rule))).toEqual([0, 1, 2, 1]);
  });

  it('refuses a rule that does not fit K grades', () => {
    expect(() => decideGrades(probs, { kind: 'grade-offsets', offsets: [0, 1] })).toThrow(
      'decision.offsets must hold one offset per grade, K = 3 (got 2)',
    );
    expect(() =>
      assertGradeDecision({ kind: 'grade-offsets', offsets: [0, Number.POSITIVE_INFINITY, 0] }, 3),
    ).toThrow('decision.offsets[1] must be finite');
    expect(() => decideGrades(probs, { kind: 'ordinal-thresholds', thresholds: [1] })).toThrow(
      'decision.thresholds must hold K − 1 = 2 cut points (got 1)',
    );
    expect(() =>
      assertGradeDecision({ kind: 'ordinal-thresholds', thresholds: [1.5, 1] }, 3),
    ).toThrow('decision.thresholds must be non-decreasing (thresholds[1] < thresholds[0])');
    expect(() =>
      assertGradeDecision({ kind: 'ordinal-thresholds', thresholds: [0, Number.NaN] }, 3),
    ).toThrow(RangeError);
    expect(() => assertGradeDecision({ kind: 'vote' } as never, 3)).toThrow(
      'unknown decision kind "vote"',
    );
  });
});

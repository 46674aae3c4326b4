import { DEFAULT_GRADE_SCALE } from '@gradeshift/core';
import { describe, expect, it } from 'vitest';

import {
  createGradeMapper,
  parseDecimal,
  ratingToGradeAxis,
  thresholdGrade,
} from './grade-mapping';

describe('thresholds grade mapping', () => {
  // Home Depot README: ≤ 1.75 irrelevant, 2–2.33 weak, ≥ 2.5 strong; every value level of the file, by hand.
  const levels: [number, number][] = [
    [1, 0],
    [1.25, 0],
    [1.33, 0],
    [1.5, 0],
    [1.67, 0],
    [1.75, 0],
    [2, 1],
    [2.25, 1],
    [2.33, 1],
    [2.5, 2],
    [2.67, 2],
    [2.75, 2],
    [3, 2],
  ];

  it('maps every Home Depot rating level to the README grade (rating ≤ edge falls on the lower side)', () => {
    for (const [rating, grade] of levels)
      expect([rating, thresholdGrade(rating, [1.75, 2.33])]).toEqual([rating, grade]);
    const mapper = createGradeMapper({ kind: 'thresholds', edges: [1.75, 2.33], range: [1, 3] });
    expect(mapper.scale).toBe(DEFAULT_GRADE_SCALE);
    expect(mapper.map('2.33')).toEqual({ ok: true, grade: 1, rating: 2.33 });
    expect(mapper.map('1.75')).toEqual({ ok: true, grade: 0, rating: 1.75 });
  });

  it('maps ratings linearly onto the grade axis (Home Depot 1..3 → 0..2)', () => {
    expect(ratingToGradeAxis(1, [1, 3], 3)).toBe(0);
    expect(ratingToGradeAxis(2.5, [1, 3], 3)).toBe(1.5);
    expect(ratingToGradeAxis(3, [1, 3], 3)).toBe(2);
    expect(() => ratingToGradeAxis(2, [3, 1], 3)).toThrow(RangeError);
  });

  it('reports non-numbers, non-finite numbers and out-of-range ratings as issues', () => {
    const mapper = createGradeMapper({ kind: 'thresholds', edges: [1.75, 2.33], range: [1, 3] });
    for (const bad of ['', 'abc', 'NaN', 'Infinity', '0x10', '1e999', '2,5']) {
      expect(mapper.map(bad)).toMatchObject({ ok: false, code: 'BAD_RATING' });
    }
    expect(mapper.map('3.5')).toEqual({
      ok: false,
      code: 'RATING_OUT_OF_RANGE',
      reason: 'rating 3.5 is outside the declared range [1, 3]',
    });
    expect(parseDecimal(' -1.5e2 ')).toBe(-150);
  });

  it('rejects edges that are not strictly increasing, and names of the wrong count', () => {
    expect(() => createGradeMapper({ kind: 'thresholds', edges: [2, 2] })).toThrow(
      /strictly increasing/,
    );
    expect(() => createGradeMapper({ kind: 'thresholds', edges: [] })).toThrow(RangeError);
    expect(() =>
      createGradeMapper({ kind: 'thresholds', edges: [1], names: ['a', 'b', 'c'] }),
    ).toThrow(/one name per grade/);
    expect(() =>
      createGradeMapper({ kind: 'thresholds', edges: [1.75, 4], range: [1, 3] }),
    ).toThrow(/range/);
    expect(
      createGradeMapper({ kind: 'thresholds', edges: [0.5] }).scale.grades.map((g) => g.name),
    ).toEqual(['grade-0', 'grade-1']);
  });
});

describe('values grade mapping', () => {
  const mapper = createGradeMapper({
    kind: 'values',
    grades: [
      ['0', 'irrelevant'],
      ['1', 'partial'],
      ['2', 'Exact'],
    ],
  });

  it('matches values case-insensitively and without a rating', () => {
    expect(mapper.map('EXACT')).toEqual({ ok: true, grade: 2 });
    expect(mapper.map('Partial')).toEqual({ ok: true, grade: 1 });
    expect(mapper.map('0')).toEqual({ ok: true, grade: 0 });
  });

  it('reports an unknown value listing the accepted ones', () => {
    const r = mapper.map('maybe');
    expect(r).toMatchObject({ ok: false, code: 'UNKNOWN_LABEL' });
    expect(!r.ok && r.reason).toBe(
      'label "maybe" is in no grade\'s value list (accepted: "0", "irrelevant", "1", "partial", "2", "exact")',
    );
  });

  it('rejects a value listed for two grades', () => {
    expect(() => createGradeMapper({ kind: 'values', grades: [['a'], ['A']] })).toThrow(
      /listed for grades 0 and 1/,
    );
  });
});

import { describe, expect, it } from 'vitest';

import { describeDecision } from './describe-decision';

const GRADES = ['irrelevant', 'weak', 'strong'];

describe('describeDecision', () => {
  it('names arg-max (and a missing rule) as the most probable grade', () => {
    expect(describeDecision(undefined, GRADES)).toEqual(
      describeDecision({ kind: 'argmax' }, GRADES),
    );
    expect(describeDecision({ kind: 'argmax' }, GRADES).name).toBe('most probable grade');
  });

  it('explains grade offsets with the grade names and signed offsets', () => {
    const d = describeDecision({ kind: 'grade-offsets', offsets: [0, -0.22, 0.3] }, GRADES);
    expect(d.name).toBe('grade offsets');
    expect(d.explanation).toContain('irrelevant +0.00, weak −0.22, strong +0.30');
    expect(d.explanation).toContain('can differ from the most probable');
  });

  it('explains cut points on the expected grade with the grade scale', () => {
    const d = describeDecision({ kind: 'ordinal-thresholds', thresholds: [0.912, 1.5] }, GRADES);
    expect(d.name).toBe('ordinal cut points');
    expect(d.explanation).toContain('0 = irrelevant, 1 = weak, 2 = strong');
    expect(d.explanation).toContain('cut at 0.91 and 1.50');
  });

  it('names the lowest-grade override with its τ before the cut points', () => {
    const rule = { kind: 'ordinal-thresholds', thresholds: [0.98, 1.39], lowestAt: 0.425 } as const;
    const d = describeDecision(rule, GRADES);
    expect(d.name).toBe('ordinal cut points with irrelevant override');
    expect(d.explanation).toContain(
      'is irrelevant when the probability of irrelevant is at least 0.425',
    );
    expect(d.explanation).toContain('cut at 0.98 and 1.39');
  });
});

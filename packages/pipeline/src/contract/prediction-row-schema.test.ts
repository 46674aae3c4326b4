import { describe, expect, it } from 'vitest';

import { predictionRowSchema } from './prediction-row-schema';
import { describeZodError } from './zod-issue';

const row = {
  id: 7,
  split: 'pool',
  query: 'angle bracket',
  item: 'Acme Steel Angle',
  grade: null,
  probs: [0.2, 0.3, 0.5],
  expected: 1.3,
  predicted: 2,
  ood: { energy: -3.5 },
  selected: true,
  selection: { rank: 1, reason: { passed: 'knn' } },
};

describe('predictions row contract', () => {
  it('reads a row, ids as strings', () => {
    expect(predictionRowSchema.parse(row)).toEqual({ ...row, id: '7' });
  });

  it('names the field of a malformed row', () => {
    const bad = predictionRowSchema.safeParse({ ...row, probs: [0.2, 'x'] });
    expect(bad.success).toBe(false);
    if (!bad.success) expect(describeZodError(bad.error)).toMatch(/^probs\.1: /);
    const noOod = predictionRowSchema.safeParse({ ...row, ood: undefined });
    if (!noOod.success) expect(describeZodError(noOod.error)).toMatch(/^ood: /);
    expect(noOod.success).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';

import { softmax } from './softmax';

describe('softmax', () => {
  it('sums to one and survives huge logits', () => {
    const p = softmax({ rows: 1, cols: 3, data: Float64Array.from([1000, 1001, 1002]) });
    // scipy.special.softmax([1000, 1001, 1002])
    expect(p.data).toBeDeepCloseTo([0.09003057317038046, 0.24472847105479767, 0.6652409557748219], { abs: 1e-15 });
  });
});

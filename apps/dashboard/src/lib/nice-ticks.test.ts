import { describe, expect, it } from 'vitest';

import { niceTicks } from './nice-ticks';

describe('niceTicks', () => {
  it('covers the range with round, even steps', () => {
    expect(niceTicks(-0.013, 0.052)).toEqual([-0.02, 0, 0.02, 0.04, 0.06]);
    expect(niceTicks(0, 1)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(niceTicks(0.01, 0.2)).toEqual([0, 0.05, 0.1, 0.15, 0.2]);
    const t = niceTicks(-3.3, 7.1, 6);
    expect(t[0]).toBeLessThanOrEqual(-3.3);
    expect(t.at(-1)).toBeGreaterThanOrEqual(7.1);
    const steps = t.slice(1).map((v, i) => Number((v - t[i]!).toPrecision(6)));
    expect(new Set(steps).size).toBe(1);
  });

  it('widens an empty range and survives non-finite bounds', () => {
    expect(niceTicks(0.5, 0.5).length).toBeGreaterThan(1);
    expect(niceTicks(Number.NaN, 1)).toEqual([0]);
  });
});

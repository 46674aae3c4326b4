import { describe, expect, it } from 'vitest';

import { fuseScores } from './fuse-scores';

describe('fuseScores', () => {
  it('averages by default and takes the max on request', () => {
    expect(
      fuseScores([
        [0.9, 0.2],
        [1, 0.4],
      ]),
    ).toBeDeepCloseTo([0.95, 0.3], { abs: 1e-15 });
    expect(
      fuseScores(
        [
          [0.9, 0.2],
          [1, 0.4],
          [0.1, 0.5],
        ],
        { method: 'max' },
      ),
    ).toEqual(Float64Array.from([1, 0.5]));
    expect(fuseScores([Float64Array.from([0.25])])).toEqual(Float64Array.from([0.25]));
  });

  it('rejects bad input naming the arrays and sizes', () => {
    expect(() => fuseScores([])).toThrow('percentiles must hold at least one detector (got 0)');
    expect(() => fuseScores([[0.1, 0.2], [0.3]])).toThrow(
      'percentiles[0] and percentiles[1] must have the same length (got 2 and 1)',
    );
    expect(() => fuseScores([[0.1, 1.2]])).toThrow('percentiles[0][1] must be in [0, 1] (got 1.2)');
    expect(() => fuseScores([[Number.NaN]])).toThrow('percentiles[0][0] must be finite');
  });
});

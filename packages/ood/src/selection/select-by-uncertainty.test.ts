import { matrixFromRows } from '@gradeshift/core/math';
import { describe, expect, it } from 'vitest';

import { predictiveEntropy } from './predictive-entropy';
import { selectByUncertainty } from './select-by-uncertainty';

describe('selectByUncertainty', () => {
  it('picks the highest-entropy rows, ties by index', () => {
    const probs = matrixFromRows([
      [1, 0, 0], // 0 nats
      [1 / 3, 1 / 3, 1 / 3], // ln 3
      [0.5, 0.5, 0], // ln 2
      [1 / 3, 1 / 3, 1 / 3], // ln 3, tie with row 1
      [0.8, 0.1, 0.1],
    ]);
    const r = selectByUncertainty({ probs, budget: 3 });
    expect(r.picked.map((p) => p.index)).toEqual([1, 3, 2]);
    expect(r.picked.map((p) => p.rank)).toEqual([1, 2, 3]);
    expect(r.picked[0]!.reason.entropy).toBeCloseTo(Math.log(3), 14);
    expect(r.picked[2]!.reason.summary).toBe('entropy 0.693 nats');
    expect(r.stats.minPickedEntropy).toBeCloseTo(Math.log(2), 14);
  });

  it('computes entropy with 0·ln 0 = 0 (scipy.stats.entropy([0.8, 0.1, 0.1]) = 0.639031859650177)', () => {
    const h = predictiveEntropy(
      matrixFromRows([
        [0.8, 0.1, 0.1],
        [0, 1, 0],
      ]),
    );
    expect(h).toBeDeepCloseTo([0.639031859650177, 0], { abs: 1e-14 });
  });

  it('rejects bad input', () => {
    const probs = matrixFromRows([[0.5, 0.5]]);
    expect(() => selectByUncertainty({ probs, budget: 2 })).toThrow(
      '(got budget 2 and pool size 1)',
    );
    expect(() => selectByUncertainty({ probs: matrixFromRows([[0.5, 0.6]]), budget: 1 })).toThrow(
      'probs row 0 must sum to 1',
    );
    expect(() => selectByUncertainty({ probs: matrixFromRows([[1.5, -0.5]]), budget: 1 })).toThrow(
      'probs[0][1] must be ≥ 0',
    );
    expect(() =>
      selectByUncertainty({ probs: matrixFromRows([[Number.NaN, 1]]), budget: 1 }),
    ).toThrow('probs.data[0] must be finite');
  });
});

import { describe, expect, it } from 'vitest';

import { precomputedDetector } from './precomputed-detector';

describe('precomputedDetector', () => {
  it('returns the scores registered for an input and refuses any other', async () => {
    const pool = { rows: 2, cols: 1, data: Float64Array.from([0, 0]) };
    const heldOut = { rows: 1, cols: 1, data: Float64Array.from([0]) };
    const d = precomputedDetector(
      'surprisal',
      new Map([
        [pool, [3, 4]],
        [heldOut, [1]],
      ]),
    );
    expect(Array.from(await d.score({ features: pool }))).toEqual([3, 4]);
    expect(Array.from(await d.score({ features: heldOut }))).toEqual([1]);
    await expect(d.score({ features: { ...pool } })).rejects.toThrow(/no scores for this input/);
    expect(d.toJSON()).toEqual({ kind: 'surprisal', version: 1 });
  });
});

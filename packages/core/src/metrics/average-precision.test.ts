import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { averagePrecision } from './average-precision';

interface RankingCase {
  name: string;
  scores: number[];
  labels: number[];
  ap: number;
}
const GOLDEN = JSON.parse(
  readFileSync(
    new URL('../../../../tests/fixtures/golden/ood-metrics.json', import.meta.url),
    'utf8',
  ),
) as { ranking: RankingCase[] };

describe('averagePrecision', () => {
  it('matches sklearn, tied scores grouped', () => {
    for (const c of GOLDEN.ranking) {
      // sklearn.metrics.average_precision_score(labels, scores)
      expect(averagePrecision(c.scores, c.labels), c.name).toBeCloseTo(c.ap, 14);
    }
  });

  it('handles hand-worked cases', () => {
    // descending: 0.8 (pos) P=1, 0.4 (neg), 0.35 (pos) P=2/3 → (1 + 2/3) / 2
    expect(averagePrecision([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(5 / 6, 15);
    // one tie group of {pos, neg} at the top: P = 1/2 at recall 1
    expect(averagePrecision([1, 1], [1, 0])).toBe(0.5);
    // no negatives: every precision is 1
    expect(averagePrecision([3, 1, 2], [1, 1, 1])).toBe(1);
  });

  it('does not depend on the input order of tied samples', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.boolean()), {
          minLength: 1,
          maxLength: 30,
        }),
        fc.integer(),
        (xs, salt) => {
          if (!xs.some(([, y]) => y)) return;
          const shuffled = xs
            .map((x, i) => ({ x, k: Math.imul(i + 1, salt | 1) >>> 0 }))
            .sort((a, b) => a.k - b.k)
            .map(({ x }) => x);
          const a = averagePrecision(
            xs.map(([s]) => s),
            xs.map(([, y]) => y),
          );
          const b = averagePrecision(
            shuffled.map(([s]) => s),
            shuffled.map(([, y]) => y),
          );
          expect(a).toBeCloseTo(b, 12);
          expect(a).toBeGreaterThan(0);
          expect(a).toBeLessThanOrEqual(1);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it('rejects bad input', () => {
    expect(() => averagePrecision([1, 2], [0, 0])).toThrow(
      'needs at least one positive sample (got 0 positive and 2 negative)',
    );
    expect(() => averagePrecision([1, 2], [1])).toThrow(
      'scores and positives must have the same length (got 2 and 1)',
    );
    expect(() => averagePrecision([Number.NaN, 2], [1, 0])).toThrow('scores[0] must be finite');
  });
});

import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { auroc } from './auroc';

interface RankingCase {
  name: string;
  scores: number[];
  labels: number[];
  roc_auc: number;
}
const GOLDEN = JSON.parse(
  readFileSync(
    new URL('../../../../tests/fixtures/golden/ood-metrics.json', import.meta.url),
    'utf8',
  ),
) as { ranking: RankingCase[] };

/** O(n²) definition: P(pos > neg) + ½ P(tie). */
function pairwiseAuroc(scores: number[], labels: boolean[]): number {
  let num = 0;
  let pairs = 0;
  scores.forEach((s, i) => {
    if (!labels[i]) return;
    scores.forEach((t, j) => {
      if (labels[j]) return;
      pairs++;
      num += s > t ? 1 : s === t ? 0.5 : 0;
    });
  });
  return num / pairs;
}

const labelledScores = fc
  .array(fc.tuple(fc.integer({ min: -5, max: 5 }), fc.boolean()), { minLength: 2, maxLength: 40 })
  .filter((xs) => xs.some(([, y]) => y) && xs.some(([, y]) => !y));

describe('auroc', () => {
  it('matches sklearn on tied and untied cases', () => {
    for (const c of GOLDEN.ranking) {
      // sklearn.metrics.roc_auc_score(labels, scores)
      expect(auroc(c.scores, c.labels), c.name).toBeCloseTo(c.roc_auc, 14);
    }
  });

  it('handles a hand-worked tie', () => {
    // pos {0.35, 0.8}, neg {0.1, 0.35}: pairs 0.35>0.1 (1), 0.35=0.35 (½), 0.8>both (2) → 3.5 / 4
    expect(auroc([0.1, 0.35, 0.35, 0.8], [false, false, true, true])).toBe(0.875);
  });

  it('equals the pairwise definition and satisfies AUROC(s) = 1 − AUROC(−s)', () => {
    fc.assert(
      fc.property(labelledScores, (xs) => {
        const s = xs.map(([v]) => v / 2);
        const y = xs.map(([, b]) => b);
        const a = auroc(s, y);
        expect(a).toBeCloseTo(pairwiseAuroc(s, y), 12);
        expect(
          auroc(
            s.map((v) => -v),
            y,
          ),
        ).toBeCloseTo(1 - a, 12);
        // swapping the classes is the same as negating the scores
        expect(
          auroc(
            s,
            y.map((b) => !b),
          ),
        ).toBeCloseTo(1 - a, 12);
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('accepts typed arrays and 0/1 labels', () => {
    expect(auroc(Float32Array.from([1, 2, 3]), Uint8Array.from([0, 1, 1]))).toBe(1);
  });

  it('rejects bad input with RangeErrors naming the argument and sizes', () => {
    expect(() => auroc([1, 2, 3], [1, 0])).toThrow(
      'scores and positives must have the same length (got 3 and 2)',
    );
    expect(() => auroc([1, Number.NaN], [1, 0])).toThrow('scores[1] must be finite');
    expect(() => auroc([1, Infinity], [1, 0])).toThrow(RangeError);
    expect(() => auroc([1, 2], [1, 2])).toThrow('positives[1] must be a boolean or 0/1');
    expect(() => auroc([1, 2], [1, 1])).toThrow('(got 2 positive and 0 negative)');
    expect(() => auroc([], [])).toThrow(RangeError);
  });
});

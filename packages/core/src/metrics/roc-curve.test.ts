import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { auroc } from './auroc';
import { rocCurve, type RocCurve } from './roc-curve';

interface Curve {
  fpr: number[];
  tpr: number[];
  thresholds: number[];
}
interface RankingCase {
  name: string;
  scores: number[];
  labels: number[];
  roc: Curve;
  roc_drop: Curve;
}
const GOLDEN = JSON.parse(
  readFileSync(
    new URL('../../../../tests/fixtures/golden/ood-metrics.json', import.meta.url),
    'utf8',
  ),
) as { ranking: RankingCase[] };

function trapezoid(c: RocCurve): number {
  let area = 0;
  for (let i = 1; i < c.fpr.length; i++) {
    area += ((c.fpr[i]! - c.fpr[i - 1]!) * (c.tpr[i]! + c.tpr[i - 1]!)) / 2;
  }
  return area;
}

describe('rocCurve', () => {
  it('matches sklearn roc_curve(drop_intermediate=False) and (=True)', () => {
    for (const c of GOLDEN.ranking) {
      // sklearn.metrics.roc_curve(labels, scores, drop_intermediate=False)
      expect(rocCurve(c.scores, c.labels), c.name).toBeDeepCloseTo(c.roc, { abs: 1e-14, rel: 0 });
      // sklearn.metrics.roc_curve(labels, scores, drop_intermediate=True)
      expect(rocCurve(c.scores, c.labels, { dropIntermediate: true }), c.name).toBeDeepCloseTo(
        c.roc_drop,
        {
          abs: 1e-14,
          rel: 0,
        },
      );
    }
  });

  it('has a trapezoid area equal to the AUROC', () => {
    for (const c of GOLDEN.ranking) {
      expect(trapezoid(rocCurve(c.scores, c.labels)), c.name).toBeCloseTo(
        auroc(c.scores, c.labels),
        12,
      );
    }
  });

  it('downsamples to at most maxPoints, keeping both ends and monotonicity', () => {
    const n = 2000;
    const scores = Array.from({ length: n }, (_, i) => (Math.sin(i * 12.9898) * 43758.5453) % 1);
    const labels = scores.map((s, i) => (s + ((i * 7) % 5) / 10 > 0.2 ? 1 : 0));
    const full = rocCurve(scores, labels);
    expect(full.fpr.length).toBeGreaterThan(100);
    for (const maxPoints of [2, 3, 50, 100]) {
      const small = rocCurve(scores, labels, { maxPoints });
      expect(small.fpr.length).toBeLessThanOrEqual(maxPoints);
      expect(small.fpr.length).toBeGreaterThanOrEqual(Math.min(maxPoints, 2));
      expect([small.fpr[0], small.tpr[0], small.thresholds[0]]).toEqual([0, 0, full.thresholds[0]]);
      expect([small.fpr.at(-1), small.tpr.at(-1)]).toEqual([1, 1]);
      for (let i = 1; i < small.fpr.length; i++) {
        expect(small.thresholds[i]!).toBeLessThan(small.thresholds[i - 1]!);
        expect(small.fpr[i]!).toBeGreaterThanOrEqual(small.fpr[i - 1]!);
        expect(small.tpr[i]!).toBeGreaterThanOrEqual(small.tpr[i - 1]!);
      }
    }
    // 100 points evenly along fpr + tpr approximate the area closely
    expect(trapezoid(rocCurve(scores, labels, { maxPoints: 100 }))).toBeCloseTo(
      auroc(scores, labels),
      2,
    );
  });

  it('rejects bad input', () => {
    expect(() => rocCurve([1, 2], [1, 0], { maxPoints: 1 })).toThrow(
      'maxPoints must be an integer ≥ 2',
    );
    expect(() => rocCurve([1, 2], [0, 0])).toThrow(
      'rocCurve needs at least one positive and one negative sample',
    );
    expect(() => rocCurve([1, 2, 3], [0, 1])).toThrow('(got 3 and 2)');
  });
});

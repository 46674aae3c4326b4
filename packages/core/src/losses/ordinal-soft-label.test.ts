import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { matrixFromRows } from '../math/matrix';
import { ordinalSoftLabelLoss, sordTargets, type OrdinalDistance } from './ordinal-soft-label';
import { softmaxCrossEntropy } from './softmax-cross-entropy';

interface TargetCase {
  labels: number[];
  k: number;
  alpha: number;
  distance: OrdinalDistance;
  targets: number[][];
}
interface LossCase {
  logits: number[][];
  labels: number[];
  alpha: number;
  distance: OrdinalDistance;
  sampleWeights: number[];
  value: number;
  weightedValue: number;
}
const golden = JSON.parse(
  readFileSync(new URL('../../../../tests/fixtures/golden/losses.json', import.meta.url), 'utf8'),
) as { sord_targets: TargetCase[]; sord_loss: LossCase[] };

describe('sordTargets', () => {
  it.each(golden.sord_targets)(
    'matches scipy.special.softmax(-alpha * phi(arange(K) - y), axis=1) for K = $k, $distance',
    (c) => {
      const q = sordTargets(c.labels, c.k, { alpha: c.alpha, distance: c.distance });
      expect(q.rows).toBe(c.labels.length);
      expect(q.data).toBeDeepCloseTo(c.targets.flat(), { abs: 1e-16, rel: 1e-13 });
    },
  );

  it('hand-worked: y = 0, K = 3, α = 2 squared gives (1, e⁻², e⁻⁸) / Z ≈ (0.8805, 0.1192, 0.0003)', () => {
    const z = 1 + Math.exp(-2) + Math.exp(-8);
    expect(sordTargets([0], 3).data).toBeDeepCloseTo([1 / z, Math.exp(-2) / z, Math.exp(-8) / z], {
      abs: 1e-16,
      rel: 1e-14,
    });
  });

  it('a continuous label halfway between grades splits the mass evenly', () => {
    const q = sordTargets([0.5], 2, { distance: 'absolute' });
    expect(q.data).toBeDeepCloseTo([0.5, 0.5], { abs: 1e-16 });
  });

  it('a large α approaches one-hot', () => {
    expect(sordTargets([2], 3, { alpha: 50 }).data).toBeDeepCloseTo([0, 0, 1], { abs: 1e-20 });
  });

  it('rejects bad input', () => {
    expect(() => sordTargets([3], 3)).toThrow(/labels\[0\] must be a grade in \[0, 2\] \(got 3\)/);
    expect(() => sordTargets([-0.1], 3)).toThrow(RangeError);
    expect(() => sordTargets([], 3)).toThrow(/labels must not be empty/);
    expect(() => sordTargets([0], 1)).toThrow(/k must be an integer ≥ 2 \(got 1\)/);
    expect(() => sordTargets([0], 3, { alpha: 0 })).toThrow(/options.alpha must be > 0 \(got 0\)/);
    expect(() => sordTargets([0], 3, { distance: 'cubic' as OrdinalDistance })).toThrow(
      /options.distance/,
    );
  });
});

describe('ordinalSoftLabelLoss', () => {
  it.each(golden.sord_loss)(
    'matches -(q * scipy.special.log_softmax(z)).sum(1) mean and numpy.average(weights=s) ($distance)',
    (c) => {
      const z = matrixFromRows(c.logits);
      const opts = { alpha: c.alpha, distance: c.distance };
      expect(ordinalSoftLabelLoss(z, c.labels, opts).value).toBeDeepCloseTo(c.value, {
        abs: 1e-13,
        rel: 1e-12,
      });
      expect(
        ordinalSoftLabelLoss(z, c.labels, { ...opts, sampleWeights: c.sampleWeights }).value,
      ).toBeDeepCloseTo(c.weightedValue, {
        abs: 1e-13,
        rel: 1e-12,
      });
    },
  );

  it('hand-worked: uniform logits cost log K whatever the targets, gradient p − q', () => {
    const { value, grad } = ordinalSoftLabelLoss(matrixFromRows([[0, 0, 0]]), [0]);
    const q = sordTargets([0], 3).data;
    expect(value).toBeCloseTo(Math.log(3), 14);
    expect(grad.data).toBeDeepCloseTo([1 / 3 - q[0]!, 1 / 3 - q[1]!, 1 / 3 - q[2]!], {
      abs: 1e-15,
    });
  });

  it('approaches plain cross-entropy as α grows', () => {
    const z = matrixFromRows([
      [1, 2, -1],
      [0.3, -0.2, 0.9],
    ]);
    expect(ordinalSoftLabelLoss(z, [1, 2], { alpha: 60 }).value).toBeCloseTo(
      softmaxCrossEntropy(z, [1, 2]).value,
      12,
    );
  });

  it('penalises a far-grade mistake more than a near-grade one', () => {
    const far = ordinalSoftLabelLoss(matrixFromRows([[0, 0, 8]]), [0]).value;
    const near = ordinalSoftLabelLoss(matrixFromRows([[0, 8, 0]]), [0]).value;
    expect(far).toBeGreaterThan(near);
  });

  it('rejects bad input', () => {
    const z = matrixFromRows([[0, 1, 2]]);
    expect(() => ordinalSoftLabelLoss(z, [2.5])).toThrow(
      /labels\[0\] must be a grade in \[0, 2\] \(got 2.5\)/,
    );
    expect(() => ordinalSoftLabelLoss(z, [0, 1])).toThrow(/got 2 and 1/);
    expect(() =>
      ordinalSoftLabelLoss(matrixFromRows([[Number.POSITIVE_INFINITY, 0]]), [0]),
    ).toThrow(/logits\[0\]\[0\] must be finite/);
    expect(() => ordinalSoftLabelLoss(z, [Number.NaN])).toThrow(RangeError);
    expect(() => ordinalSoftLabelLoss(z, [1], { sampleWeights: [-2] })).toThrow(
      /sampleWeights\[0\]/,
    );
  });
});

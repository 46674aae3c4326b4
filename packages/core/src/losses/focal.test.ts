import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { matrixFromRows } from '../math/matrix';
import { focalLoss } from './focal';
import { softmaxCrossEntropy } from './softmax-cross-entropy';

interface FocalCase {
  logits: number[][];
  labels: number[];
  gamma: number;
  alpha?: number[];
  value: number;
}
const golden = JSON.parse(
  readFileSync(new URL('../../../../tests/fixtures/golden/losses.json', import.meta.url), 'utf8'),
) as { focal: FocalCase[] };

describe('focalLoss', () => {
  it.each(golden.focal)(
    'matches numpy.mean(-alpha[y] * (1 - p_y)**gamma * log p_y) (γ = $gamma)',
    (c) => {
      const options =
        c.alpha === undefined ? { gamma: c.gamma } : { gamma: c.gamma, alpha: c.alpha };
      expect(focalLoss(matrixFromRows(c.logits), c.labels, options).value).toBeDeepCloseTo(
        c.value,
        { abs: 1e-14, rel: 1e-12 },
      );
    },
  );

  it('hand-worked: p_y = 0.25, γ = 2 → (0.75)² · log 4', () => {
    expect(focalLoss(matrixFromRows([[Math.log(3), 0]]), [1]).value).toBeCloseTo(
      0.5625 * Math.log(4),
      14,
    );
  });

  it('γ = 0 without α is cross-entropy (value and gradient)', () => {
    const z = matrixFromRows([
      [1, -2, 0.5],
      [0, 3, -1],
    ]);
    const a = focalLoss(z, [2, 0], { gamma: 0 });
    const b = softmaxCrossEntropy(z, [2, 0]);
    expect(a.value).toBeCloseTo(b.value, 14);
    expect(a.grad.data).toBeDeepCloseTo(b.grad.data, { abs: 1e-15 });
  });

  it('α is a factor inside the mean, not normalised by Σ α_y', () => {
    const z = matrixFromRows([
      [0, 0],
      [0, 0],
    ]);
    // each row: (0.5)² log 2; α = (0.25, 1) → mean of 0.25·ℓ and 1·ℓ
    const l = 0.25 * Math.log(2);
    expect(focalLoss(z, [0, 1], { alpha: [0.25, 1] }).value).toBeCloseTo((0.25 * l + l) / 2, 15);
  });

  it('down-weights easy rows and stays finite at p_y → 1, even for γ < 1', () => {
    const z = matrixFromRows([[50, -50, -50]]);
    for (const gamma of [0.3, 2]) {
      const { value, grad } = focalLoss(z, [0], { gamma });
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1e-40);
      expect(grad.data.every(Number.isFinite)).toBe(true);
    }
    expect(focalLoss(matrixFromRows([[2, 0]]), [0]).value).toBeLessThan(
      softmaxCrossEntropy(matrixFromRows([[2, 0]]), [0]).value,
    );
  });

  it('rejects bad input', () => {
    const z = matrixFromRows([[0, 1, 2]]);
    expect(() => focalLoss(z, [5])).toThrow(
      /labels\[0\] must be an integer grade in \[0, 2\] \(got 5\)/,
    );
    expect(() => focalLoss(z, [0], { gamma: -1 })).toThrow(/options.gamma must be ≥ 0 \(got -1\)/);
    expect(() => focalLoss(z, [0], { alpha: [1, -1, 1] })).toThrow(
      /options.alpha\[1\] must be a finite number ≥ 0/,
    );
    expect(() => focalLoss(z, [0], { alpha: [1, 1] })).toThrow(
      /options.alpha must have 3 entries \(got 2\)/,
    );
    expect(() => focalLoss(z, [0, 1])).toThrow(/got 2 and 1/);
  });
});

import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { matrixFromRows } from '../math/matrix';
import { confidencePenalty } from './confidence-penalty';

interface ConfidenceCase {
  logits: number[][];
  value: number;
}
const golden = JSON.parse(
  readFileSync(new URL('../../../../tests/fixtures/golden/losses.json', import.meta.url), 'utf8'),
) as { confidence: ConfidenceCase[] };

describe('confidencePenalty', () => {
  it.each(golden.confidence)(
    'matches numpy.mean(-scipy.stats.entropy(scipy.special.softmax(z, axis=1), axis=1)) (case %#)',
    (c) => {
      expect(confidencePenalty(matrixFromRows(c.logits)).value).toBeDeepCloseTo(c.value, {
        abs: 1e-14,
        rel: 1e-12,
      });
    },
  );

  it('hand-worked: uniform logits give −log K and a zero gradient (maximum entropy)', () => {
    const { value, grad } = confidencePenalty(matrixFromRows([[0, 0, 0, 0, 0]]));
    expect(value).toBeCloseTo(-Math.log(5), 15);
    expect(grad.data).toBeDeepCloseTo(new Float64Array(5), { abs: 1e-16 });
  });

  it('hand-worked: p = (0.75, 0.25)', () => {
    // −H = 0.75 ln 0.75 + 0.25 ln 0.25; ∂/∂z_k = p_k (ln p_k + H)
    const negH = 0.75 * Math.log(0.75) + 0.25 * Math.log(0.25);
    const { value, grad } = confidencePenalty(matrixFromRows([[Math.log(3), 0]]));
    expect(value).toBeCloseTo(negH, 15);
    expect(grad.data).toBeDeepCloseTo(
      [0.75 * (Math.log(0.75) - negH), 0.25 * (Math.log(0.25) - negH)],
      { abs: 1e-15 },
    );
  });

  it('is 0 (no NaN) for saturated ±50 logits and lies in [−log K, 0]', () => {
    const { value, grad } = confidencePenalty(
      matrixFromRows([
        [50, -50, -50],
        [1, 2, 3],
      ]),
    );
    expect(value).toBeLessThanOrEqual(0);
    expect(value).toBeGreaterThanOrEqual(-Math.log(3));
    expect(grad.data.every(Number.isFinite)).toBe(true);
    expect(confidencePenalty(matrixFromRows([[50, -50, -50]])).value).toBeCloseTo(0, 30);
  });

  it('rejects bad input', () => {
    expect(() => confidencePenalty(matrixFromRows([[0, Number.NaN]]))).toThrow(
      /logits\[0\]\[1\] must be finite/,
    );
    expect(() => confidencePenalty({ rows: 0, cols: 3, data: new Float64Array(0) })).toThrow(
      /empty batch/,
    );
    expect(() => confidencePenalty(matrixFromRows([[0, 1]]), { sampleWeights: [1, 2] })).toThrow(
      /sampleWeights must have 1 entries \(got 2\)/,
    );
  });
});

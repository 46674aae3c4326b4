import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { matrixFromRows } from '../math/matrix';
import { softmaxCrossEntropy } from './softmax-cross-entropy';

interface CeCase {
  name: string;
  logits: number[][];
  labels: number[];
  classWeights?: number[];
  sampleWeights?: number[];
  value: number;
  call: string;
}
const golden = JSON.parse(
  readFileSync(new URL('../../../../tests/fixtures/golden/losses.json', import.meta.url), 'utf8'),
) as { ce: CeCase[] };

describe('softmaxCrossEntropy', () => {
  it.each(golden.ce.map((c) => [c.name, c] as const))('matches the golden value: %s', (_, c) => {
    // Each case's `call` names its source, e.g. sklearn.metrics.log_loss(y, softmax(z), labels=range(K), sample_weight=s*w[y]).
    const options = {
      ...(c.classWeights === undefined ? {} : { classWeights: c.classWeights }),
      ...(c.sampleWeights === undefined ? {} : { sampleWeights: c.sampleWeights }),
    };
    expect(softmaxCrossEntropy(matrixFromRows(c.logits), c.labels, options).value).toBeDeepCloseTo(
      c.value,
      { abs: 1e-13, rel: 1e-12 },
    );
  });

  it('hand-worked: logits (ln 3, 0) give p = (0.75, 0.25)', () => {
    // label 1: −log 0.25 = log 4; gradient p − onehot(1) = (0.75, −0.75)
    const { value, grad } = softmaxCrossEntropy(matrixFromRows([[Math.log(3), 0]]), [1]);
    expect(value).toBeCloseTo(Math.log(4), 14);
    expect(grad.data).toBeDeepCloseTo([0.75, -0.75], { abs: 1e-15 });
  });

  it('class weights follow torch semantics: Σ w_y ℓ / Σ w_y', () => {
    // rows: p = (0.75, 0.25) each; labels 0 and 1 → ℓ = log(4/3), log 4; weights (1, 3) → (ℓ0 + 3ℓ1) / 4
    const z = matrixFromRows([
      [Math.log(3), 0],
      [Math.log(3), 0],
    ]);
    const { value, grad } = softmaxCrossEntropy(z, [0, 1], { classWeights: [1, 3] });
    expect(value).toBeCloseTo((Math.log(4 / 3) + 3 * Math.log(4)) / 4, 14);
    expect(grad.data).toBeDeepCloseTo(
      [(1 / 4) * -0.25, (1 / 4) * 0.25, (3 / 4) * 0.75, (3 / 4) * -0.75],
      { abs: 1e-15 },
    );
  });

  it('sample weights normalise by their sum (scaling them changes nothing)', () => {
    const z = matrixFromRows([
      [1, -2, 0.5],
      [0, 3, -1],
      [2, 2, 2],
    ]);
    const a = softmaxCrossEntropy(z, [2, 1, 0], { sampleWeights: [1, 2, 0.5] });
    const b = softmaxCrossEntropy(z, [2, 1, 0], { sampleWeights: [10, 20, 5] });
    expect(b.value).toBeCloseTo(a.value, 14);
    expect(b.grad.data).toBeDeepCloseTo(a.grad.data, { abs: 1e-15 });
  });

  it('stays finite and exact at ±50 logits', () => {
    // ℓ = 100 + log(1 + e^{-100}) ≈ 100 for a confident wrong prediction; log-space avoids log(0) = −∞
    const { value, grad } = softmaxCrossEntropy(matrixFromRows([[50, -50]]), [1]);
    expect(value).toBeCloseTo(100, 12);
    expect(grad.data).toBeDeepCloseTo([1, -1], { abs: 1e-15 });
  });

  it('accepts Float32 logits', () => {
    const data = Float32Array.from([0.5, -1.25, 2]);
    const a = softmaxCrossEntropy({ rows: 1, cols: 3, data }, [1]);
    const b = softmaxCrossEntropy({ rows: 1, cols: 3, data: Float64Array.from(data) }, [1]);
    expect(a.value).toBe(b.value);
  });

  it('property: CE ≥ 0 and each gradient row sums to 0', () => {
    const row = fc.array(fc.double({ min: -60, max: 60, noNaN: true }), {
      minLength: 3,
      maxLength: 3,
    });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(row, fc.integer({ min: 0, max: 2 })), { minLength: 1, maxLength: 6 }),
        (batch) => {
          const { value, grad } = softmaxCrossEntropy(
            matrixFromRows(batch.map(([r]) => r)),
            batch.map(([, y]) => y),
          );
          expect(value).toBeGreaterThanOrEqual(0);
          for (let i = 0; i < batch.length; i++)
            expect(grad.data[3 * i]! + grad.data[3 * i + 1]! + grad.data[3 * i + 2]!).toBeCloseTo(
              0,
              12,
            );
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it('rejects bad input with RangeError naming the argument and sizes', () => {
    const z = matrixFromRows([
      [0, 1, 2],
      [1, 0, 0],
    ]);
    expect(() => softmaxCrossEntropy(z, [0, 3])).toThrow(
      /labels\[1\] must be an integer grade in \[0, 2\] \(got 3\)/,
    );
    expect(() => softmaxCrossEntropy(z, [0])).toThrow(
      /labels and logits rows must have the same length \(got 1 and 2\)/,
    );
    expect(() => softmaxCrossEntropy(matrixFromRows([[0, Number.NaN]]), [0])).toThrow(
      /logits\[0\]\[1\] must be finite \(got NaN; logits is 1×2\)/,
    );
    expect(() => softmaxCrossEntropy({ rows: 0, cols: 3, data: new Float64Array(0) }, [])).toThrow(
      /empty batch, 0×3/,
    );
    expect(() => softmaxCrossEntropy(matrixFromRows([[1], [2]]), [0, 0])).toThrow(
      /at least 2 grade columns \(got 2×1\)/,
    );
    expect(() => softmaxCrossEntropy(z, [0, 1], { sampleWeights: [1, -1] })).toThrow(
      /sampleWeights\[1\] must be a finite number ≥ 0 \(got -1\)/,
    );
    expect(() => softmaxCrossEntropy(z, [0, 1], { classWeights: [1, 1] })).toThrow(
      /classWeights must have 3 entries \(got 2\)/,
    );
    expect(() => softmaxCrossEntropy(z, [0, 1], { classWeights: [0, 0, 1] })).toThrow(
      /must not all be zero/,
    );
    expect(() =>
      softmaxCrossEntropy({ rows: 2, cols: 3, data: new Float64Array(5) }, [0, 1]),
    ).toThrow(RangeError);
    expect(() => softmaxCrossEntropy(z, [0, 1.5])).toThrow(RangeError);
  });
});

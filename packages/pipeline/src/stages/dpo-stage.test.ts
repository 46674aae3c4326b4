import { describe, expect, it } from 'vitest';

import { gradedLoss, softmaxCrossEntropy, type LossResult } from '@gradeshift/core';
import { createRng, type Matrix } from '@gradeshift/core/math';

import { dpoBatchLoss } from './dpo-stage';

const H = 1e-6;

/** Central finite differences of `f` at every entry of `z`. */
function finiteDifferences(f: (z: Matrix) => number, z: Matrix): Float64Array {
  const out = new Float64Array(z.data.length);
  for (let j = 0; j < z.data.length; j++) {
    const zp = { ...z, data: Float64Array.from(z.data) };
    const zm = { ...z, data: Float64Array.from(z.data) };
    zp.data[j] = (z.data[j] ?? 0) + H;
    zm.data[j] = (z.data[j] ?? 0) - H;
    out[j] = (f(zp) - f(zm)) / (2 * H);
  }
  return out;
}

function logits(seed: number, n: number, k: number): Matrix {
  const rng = createRng(seed);
  return { rows: n, cols: k, data: Float64Array.from({ length: n * k }, () => 3 * rng.normal()) };
}

describe('dpoBatchLoss', () => {
  const n = 7;
  const k = 3;
  const reference = logits(11, n, k);
  const labels = Float64Array.from([0, 1, 2, 0, 1, 0, 2]);
  // Rows 0, 3 and 5 prefer their true grade 0 over an optimistic 1 or 2; row 1 prefers 1 over 2; the rest have no pair.
  const chosen = [0, 1, -1, 0, -1, 0, -1];
  const rejected = [1, 2, -1, 2, -1, 1, -1];
  const preferences = { referenceLogits: reference, chosen, rejected };
  const sfts: [string, (z: Matrix) => LossResult][] = [
    ['graded', (z) => gradedLoss(z, labels, { alpha: 4, lambdaMargin: 0 })],
    ['cross-entropy', (z) => softmaxCrossEntropy(z, Int32Array.from(labels))],
  ];

  it.each(sfts)('its gradient matches finite differences (SFT term: %s)', (_, sft) => {
    for (const [beta, sftWeight] of [
      [0.5, 1],
      [2, 0.3],
      [0.1, 0],
    ] as const) {
      const loss = (z: Matrix) => dpoBatchLoss(z, preferences, { beta, sftWeight, sft: sft(z) });
      const z = logits(5, n, k);
      const { grad } = loss(z);
      const fd = finiteDifferences((m) => loss(m).value, z);
      fd.forEach((g, j) => expect(grad.data[j]).toBeCloseTo(g, 6));
    }
  });

  it('is the SFT loss alone when no row has a pair, and the reference is its own optimum direction', () => {
    const z = logits(5, n, k);
    const sft = softmaxCrossEntropy(z, Int32Array.from(labels));
    const none = dpoBatchLoss(
      z,
      {
        referenceLogits: reference,
        chosen: new Array(n).fill(-1),
        rejected: new Array(n).fill(-1),
      },
      { beta: 1, sftWeight: 1, sft },
    );
    expect(none.value).toBe(sft.value);
    // At the reference itself each paired row's DPO term is log 2; its gradient raises y⁺ and lowers y⁻.
    const atRef = dpoBatchLoss(reference, preferences, {
      beta: 1,
      sftWeight: 0,
      sft: { value: 0, grad: { rows: n, cols: k, data: new Float64Array(n * k) } },
    });
    expect(atRef.value).toBeCloseTo((4 / n) * Math.log(2), 12);
    expect(atRef.grad.data[0 * k + 0]).toBeLessThan(0);
    expect(atRef.grad.data[0 * k + 1]).toBeGreaterThan(0);
    expect(atRef.grad.data[2 * k + 0]).toBe(0);
  });
});

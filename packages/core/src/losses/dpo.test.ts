import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { matrixFromRows } from '../math/matrix';
import { dpoLoss } from './dpo';

interface DpoCase {
  policy: number[][];
  reference: number[][];
  chosen: number[];
  rejected: number[];
  beta: number;
  value: number;
}
const golden = JSON.parse(
  readFileSync(new URL('../../../../tests/fixtures/golden/losses.json', import.meta.url), 'utf8'),
) as { dpo: DpoCase[] };

describe('dpoLoss', () => {
  it.each(golden.dpo)(
    'matches numpy.mean(numpy.logaddexp(0, -beta * margin)) with scipy log_softmax (β = $beta)',
    (c) => {
      const r = dpoLoss(
        matrixFromRows(c.policy),
        { referenceLogits: matrixFromRows(c.reference), chosen: c.chosen, rejected: c.rejected },
        { beta: c.beta },
      );
      expect(r.value).toBeDeepCloseTo(c.value, { abs: 1e-14, rel: 1e-12 });
    },
  );

  it('hand-worked: policy = reference gives log 2 and gradient −β/2·(e⁺ − e⁻)/n', () => {
    // u = 0 → −log σ(0) = log 2; dℓ/du = −σ(0) = −1/2; du/dz = β(onehot(y⁺) − onehot(y⁻)); two rows → ×1/2
    const z = matrixFromRows([
      [0.3, 1, -2],
      [2, 2, 0],
    ]);
    const { value, grad } = dpoLoss(
      z,
      { referenceLogits: z, chosen: [0, 2], rejected: [1, 0] },
      { beta: 0.1 },
    );
    expect(value).toBeCloseTo(Math.log(2), 15);
    expect(grad.data).toBeDeepCloseTo([-0.025, 0.025, 0, 0.025, 0, -0.025], { abs: 1e-16 });
  });

  it('hand-worked: one row with a log-ratio margin of 10 and β = 0.1 gives softplus(−1)', () => {
    // policy moves logit of y⁺ up by 10 relative to the reference; the log-softmax normaliser cancels in the margin
    const { value } = dpoLoss(matrixFromRows([[10, 0]]), {
      referenceLogits: matrixFromRows([[0, 0]]),
      chosen: [0],
      rejected: [1],
    });
    expect(value).toBeCloseTo(Math.log1p(Math.exp(-1)), 15);
  });

  it('favouring the chosen grade lowers the loss; the default β is 0.1', () => {
    const ref = matrixFromRows([[0, 1, 2]]);
    const pairs = { referenceLogits: ref, chosen: [1], rejected: [2] };
    const before = dpoLoss(ref, pairs).value;
    const after = dpoLoss(matrixFromRows([[0, 2, 1]]), pairs).value;
    expect(after).toBeLessThan(before);
    expect(after).toBeCloseTo(Math.log1p(Math.exp(-0.1 * 2)), 15); // margin (z⁺ − z_ref⁺) − (z⁻ − z_ref⁻) = (2 − 1) − (1 − 2) = 2
  });

  it('is stable for huge margins (±50 logits, β = 2)', () => {
    const ref = matrixFromRows([[0, 0]]);
    const good = dpoLoss(
      matrixFromRows([[50, -50]]),
      { referenceLogits: ref, chosen: [0], rejected: [1] },
      { beta: 2 },
    );
    const bad = dpoLoss(
      matrixFromRows([[-50, 50]]),
      { referenceLogits: ref, chosen: [0], rejected: [1] },
      { beta: 2 },
    );
    expect(good.value).toBeCloseTo(0, 30);
    expect(bad.value).toBeCloseTo(200, 12);
    expect(bad.grad.data).toBeDeepCloseTo([-2, 2], { abs: 1e-15 });
  });

  it('rejects bad input', () => {
    const z = matrixFromRows([
      [0, 1, 2],
      [1, 1, 1],
    ]);
    const ok = { referenceLogits: z, chosen: [0, 1], rejected: [1, 2] };
    expect(() => dpoLoss(z, { ...ok, chosen: [0, 0], rejected: [1, 0] })).toThrow(
      /chosen\[1\] and rejected\[1\] must differ \(both 0\)/,
    );
    expect(() => dpoLoss(z, { ...ok, referenceLogits: matrixFromRows([[0, 1, 2]]) })).toThrow(
      /policyLogits and referenceLogits must have the same shape \(got 2×3 and 1×3\)/,
    );
    expect(() =>
      dpoLoss(z, {
        ...ok,
        referenceLogits: matrixFromRows([
          [0, 1, 2],
          [0, Number.NaN, 0],
        ]),
      }),
    ).toThrow(/referenceLogits\[1\]\[1\] must be finite/);
    expect(() => dpoLoss(z, { ...ok, chosen: [0, 3] })).toThrow(
      /chosen\[1\] must be an integer grade in \[0, 2\] \(got 3\)/,
    );
    expect(() => dpoLoss(z, { ...ok, rejected: [1] })).toThrow(
      /rejected and logits rows must have the same length \(got 1 and 2\)/,
    );
    expect(() => dpoLoss(z, ok, { beta: 0 })).toThrow(/options.beta must be > 0 \(got 0\)/);
    expect(() =>
      dpoLoss(
        { rows: 0, cols: 3, data: new Float64Array(0) },
        { referenceLogits: z, chosen: [], rejected: [] },
      ),
    ).toThrow(/policyLogits .*empty batch/);
  });
});

import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { matrixFromRows } from '../math/matrix';
import { pairwiseMarginLoss } from './pairwise-margin';

interface MarginCase {
  logits: number[][];
  labels: number[];
  delta: number;
  groups?: number[];
  value: number;
}
const golden = JSON.parse(
  readFileSync(new URL('../../../../tests/fixtures/golden/losses.json', import.meta.url), 'utf8'),
) as { margin: MarginCase[] };

describe('pairwiseMarginLoss', () => {
  it.each(golden.margin)('matches the numpy pair loop (δ = $delta)', (c) => {
    // numpy: mean over y_i > y_j (same group) of max(0, δ(y_i − y_j) − (s_i − s_j)), s = softmax(z) @ arange(K)
    const options =
      c.groups === undefined ? { delta: c.delta } : { delta: c.delta, groups: c.groups };
    expect(pairwiseMarginLoss(matrixFromRows(c.logits), c.labels, options).value).toBeDeepCloseTo(
      c.value,
      { abs: 1e-14, rel: 1e-12 },
    );
  });

  it('hand-worked: two rows with uniform predictions', () => {
    // K = 2, uniform → s = 0.5 for both; pair (1, 0) with y = (0, 1): h = 0.3·1 − 0 = 0.3.
    // ∂s/∂z = p(c − s) = (0.5·(−0.5), 0.5·0.5) = (−0.25, 0.25); row 1 gets −1, row 0 gets +1.
    const { value, grad } = pairwiseMarginLoss(
      matrixFromRows([
        [0, 0],
        [0, 0],
      ]),
      [0, 1],
    );
    expect(value).toBeCloseTo(0.3, 15);
    expect(grad.data).toBeDeepCloseTo([-0.25, 0.25, 0.25, -0.25], { abs: 1e-16 });
  });

  it('counts satisfied pairs in the mean', () => {
    // s ≈ (2, 0, 1) for labels (2, 0, 1): confident rows and a uniform row (s = 1). Pairs (0,1), (0,2), (2,1).
    const z = matrixFromRows([
      [-40, -40, 40],
      [40, -40, -40],
      [0, 0, 0],
    ]);
    // δ = 0.3: h = 0.6 − 2, 0.3 − 1, 0.3 − 1, all < 0 → satisfied
    expect(pairwiseMarginLoss(z, [2, 0, 1]).value).toBe(0);
    // with δ = 1.5: (0,1) h = 3 − 2 = 1; (0,2) h = 1.5 − 1 = 0.5; (2,1) h = 1.5 − 1 = 0.5 → mean 2/3
    expect(pairwiseMarginLoss(z, [2, 0, 1], { delta: 1.5 }).value).toBeCloseTo(2 / 3, 12);
  });

  it('no pairs → value 0 and a zero gradient (one grade, or singleton groups)', () => {
    const z = matrixFromRows([
      [1, 2, 3],
      [3, 2, 1],
    ]);
    for (const r of [
      pairwiseMarginLoss(z, [1, 1]),
      pairwiseMarginLoss(z, [0, 2], { groups: ['q1', 'q2'] }),
    ]) {
      expect(r.value).toBe(0);
      expect(r.grad.data).toEqual(new Float64Array(6));
    }
  });

  it('groups restrict pairs to the same query', () => {
    const z = matrixFromRows([
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
    // without groups: 4 ordered pairs all with h = 0.3; with groups {0,1},{2,3}: 2 pairs, still 0.3 each
    expect(pairwiseMarginLoss(z, [0, 1, 0, 1]).value).toBeCloseTo(0.3, 15);
    const grouped = pairwiseMarginLoss(z, [0, 1, 1, 0], { groups: [7, 7, 8, 9] });
    expect(grouped.value).toBeCloseTo(0.3, 15);
    expect(grouped.grad.data.slice(4)).toEqual(new Float64Array(4)); // rows 2, 3 have no partner in their group
  });

  it('property: zero loss and gradient when the ordering satisfies all margins', () => {
    // Near-one-hot predictions of the true grade give s ≈ y, so s_i − s_j ≈ y_i − y_j ≥ δ(y_i − y_j) for δ ≤ 0.9.
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 8 }),
        fc.double({ min: 0, max: 0.9, noNaN: true }),
        (labels, delta) => {
          const z = matrixFromRows(
            labels.map((y) => Array.from({ length: 5 }, (_, c) => (c === y ? 30 : -30))),
          );
          const { value, grad } = pairwiseMarginLoss(z, labels, { delta });
          expect(value).toBe(0);
          expect(grad.data.every((g) => g === 0)).toBe(true);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it('rejects bad input', () => {
    const z = matrixFromRows([
      [0, 1],
      [1, 0],
    ]);
    expect(() => pairwiseMarginLoss(z, [0, 2])).toThrow(
      /labels\[1\] must be a grade in \[0, 1\] \(got 2\)/,
    );
    expect(() => pairwiseMarginLoss(z, [0, 1], { groups: [1] })).toThrow(
      /groups and logits rows must have the same length \(got 1 and 2\)/,
    );
    expect(() => pairwiseMarginLoss(z, [0, 1], { delta: -0.1 })).toThrow(
      /options.delta must be ≥ 0/,
    );
    expect(() => pairwiseMarginLoss(z, [0, 1], { groups: [1, Number.NaN] })).toThrow(TypeError);
    expect(() => pairwiseMarginLoss({ rows: 0, cols: 2, data: new Float64Array(0) }, [])).toThrow(
      /empty batch/,
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { assertMatrix } from './check';
import { cholesky } from './cholesky';
import { covariance } from './covariance';
import { gemmSync } from './gemm';
import { logSigmoid, logSumExp, sigmoid, softplus } from './log-sum-exp';
import { matrixFromRows } from './matrix';
import { createRng, shuffledIndices } from './prng';
import { argsort } from './rank';
import { softmax } from './softmax';
import { mean, sum } from './sum';

describe('sum', () => {
  it('compensates where naive summation loses everything', () => {
    // Hand-worked: 1e16 + 1 - 1e16 = 1 exactly; naive left-to-right gives 0 (math.fsum gives 1.0).
    expect(sum([1e16, 1, -1e16])).toBe(1);
    expect(sum(new Float64Array(10).fill(0.1))).toBe(1);
  });
  it('rejects an empty mean', () => {
    expect(() => mean([])).toThrow(RangeError);
  });
});

describe('softmax properties', () => {
  it('rows sum to 1 and stay in [0, 1] for any finite logits', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -500, max: 500, noNaN: true }), { minLength: 1, maxLength: 8 }),
        (row) => {
          const p = softmax({ rows: 1, cols: row.length, data: Float64Array.from(row) }).data;
          expect(sum(p)).toBeCloseTo(1, 12);
          for (const v of p) expect(v >= 0 && v <= 1).toBe(true);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
  it('refuses NaN logits with the offending index', () => {
    expect(() => softmax({ rows: 1, cols: 2, data: Float64Array.from([0, Number.NaN]) })).toThrow(
      /logits.data\[1\]/,
    );
  });
  it('refuses a matrix whose data disagrees with its shape', () => {
    expect(() => assertMatrix({ rows: 2, cols: 3, data: new Float64Array(5) }, 'x')).toThrow(
      'x.data must have rows*cols = 6 entries (got 5)',
    );
  });
});

describe('log-sum-exp helpers', () => {
  it('stay finite at extremes', () => {
    expect(logSumExp([])).toBe(-Infinity);
    expect(softplus(1000)).toBe(1000);
    expect(softplus(-1000)).toBe(0);
    expect(logSigmoid(-1000)).toBe(-1000);
    expect(sigmoid(-1000)).toBe(0);
    expect(sigmoid(0)).toBe(0.5);
  });
});

describe('cholesky', () => {
  it('reports a singular matrix through the result instead of NaN', () => {
    const r = cholesky(
      matrixFromRows([
        [1, 1],
        [1, 1],
      ]),
    );
    expect(r).toEqual({ ok: false, error: 'NOT_POSITIVE_DEFINITE', row: 1 });
  });
  it('reports an indefinite matrix', () => {
    expect(
      cholesky(
        matrixFromRows([
          [1, 2],
          [2, 1],
        ]),
      ).ok,
    ).toBe(false);
  });
  it('reconstructs a random SPD matrix: L·Lᵀ = A', () => {
    const rng = createRng(3);
    const x = { rows: 50, cols: 6, data: Float64Array.from({ length: 300 }, () => rng.normal()) };
    const A = covariance(x);
    const r = cholesky(A);
    if (!r.ok) throw new Error('expected PD');
    const back = gemmSync(r.L, r.L, { transB: true });
    expect(back.data).toBeDeepCloseTo(A.data, { abs: 1e-12, rel: 1e-10 });
  });
});

describe('gemm', () => {
  it('agrees across transpose options on a hand-worked product', () => {
    const a = matrixFromRows([
      [1, 2],
      [3, 4],
      [5, 6],
    ]); // 3×2
    const b = matrixFromRows([
      [1, 0, 2],
      [0, 1, 3],
    ]); // 2×3
    // a·b = [[1,2,8],[3,4,18],[5,6,28]]
    expect(gemmSync(a, b).data).toEqual(Float64Array.from([1, 2, 8, 3, 4, 18, 5, 6, 28]));
    const aT = matrixFromRows([
      [1, 3, 5],
      [2, 4, 6],
    ]);
    const bT = matrixFromRows([
      [1, 0],
      [0, 1],
      [2, 3],
    ]);
    expect(gemmSync(aT, b, { transA: true }).data).toEqual(gemmSync(a, b).data);
    expect(gemmSync(a, bT, { transB: true }).data).toEqual(gemmSync(a, b).data);
    expect(gemmSync(aT, bT, { transA: true, transB: true }).data).toEqual(gemmSync(a, b).data);
  });
  it('names the sizes when inner dimensions disagree', () => {
    expect(() => gemmSync(matrixFromRows([[1, 2]]), matrixFromRows([[1, 2]]))).toThrow(
      'op(a) is 1×2, op(b) is 1×2',
    );
  });
});

describe('prng and argsort', () => {
  it('is reproducible per seed and in range', () => {
    const a = createRng(9);
    const b = createRng(9);
    for (let i = 0; i < 100; i++) {
      const x = a.next();
      expect(x).toBe(b.next());
      expect(x >= 0 && x < 1).toBe(true);
    }
    expect(Array.from(shuffledIndices(10, createRng(1))).sort((p, q) => p - q)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
  });
  it('draws standard normals with mean ≈ 0 and variance ≈ 1', () => {
    const rng = createRng(11);
    const xs = Float64Array.from({ length: 20000 }, () => rng.normal());
    const m = mean(xs);
    const v = mean(xs.map((x) => (x - m) ** 2));
    expect(Math.abs(m)).toBeLessThan(0.03);
    expect(Math.abs(v - 1)).toBeLessThan(0.05);
  });
  it('argsort breaks ties by index in both directions and rejects NaN', () => {
    expect(Array.from(argsort([2, 1, 2, 1], { descending: true }))).toEqual([0, 2, 1, 3]);
    expect(() => argsort([1, Number.NaN])).toThrow('values[1] is NaN');
  });
});

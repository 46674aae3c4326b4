import { describe, expect, it } from 'vitest';
import { gemmSync, jsGemm } from '../math/gemm';
import { createRng } from '../math/prng';
import { createDenseProducts, mulABt, mulAtB, transpose } from './dense-products';

const random = (n: number, rng: ReturnType<typeof createRng>) =>
  Float64Array.from({ length: n }, () => rng.normal());

describe('dense products', () => {
  it('match gemmSync for every blocking remainder (m, n, k in 1…13, seeded property)', async () => {
    const rng = createRng(8);
    const viaPort = createDenseProducts(jsGemm);
    const viaLoops = createDenseProducts();
    for (let run = 0; run < 150; run++) {
      const [m, n, k] = [1 + rng.int(13), 1 + rng.int(13), 1 + rng.int(13)];
      const a = random(m * k, rng);
      const b = random(n * k, rng);
      const expected = gemmSync(
        { rows: m, cols: k, data: a },
        { rows: n, cols: k, data: b },
        { transB: true },
      ).data;
      expect(mulABt(a, b, { m, n, k })).toBeDeepCloseTo(expected, { abs: 1e-12, rel: 1e-12 });
      const at = transpose(a, m, k); // k × m
      const bt = transpose(b, n, k); // k × n
      expect(mulAtB(at, bt, { m, n, k })).toBeDeepCloseTo(expected, { abs: 1e-12, rel: 1e-12 });
      for (const products of [viaPort, viaLoops]) {
        expect(await products.abt(a, b, { m, n, k })).toBeDeepCloseTo(expected, {
          abs: 1e-12,
          rel: 1e-12,
        });
        expect(await products.atb(at, bt, { m, n, k })).toBeDeepCloseTo(expected, {
          abs: 1e-12,
          rel: 1e-12,
        });
        expect(await products.ab(a, bt, { m, n, k })).toBeDeepCloseTo(expected, {
          abs: 1e-12,
          rel: 1e-12,
        });
      }
    }
  });

  it('computes a hand-worked 2 × 2 product', () => {
    // [1 2; 3 4]·[5 6; 7 8]ᵀ = [17 23; 39 53]
    expect(
      Array.from(
        mulABt(Float64Array.of(1, 2, 3, 4), Float64Array.of(5, 6, 7, 8), { m: 2, n: 2, k: 2 }),
      ),
    ).toEqual([17, 23, 39, 53]);
  });
});

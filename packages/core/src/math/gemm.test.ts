import { describe, expect, it } from 'vitest';

import { gemmSync, jsGemm } from './gemm';
import { matrixFromRows } from './matrix';

describe('jsGemm (the Gemm port contract)', () => {
  const a = matrixFromRows([
    [1, 2],
    [3, 4],
    [5, 6],
  ]);
  const b = matrixFromRows([
    [1, 0],
    [0.5, -1],
  ]);

  it('computes in float64: gemm and gemmNative both return the exact Float64 product', async () => {
    // Hand-worked: A·Bᵀ rows are [1·1 + 2·0, 1·0.5 − 2·1] = [1, −1.5], [3, −2.5], [5, −3.5].
    const want = [1, -1.5, 3, -2.5, 5, -3.5];
    expect(jsGemm.dtype).toBe('float64');
    const wide = await jsGemm.gemm(a, b, { transB: true });
    const native = await jsGemm.gemmNative?.(a, b, { transB: true });
    expect(Array.from(wide.data)).toEqual(want);
    expect(native?.data).toBeInstanceOf(Float64Array);
    expect(native?.data).toEqual(gemmSync(a, b, { transB: true }).data);
  });

  it('gemmNative checks shapes like gemm', async () => {
    await expect(jsGemm.gemmNative?.(a, a)).rejects.toThrow(
      'gemm inner sizes must agree (op(a) is 3×2, op(b) is 3×2)',
    );
  });
});

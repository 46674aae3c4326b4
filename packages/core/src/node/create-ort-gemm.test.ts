import { afterAll, describe, expect, it } from 'vitest';

import { gemmSync, type GemmOptions } from '../math/gemm';
import type { Matrix } from '../math/matrix';
import { createRng } from '../math/prng';
import { createOrtGemm } from './create-ort-gemm';

function randomMatrix(rows: number, cols: number, seed: number): Matrix {
  const rng = createRng(seed);
  return { rows, cols, data: Float64Array.from({ length: rows * cols }, () => rng.normal()) };
}

/** Operands for op(A)·op(B) with op(A) m×k and op(B) k×n. */
function operands(
  options: GemmOptions,
  sizes: { m: number; k: number; n: number },
): [Matrix, Matrix] {
  const { m, k, n } = sizes;
  const a = options.transA === true ? randomMatrix(k, m, 1) : randomMatrix(m, k, 1);
  const b = options.transB === true ? randomMatrix(n, k, 2) : randomMatrix(k, n, 2);
  return [a, b];
}

const COMBOS: GemmOptions[] = [
  {},
  { transA: true },
  { transB: true },
  { transA: true, transB: true },
];
const SIZES = { m: 37, k: 64, n: 29 };

describe('createOrtGemm', () => {
  const f64 = createOrtGemm({ minWork: 0, backendOptions: { intraOpNumThreads: 1 } });
  const f32 = createOrtGemm({
    dtype: 'float32',
    minWork: 0,
    backendOptions: { intraOpNumThreads: 1 },
  });
  // 100 output elements per run forces several row blocks of op(A)
  const blocked = createOrtGemm({
    minWork: 0,
    maxOutputElements: 100,
    backendOptions: { intraOpNumThreads: 1 },
  });
  afterAll(async () => {
    await Promise.all([f64.dispose(), f32.dispose(), blocked.dispose()]);
  });

  it.each(COMBOS)('matches gemmSync in float64 to 1e-12 (%o)', async (options) => {
    const [a, b] = operands(options, SIZES);
    const got = await f64.gemm(a, b, options);
    const want = gemmSync(a, b, options);
    expect([got.rows, got.cols]).toEqual([SIZES.m, SIZES.n]);
    expect(got.data).toBeInstanceOf(Float64Array);
    expect(got.data).toBeDeepCloseTo(want.data, { abs: 1e-12, rel: 1e-12 });
  });

  it.each(COMBOS)('matches gemmSync in float32 within float32 rounding (%o)', async (options) => {
    const [a, b] = operands(options, SIZES);
    const got = await f32.gemm(a, b, options);
    // 64-term sums of N(0,1)·N(0,1) products: entries ~8, float32 inputs and accumulation err ≲ 1e-5 each
    const want = gemmSync(a, b, options).data;
    expect(got.data).toBeDeepCloseTo(want, { abs: 1e-4, rel: 1e-5 });
    // and it really ran in float32: some entry differs from the Float64 product
    expect(got.data.some((v, i) => Math.abs(v - want[i]!) > 1e-9)).toBe(true);
  });

  it.each(COMBOS)('gives the same product when computed in row blocks (%o)', async (options) => {
    const [a, b] = operands(options, SIZES);
    const got = await blocked.gemm(a, b, options);
    expect(got.data).toBeDeepCloseTo(gemmSync(a, b, options).data, { abs: 1e-12, rel: 1e-12 });
  });

  it.each(COMBOS)(
    'gemmNative returns the float32 runtime output unwidened, the same numbers as gemm (%o)',
    async (options) => {
      const [a, b] = operands(options, SIZES);
      const native = await f32.gemmNative(a, b, options);
      const wide = await f32.gemm(a, b, options);
      expect([native.rows, native.cols]).toEqual([SIZES.m, SIZES.n]);
      expect(native.data).toBeInstanceOf(Float32Array);
      // gemm only widens the same runtime output, so every entry is equal.
      expect(Array.from(native.data)).toEqual(Array.from(wide.data));
    },
  );

  it.each(COMBOS)(
    'gemmNative in row blocks stays Float32 and matches the one-block product (%o)',
    async (options) => {
      const [a, b] = operands(options, SIZES);
      const blocked32 = createOrtGemm({
        dtype: 'float32',
        minWork: 0,
        maxOutputElements: 100,
        backendOptions: { intraOpNumThreads: 1 },
      });
      try {
        const got = await blocked32.gemmNative(a, b, options);
        expect(got.data).toBeInstanceOf(Float32Array);
        expect(got.data).toBeDeepCloseTo((await f32.gemmNative(a, b, options)).data, {
          abs: 1e-5,
          rel: 1e-6,
        });
      } finally {
        await blocked32.dispose();
      }
    },
  );

  it('gemmNative in float64 is gemm itself; dtype names the working type; tiny products stay in gemmSync', async () => {
    const [a, b] = operands({ transB: true }, SIZES);
    const native = await f64.gemmNative(a, b, { transB: true });
    expect(native.data).toBeInstanceOf(Float64Array);
    expect(native.data).toEqual((await f64.gemm(a, b, { transB: true })).data);
    expect([f64.dtype, f32.dtype]).toEqual(['float64', 'float32']);
    const small = createOrtGemm({
      dtype: 'float32',
      backend: { name: 'unused', createSession: () => Promise.reject(new Error('must not load')) },
    });
    const t = randomMatrix(2, 2, 3);
    expect((await small.gemmNative(t, t)).data).toEqual(gemmSync(t, t).data);
  });

  it('accepts Float32 inputs and handles empty products', async () => {
    const a = { rows: 3, cols: 2, data: Float32Array.from([1, 2, 3, 4, 5, 6]) };
    const b = { rows: 2, cols: 1, data: Float32Array.from([1, -1]) };
    expect(Array.from((await f64.gemm(a, b)).data)).toEqual([-1, -1, -1]);
    const empty = await f64.gemm({ rows: 0, cols: 2, data: new Float64Array(0) }, b);
    expect([empty.rows, empty.cols, empty.data.length]).toEqual([0, 1, 0]);
    const zeroK = await f64.gemm(
      { rows: 2, cols: 0, data: new Float64Array(0) },
      { rows: 0, cols: 3, data: new Float64Array(0) },
    );
    expect(Array.from(zeroK.data)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('keeps tiny products in gemmSync and checks shapes and options', async () => {
    const small = createOrtGemm({
      backend: { name: 'unused', createSession: () => Promise.reject(new Error('must not load')) },
    });
    const a = randomMatrix(2, 2, 3);
    expect((await small.gemm(a, a)).data).toEqual(gemmSync(a, a).data);
    await expect(f64.gemm(randomMatrix(2, 3, 1), randomMatrix(2, 3, 2))).rejects.toThrow(
      'gemm inner sizes must agree (op(a) is 2×3, op(b) is 2×3)',
    );
    expect(() => createOrtGemm({ dtype: 'int8' as 'float32' })).toThrow(RangeError);
    expect(() => createOrtGemm({ maxOutputElements: 0 })).toThrow(
      'maxOutputElements must be a positive integer (got 0)',
    );
    expect(f64.name).toBe('ort-float64');
    expect(f32.name).toBe('ort-float32');
  });
});

/**
 * The three matrix products of a dense layer's forward and backward pass (A·Bᵀ, Aᵀ·B, A·B), either through
 * an injected {@link Gemm} port or through register-blocked loops.
 *
 * Measured in Node 20 on a shared 2-core 2.6 GHz Xeon (one product, Float64):
 *
 * | 256 × 96 × 108 (B × H1 × In) | µs | GMAC/s |
 * | --- | --- | --- |
 * | `jsGemm` (`gemmSync`) | ≈ 4100 | ≈ 0.65 |
 * | these loops (A·Bᵀ; Aᵀ·B) | ≈ 1200; 1270 | ≈ 2.3; 2.1 (≈ 1 multiply-add per cycle, the scalar limit: V8 does not vectorise) |
 * | onnxruntime `Gemm` (MLAS), 1 intra-op thread | ≈ 170 | ≈ 16 (≈ 24 at batch 1024) |
 *
 * So the loops are the default, and Node callers inject onnxruntime's Gemm for speed (with one intra-op thread:
 * on two shared cores, more threads made a whole training epoch 5× slower).
 * @internal
 */
import type { Gemm } from '../math/gemm';

/** Sizes of a product C (m × n) with inner size k. @internal */
export interface ProductDims {
  readonly m: number;
  readonly n: number;
  readonly k: number;
}

/** Row-major Float64 products, each returning a new m × n array. @internal */
export interface DenseProducts {
  /** C = A·Bᵀ with A m × k and B n × k. */
  abt(a: Float64Array, b: Float64Array, dims: ProductDims): Promise<Float64Array>;
  /** C = Aᵀ·B with A k × m and B k × n. */
  atb(a: Float64Array, b: Float64Array, dims: ProductDims): Promise<Float64Array>;
  /** C = A·B with A m × k and B k × n. */
  ab(a: Float64Array, b: Float64Array, dims: ProductDims): Promise<Float64Array>;
}

/** Aᵀ of a rows × cols matrix. @internal */
export function transpose(a: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) out[j * rows + i] = a[o + j] ?? 0;
  }
  return out;
}

/**
 * Where the operands of a blocked product sit: A's row `i` at step `p` is `a[i * aRow + p * aStep]`, and B's
 * row `j` at step `p` is `b[j * bRow + p * bStep]`. @internal
 */
interface Strides {
  readonly aRow: number;
  readonly aStep: number;
  readonly bRow: number;
  readonly bStep: number;
}

/** Σ_p A[i, p]·B[j, p] over strided operands, p in order. */
function stridedDot(
  a: Float64Array,
  b: Float64Array,
  at: Strides & { i: number; j: number; k: number },
): number {
  const ao = at.i * at.aRow;
  const bo = at.j * at.bRow;
  let s = 0;
  for (let p = 0; p < at.k; p++) s += (a[ao + p * at.aStep] ?? 0) * (b[bo + p * at.bStep] ?? 0);
  return s;
}

/**
 * C[i, j] = Σ_p A[i, p]·B[j, p] (C m × n) over strided operands: a 4 × 3 block of C is kept in registers so that
 * each loaded value feeds 3 or 4 multiply-adds (V8 does not vectorise; this is what lifts it from ≈ 0.65 to
 * ≈ 2.3 GMAC/s). Each entry sums over p in order, so the result does not depend on the strides.
 */
function blockedProduct(
  a: Float64Array,
  b: Float64Array,
  dims: ProductDims & Strides,
): Float64Array {
  const { m, n, k, aRow, aStep, bRow, bStep } = dims;
  const c = new Float64Array(m * n);
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const a0 = i * aRow;
    const a1 = a0 + aRow;
    const a2 = a1 + aRow;
    const a3 = a2 + aRow;
    let j = 0;
    for (; j + 2 < n; j += 3) {
      const b0 = j * bRow;
      const b1 = b0 + bRow;
      const b2 = b1 + bRow;
      let s00 = 0,
        s01 = 0,
        s02 = 0,
        s10 = 0,
        s11 = 0,
        s12 = 0,
        s20 = 0,
        s21 = 0,
        s22 = 0,
        s30 = 0,
        s31 = 0,
        s32 = 0;
      for (let p = 0, pa = 0, pb = 0; p < k; p++, pa += aStep, pb += bStep) {
        const u0 = a[a0 + pa] ?? 0,
          u1 = a[a1 + pa] ?? 0,
          u2 = a[a2 + pa] ?? 0,
          u3 = a[a3 + pa] ?? 0;
        const v0 = b[b0 + pb] ?? 0,
          v1 = b[b1 + pb] ?? 0,
          v2 = b[b2 + pb] ?? 0;
        s00 += u0 * v0;
        s01 += u0 * v1;
        s02 += u0 * v2;
        s10 += u1 * v0;
        s11 += u1 * v1;
        s12 += u1 * v2;
        s20 += u2 * v0;
        s21 += u2 * v1;
        s22 += u2 * v2;
        s30 += u3 * v0;
        s31 += u3 * v1;
        s32 += u3 * v2;
      }
      const c0 = i * n + j;
      c[c0] = s00;
      c[c0 + 1] = s01;
      c[c0 + 2] = s02;
      c[c0 + n] = s10;
      c[c0 + n + 1] = s11;
      c[c0 + n + 2] = s12;
      c[c0 + 2 * n] = s20;
      c[c0 + 2 * n + 1] = s21;
      c[c0 + 2 * n + 2] = s22;
      c[c0 + 3 * n] = s30;
      c[c0 + 3 * n + 1] = s31;
      c[c0 + 3 * n + 2] = s32;
    }
    for (; j < n; j++)
      for (let r = i; r < i + 4; r++) c[r * n + j] = stridedDot(a, b, { ...dims, i: r, j });
  }
  for (; i < m; i++) for (let j = 0; j < n; j++) c[i * n + j] = stridedDot(a, b, { ...dims, i, j });
  return c;
}

/**
 * C = A·Bᵀ (A m × k, B n × k): both operands are walked along contiguous rows.
 * @internal
 */
export function mulABt(a: Float64Array, b: Float64Array, dims: ProductDims): Float64Array {
  const { m, n, k } = dims;
  return blockedProduct(a, b, { m, n, k, aRow: k, aStep: 1, bRow: k, bStep: 1 });
}

/**
 * C = Aᵀ·B (A k × m, B k × n) without transposing: each step of the inner loop reads 4 adjacent entries of a
 * row of A and 3 of a row of B (a weight gradient Σ_b dzᵀ_b x_b, with k = the batch).
 * @internal
 */
export function mulAtB(a: Float64Array, b: Float64Array, dims: ProductDims): Float64Array {
  const { m, n, k } = dims;
  return blockedProduct(a, b, { m, n, k, aRow: 1, aStep: m, bRow: 1, bStep: n });
}

/** Products by the blocked loops (synchronous work wrapped in resolved promises). @internal */
const LOOP_PRODUCTS: DenseProducts = Object.freeze({
  abt: (a: Float64Array, b: Float64Array, dims: ProductDims) => Promise.resolve(mulABt(a, b, dims)),
  atb: (a: Float64Array, b: Float64Array, dims: ProductDims) => Promise.resolve(mulAtB(a, b, dims)),
  // B is a weight matrix here (small next to the batch), so transposing it costs little.
  ab: (a: Float64Array, b: Float64Array, dims: ProductDims) =>
    Promise.resolve(mulABt(a, transpose(b, dims.k, dims.n), dims)),
});

/**
 * The products to use: the blocked loops by default, or `gemm` (e.g. onnxruntime's, injected by Node callers).
 * @internal
 */
export function createDenseProducts(gemm?: Gemm): DenseProducts {
  if (gemm === undefined) return LOOP_PRODUCTS;
  const run = async (
    a: Float64Array,
    b: Float64Array,
    shapes: { a: [number, number]; b: [number, number]; transA: boolean; transB: boolean },
  ): Promise<Float64Array> => {
    const out = await gemm.gemm(
      { rows: shapes.a[0], cols: shapes.a[1], data: a },
      { rows: shapes.b[0], cols: shapes.b[1], data: b },
      { transA: shapes.transA, transB: shapes.transB },
    );
    return out.data;
  };
  return {
    abt: (a, b, { m, n, k }) => run(a, b, { a: [m, k], b: [n, k], transA: false, transB: true }),
    atb: (a, b, { m, n, k }) => run(a, b, { a: [k, m], b: [k, n], transA: true, transB: false }),
    ab: (a, b, { m, n, k }) => run(a, b, { a: [m, k], b: [k, n], transA: false, transB: false }),
  };
}

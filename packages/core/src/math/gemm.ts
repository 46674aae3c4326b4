/**
 * General matrix product C = op(A)·op(B), the one operation that dominates covariance fitting,
 * whitening and KNN. It is a port: {@link jsGemm} is the pure reference, and `@gradeshift/core/node`
 * provides one backed by onnxruntime's MLAS kernels for large batches (measured in BENCHMARKS.md).
 */
import { assertMatrix } from './check';
import { createMatrix, type Matrix, type MatrixLike } from './matrix';

/** Options for a {@link Gemm} call. */
export interface GemmOptions {
  /** Use Aᵀ instead of A. @default false */
  transA?: boolean;
  /** Use Bᵀ instead of B. @default false */
  transB?: boolean;
}

/**
 * A matrix-product kernel.
 *
 * Precision contract: `gemm` always returns a Float64 matrix (widened when the kernel computes in float32), so its
 * callers never see the kernel's precision in the element type. `gemmNative`, when present, skips that widening and
 * returns the product in the kernel's working type (`dtype`): a caller that reduces a large product right away
 * (distances, k-th neighbours) then avoids an 8-byte copy of every entry. Its data may be a Float32Array or a
 * Float64Array, so it must read either; with `dtype: 'float64'` its entries equal those of `gemm`.
 */
export interface Gemm {
  /** A short name for logs and benchmarks (`'js'`, `'ort-float32'`). */
  readonly name: string;
  /**
   * The element type the kernel computes in. Operands already of this type are used without a conversion copy, so
   * a caller multiplying the same operand many times should hold it in this type.
   * @default 'float64' (when absent)
   */
  readonly dtype?: 'float32' | 'float64';
  /** op(A)·op(B) as a new Float64 matrix. */
  gemm(a: MatrixLike, b: MatrixLike, options?: GemmOptions): Promise<Matrix>;
  /**
   * op(A)·op(B) in the kernel's own precision (`dtype`), without widening to Float64. Absent on kernels for which it
   * would be `gemm` itself; callers then fall back to `gemm`.
   */
  gemmNative?(a: MatrixLike, b: MatrixLike, options?: GemmOptions): Promise<MatrixLike>;
}

/** Shape of op(A)·op(B), checking that the inner sizes agree. */
export function gemmShape(
  a: MatrixLike,
  b: MatrixLike,
  options: GemmOptions = {},
): { m: number; k: number; n: number } {
  assertMatrix(a, 'a');
  assertMatrix(b, 'b');
  const m = options.transA === true ? a.cols : a.rows;
  const k = options.transA === true ? a.rows : a.cols;
  const kb = options.transB === true ? b.cols : b.rows;
  const n = options.transB === true ? b.rows : b.cols;
  if (k !== kb)
    throw new RangeError(`gemm inner sizes must agree (op(a) is ${m}×${k}, op(b) is ${kb}×${n})`);
  return { m, k, n };
}

/**
 * Pure TypeScript product, synchronous. Loops are ordered i-p-j so the innermost walks rows of B
 * contiguously (for `transB` the inner loop is a dot product over contiguous rows instead).
 */
export function gemmSync(a: MatrixLike, b: MatrixLike, options: GemmOptions = {}): Matrix {
  const { m, k, n } = gemmShape(a, b, options);
  const out = createMatrix(m, n);
  const c = out.data;
  const A = a.data;
  const B = b.data;
  const ta = options.transA === true;
  const tb = options.transB === true;
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    if (tb) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++)
          s += (ta ? A[p * a.cols + i]! : A[i * a.cols + p]!) * B[j * b.cols + p]!;
        c[ci + j] = s;
      }
    } else {
      for (let p = 0; p < k; p++) {
        const aip = ta ? A[p * a.cols + i]! : A[i * a.cols + p]!;
        if (aip === 0) continue;
        const bp = p * b.cols;
        for (let j = 0; j < n; j++) c[ci + j]! += aip * B[bp + j]!;
      }
    }
  }
  return out;
}

/** Runs a synchronous product as a promise, so a shape error rejects (as with any Gemm) instead of throwing. */
function settle<T>(product: () => T): Promise<T> {
  return new Promise((resolve) => resolve(product()));
}

/** The pure TypeScript {@link Gemm}: exact Float64, no dependencies, fine for small and medium sizes. */
export const jsGemm: Gemm = Object.freeze({
  name: 'js',
  dtype: 'float64',
  gemm: (a: MatrixLike, b: MatrixLike, options?: GemmOptions): Promise<Matrix> =>
    settle(() => gemmSync(a, b, options)),
  // Already float64: the native product is the same exact Float64 matrix.
  gemmNative: (a: MatrixLike, b: MatrixLike, options?: GemmOptions): Promise<MatrixLike> =>
    settle(() => gemmSync(a, b, options)),
});

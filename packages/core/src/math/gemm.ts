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

/** A matrix-product kernel: returns op(A)·op(B) as a new Float64 matrix. */
export interface Gemm {
  /** A short name for logs and benchmarks (`'js'`, `'ort-cpu'`). */
  readonly name: string;
  gemm(a: MatrixLike, b: MatrixLike, options?: GemmOptions): Promise<Matrix>;
}

/** Shape of op(A)·op(B), checking that the inner sizes agree. */
export function gemmShape(a: MatrixLike, b: MatrixLike, options: GemmOptions = {}): { m: number; k: number; n: number } {
  assertMatrix(a, 'a');
  assertMatrix(b, 'b');
  const m = options.transA === true ? a.cols : a.rows;
  const k = options.transA === true ? a.rows : a.cols;
  const kb = options.transB === true ? b.cols : b.rows;
  const n = options.transB === true ? b.rows : b.cols;
  if (k !== kb) throw new RangeError(`gemm inner sizes must agree (op(a) is ${m}×${k}, op(b) is ${kb}×${n})`);
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
        for (let p = 0; p < k; p++) s += (ta ? A[p * a.cols + i]! : A[i * a.cols + p]!) * B[j * b.cols + p]!;
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

/** The pure TypeScript {@link Gemm}: exact Float64, no dependencies, fine for small and medium sizes. */
export const jsGemm: Gemm = Object.freeze({
  name: 'js',
  gemm: (a: MatrixLike, b: MatrixLike, options?: GemmOptions): Promise<Matrix> => Promise.resolve(gemmSync(a, b, options)),
});

import { createMatrix, type Matrix, type MatrixLike } from '@gradeshift/core/math';

/**
 * Added to every row norm before dividing, exactly as the official KNN code does, so an all-zero row maps to zeros
 * instead of NaN.
 * @see https://github.com/deeplearning-wisc/knn-ood (run_cifar.py: `x / (np.linalg.norm(x, ord=2, axis=-1, keepdims=True) + 1e-10)`)
 */
export const L2_NORM_EPSILON = 1e-10;

/**
 * Row-wise L2 normalisation `x / (‖x‖₂ + 1e-10)` into a new Float64 matrix (the input is not mutated).
 * Used by KNN (Sun et al. 2022) and by Mahalanobis++ (Müller & Hein 2025) before the Gaussian fit.
 * @param x - n × d features
 * @returns n × d rows of norm ≈ 1 (exactly 0 for an all-zero row)
 * @see https://arxiv.org/abs/2204.06507
 */
export function l2NormalizeRows(x: MatrixLike): Matrix {
  const { rows, cols, data } = x;
  const out = createMatrix(rows, cols);
  for (let i = 0; i < rows; i++) {
    const off = i * cols;
    // Scale by the largest entry first so the sum of squares cannot overflow or underflow.
    let scale = 0;
    for (let j = 0; j < cols; j++) scale = Math.max(scale, Math.abs(data[off + j] ?? 0));
    if (scale === 0) continue;
    let ss = 0;
    for (let j = 0; j < cols; j++) {
      const v = (data[off + j] ?? 0) / scale;
      ss += v * v;
    }
    const norm = scale * Math.sqrt(ss) + L2_NORM_EPSILON;
    for (let j = 0; j < cols; j++) out.data[off + j] = (data[off + j] ?? 0) / norm;
  }
  return out;
}

/** Squared L2 norm of every row of `x` (n entries). */
export function rowSquaredNorms(x: MatrixLike): Float64Array {
  const out = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    let s = 0;
    for (let j = 0; j < x.cols; j++) {
      const v = x.data[i * x.cols + j] ?? 0;
      s += v * v;
    }
    out[i] = s;
  }
  return out;
}

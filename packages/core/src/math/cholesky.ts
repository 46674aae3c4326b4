/**
 * Cholesky factorisation A = L·Lᵀ of a symmetric positive-definite matrix (Cholesky–Banachiewicz, row by row).
 * A matrix that is not positive definite is reported through the result, never thrown and never NaN:
 * the caller (e.g. the Mahalanobis fitter) decides whether to add shrinkage or give up.
 * @see https://en.wikipedia.org/wiki/Cholesky_decomposition#The_Cholesky%E2%80%93Banachiewicz_and_Cholesky%E2%80%93Crout_algorithms
 * Matches `numpy.linalg.cholesky` (lower factor).
 */
import { assertFinite, assertSquare } from './check';
import { createMatrix, type Matrix, type MatrixLike } from './matrix';

/** The outcome of {@link cholesky}. */
export type CholeskyResult =
  | { ok: true; L: Matrix }
  | { ok: false; error: 'NOT_POSITIVE_DEFINITE'; /** the pivot row where it failed */ row: number };

/**
 * Factorises the symmetric matrix A (only its lower triangle is read).
 * @returns `{ ok: true, L }` with lower-triangular L, or `{ ok: false, error: 'NOT_POSITIVE_DEFINITE', row }`.
 */
export function cholesky(A: MatrixLike): CholeskyResult {
  assertSquare(A, 'A');
  assertFinite(A.data, 'A.data');
  const n = A.rows;
  const L = createMatrix(n, n);
  const a = A.data;
  const l = L.data;
  // Tolerance relative to the largest diagonal entry, so tiny round-off pivots count as not PD.
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, Math.abs(a[i * n + i]!));
  const tol = maxDiag * n * Number.EPSILON;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        if (!(s > tol)) return { ok: false, error: 'NOT_POSITIVE_DEFINITE', row: i };
        l[i * n + i] = Math.sqrt(s);
      } else {
        l[i * n + j] = s / l[j * n + j]!;
      }
    }
  }
  return { ok: true, L };
}

/**
 * Triangular solves for a lower-triangular L (as returned by `cholesky`).
 * Used to whiten vectors for the Mahalanobis distance without forming A⁻¹: ‖L⁻¹(x − μ)‖².
 * Matches `scipy.linalg.solve_triangular(L, b, lower=True)` (and `trans='T'` for the transpose).
 */
import { assertSquare } from './check';
import { createMatrix, type Matrix, type MatrixLike } from './matrix';

/** Solves L·x = b by forward substitution. */
export function solveLower(L: MatrixLike, b: ArrayLike<number>): Float64Array {
  assertSquare(L, 'L');
  const n = L.rows;
  if (b.length !== n) throw new RangeError(`b must have ${n} entries (got ${b.length})`);
  const x = new Float64Array(n);
  const l = L.data;
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * x[k]!;
    x[i] = s / l[i * n + i]!;
  }
  return x;
}

/** Solves Lᵀ·x = b by back substitution. */
export function solveUpperTransposed(L: MatrixLike, b: ArrayLike<number>): Float64Array {
  assertSquare(L, 'L');
  const n = L.rows;
  if (b.length !== n) throw new RangeError(`b must have ${n} entries (got ${b.length})`);
  const x = new Float64Array(n);
  const l = L.data;
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * x[k]!;
    x[i] = s / l[i * n + i]!;
  }
  return x;
}

/**
 * L⁻¹ for a lower-triangular L, column by column (forward substitution on the identity).
 * A whitening matrix W = L⁻¹ lets batch scoring run as one matrix product Z = X·Wᵀ.
 */
export function invertLower(L: MatrixLike): Matrix {
  assertSquare(L, 'L');
  const n = L.rows;
  const W = createMatrix(n, n);
  const l = L.data;
  const w = W.data;
  for (let j = 0; j < n; j++) {
    w[j * n + j] = 1 / l[j * n + j]!;
    for (let i = j + 1; i < n; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= l[i * n + k]! * w[k * n + j]!;
      w[i * n + j] = s / l[i * n + i]!;
    }
  }
  return W;
}

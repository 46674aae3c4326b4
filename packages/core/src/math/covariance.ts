/**
 * Column means and covariance of a data matrix X (n × d), accumulated in Float64.
 * Matches `numpy.cov(X, rowvar=False, ddof=…)` and, with `ddof: 0`, `sklearn.covariance.EmpiricalCovariance`.
 */
import { assertMatrix, assertNonEmpty } from './check';
import { createMatrix, type Matrix, type MatrixLike } from './matrix';

/** Options for {@link covariance}. */
export interface CovarianceOptions {
  /**
   * Delta degrees of freedom: divide by `n − ddof`. 0 is the maximum-likelihood estimate
   * (sklearn `EmpiricalCovariance`), 1 the unbiased one (Bessel's correction, `numpy.cov` default).
   * @default 0
   */
  ddof?: number;
  /** Precomputed column means (length d); computed when absent. */
  means?: ArrayLike<number>;
}

/** Column means of X (n × d). @throws RangeError when X has no rows. */
export function columnMeans(x: MatrixLike): Float64Array {
  assertMatrix(x, 'x');
  assertNonEmpty({ length: x.rows }, 'x (rows)');
  const { rows: n, cols: d, data } = x;
  const out = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[j]! += data[i * d + j]!;
  for (let j = 0; j < d; j++) out[j]! /= n;
  return out;
}

/**
 * The d × d covariance of X's columns.
 * Rows are centred first (two-pass), which avoids the cancellation of the one-pass E[xxᵀ] − μμᵀ formula.
 * @throws RangeError when n − ddof ≤ 0.
 */
export function covariance(x: MatrixLike, options: CovarianceOptions = {}): Matrix {
  const { ddof = 0 } = options;
  assertMatrix(x, 'x');
  const { rows: n, cols: d, data } = x;
  if (n - ddof <= 0)
    throw new RangeError(`covariance needs more than ddof=${ddof} rows (got ${n})`);
  const mu = options.means ?? columnMeans(x);
  if (mu.length !== d) throw new RangeError(`means must have ${d} entries (got ${mu.length})`);
  const out = createMatrix(d, d);
  const c = out.data;
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = data[i * d + j]! - mu[j]!;
    // Upper triangle only; mirrored below.
    for (let a = 0; a < d; a++) {
      const ra = row[a]!;
      if (ra === 0) continue;
      const off = a * d;
      for (let b = a; b < d; b++) c[off + b]! += ra * row[b]!;
    }
  }
  const denom = n - ddof;
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const v = c[a * d + b]! / denom;
      c[a * d + b] = v;
      c[b * d + a] = v;
    }
  }
  return out;
}

/** Trace of a square matrix. */
export function trace(m: MatrixLike): number {
  let t = 0;
  for (let i = 0; i < m.rows; i++) t += m.data[i * m.cols + i]!;
  return t;
}

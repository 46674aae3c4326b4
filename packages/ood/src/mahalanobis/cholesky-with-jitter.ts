import { cholesky, createMatrix, type Matrix, type MatrixLike } from '@gradeshift/core/math';

import { OodError } from '../errors';

/** First relative jitter ε tried after a plain Cholesky fails. */
export const JITTER_START = 1e-10;
/** ε is multiplied by this after each failure. */
export const JITTER_GROWTH = 10;
/** Jittered attempts before giving up: ε runs 1e-10, 1e-9, …, 1 (the average variance). */
export const JITTER_MAX_TRIES = 11;

/** A Cholesky factor and the diagonal jitter that made it possible. */
export interface JitteredCholesky {
  /** Lower-triangular L with A + jitter·I = L·Lᵀ. */
  L: Matrix;
  /** Absolute value added to the diagonal (0 when A was positive definite as given). */
  jitter: number;
}

/**
 * Cholesky of a symmetric positive semi-definite A, retrying with `A + ε·(tr(A)/d)·I` for ε = 1e-10, 1e-9, …
 * so a singular covariance (duplicate or constant features, d > n) still factorises and never yields NaN.
 * The jitter scales with the average variance tr(A)/d, so it means the same for any feature scale; when the
 * trace is 0 (all training features identical) the scale falls back to 1.
 * @param A - symmetric d × d (only its lower triangle is read)
 * @returns L and the absolute jitter applied
 * @throws OodError `NOT_POSITIVE_DEFINITE` after {@link JITTER_MAX_TRIES} jittered attempts (A is then not PSD)
 * @see methods.md §4.8, §8 (jitter retry); GPy/GPflow `jitchol` use the same scheme
 */
export function choleskyWithJitter(A: MatrixLike): JitteredCholesky {
  const plain = cholesky(A);
  if (plain.ok) return { L: plain.L, jitter: 0 };
  const d = A.rows;
  let trace = 0;
  for (let i = 0; i < d; i++) trace += A.data[i * d + i] ?? 0;
  const scale = trace > 0 ? trace / d : 1;
  const work = createMatrix(d, d);
  let eps = JITTER_START;
  let lastRow = plain.row;
  for (let attempt = 0; attempt < JITTER_MAX_TRIES; attempt++, eps *= JITTER_GROWTH) {
    const jitter = eps * scale;
    work.data.set(A.data);
    for (let i = 0; i < d; i++) work.data[i * d + i] = (A.data[i * d + i] ?? 0) + jitter;
    const result = cholesky(work);
    if (result.ok) return { L: result.L, jitter };
    lastRow = result.row;
  }
  throw new OodError(
    'NOT_POSITIVE_DEFINITE',
    `covariance (${d}×${d}) is not positive definite even with jitter ${(eps / JITTER_GROWTH) * scale} (pivot row ${lastRow})`,
  );
}

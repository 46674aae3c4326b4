import { createMatrix, type Matrix, type MatrixLike } from '@gradeshift/core/math';

import { ledoitWolfShrinkage } from './ledoit-wolf';

/**
 * How the tied covariance is regularised before inversion:
 * - `'ledoit-wolf'`: `(1 − δ)·S + δ·(tr(S)/d)·I` with δ from {@link ledoitWolfShrinkage} (sklearn `LedoitWolf`);
 * - `'none'`: the MLE S as is (sklearn `EmpiricalCovariance`), plus only the jitter Cholesky may need;
 * - `{ ridge: λ }`: `S + λ·I`, λ absolute (for a relative ridge pass `λ = r·tr(S)/d`; features are unit-norm
 *   by default, so tr(S) ≤ 1).
 */
export type MahalanobisShrinkage = 'ledoit-wolf' | 'none' | { ridge: number };

/** The regularisation actually applied, as stored in fitted states. */
export type AppliedShrinkage =
  | { method: 'none' }
  | { method: 'ledoit-wolf'; coefficient: number }
  | { method: 'ridge'; lambda: number };

/**
 * Validates a {@link MahalanobisShrinkage} option.
 * @throws TypeError for an unknown value; RangeError for a negative or non-finite ridge
 */
export function assertShrinkageOption(
  shrinkage: unknown,
): asserts shrinkage is MahalanobisShrinkage {
  if (shrinkage === 'ledoit-wolf' || shrinkage === 'none') return;
  if (typeof shrinkage === 'object' && shrinkage !== null && 'ridge' in shrinkage) {
    const { ridge } = shrinkage;
    if (typeof ridge === 'number' && Number.isFinite(ridge) && ridge >= 0) return;
    throw new RangeError(`shrinkage.ridge must be a finite number ≥ 0 (got ${String(ridge)})`);
  }
  throw new TypeError(
    `shrinkage must be 'ledoit-wolf', 'none' or { ridge: λ } (got ${JSON.stringify(shrinkage)})`,
  );
}

/**
 * Applies the chosen shrinkage to S (a new matrix; S is not mutated).
 * @param covariance - S = XᵀX / n (d × d)
 * @param centred - X, for the Ledoit–Wolf coefficient
 * @param shrinkage - the option
 */
export function shrinkCovariance(
  covariance: MatrixLike,
  centred: MatrixLike,
  shrinkage: MahalanobisShrinkage,
): { covariance: Matrix; applied: AppliedShrinkage } {
  const d = covariance.rows;
  const out = createMatrix(d, d);
  out.data.set(covariance.data);
  if (shrinkage === 'none') return { covariance: out, applied: { method: 'none' } };
  if (shrinkage === 'ledoit-wolf') {
    const delta = ledoitWolfShrinkage(centred, covariance);
    let trace = 0;
    for (let i = 0; i < d; i++) trace += covariance.data[i * d + i] ?? 0;
    const target = (delta * trace) / d;
    for (let i = 0; i < out.data.length; i++) out.data[i] = (1 - delta) * (out.data[i] ?? 0);
    for (let i = 0; i < d; i++) out.data[i * d + i] = (out.data[i * d + i] ?? 0) + target;
    return { covariance: out, applied: { method: 'ledoit-wolf', coefficient: delta } };
  }
  for (let i = 0; i < d; i++) out.data[i * d + i] = (out.data[i * d + i] ?? 0) + shrinkage.ridge;
  return { covariance: out, applied: { method: 'ridge', lambda: shrinkage.ridge } };
}

import { gemmSync, matrixFromRows } from '@gradeshift/core/math';
import { describe, expect, it } from 'vitest';

import { isOodError } from '../errors';
import { choleskyWithJitter, JITTER_START } from './cholesky-with-jitter';

describe('choleskyWithJitter', () => {
  it('a positive-definite matrix gets no jitter and L·Lᵀ = A', () => {
    // numpy.linalg.cholesky([[4, 2], [2, 3]]) = [[2, 0], [1, √2]]
    const { L, jitter } = choleskyWithJitter(
      matrixFromRows([
        [4, 2],
        [2, 3],
      ]),
    );
    expect(jitter).toBe(0);
    expect(L.data).toBeDeepCloseTo([2, 0, 1, Math.SQRT2], { abs: 1e-15 });
  });

  it('a singular PSD matrix gets the smallest jitter ε·tr/d that works, and a finite factor', () => {
    // [[1, 1], [1, 1]] has eigenvalues 0 and 2: tr/d = 1, so the first jitter is 1e-10.
    const A = matrixFromRows([
      [1, 1],
      [1, 1],
    ]);
    const { L, jitter } = choleskyWithJitter(A);
    expect(jitter).toBeCloseTo(JITTER_START, 20);
    for (const v of L.data) expect(Number.isFinite(v)).toBe(true);
    const back = gemmSync(L, L, { transB: true });
    expect(back.data).toBeDeepCloseTo([1 + jitter, 1, 1, 1 + jitter], { abs: 1e-12 });
  });

  it('a zero matrix falls back to a unit scale for the jitter', () => {
    const { jitter } = choleskyWithJitter(
      matrixFromRows([
        [0, 0],
        [0, 0],
      ]),
    );
    expect(jitter).toBe(JITTER_START);
  });

  it('gives up on an indefinite matrix after a bounded number of tries with NOT_POSITIVE_DEFINITE', () => {
    let error: unknown;
    try {
      choleskyWithJitter(
        matrixFromRows([
          [1, 0],
          [0, -5],
        ]),
      );
    } catch (e) {
      error = e;
    }
    expect(isOodError(error, 'NOT_POSITIVE_DEFINITE')).toBe(true);
    expect(String(error)).toMatch(/2×2/);
  });
});

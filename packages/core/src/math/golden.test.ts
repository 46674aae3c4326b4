/**
 * Kernels against numpy / scipy. Fixture: tests/fixtures/golden/math.json,
 * written by `/usr/bin/python3 tests/scripts/golden_math.py` (each field names its Python call).
 */
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { cholesky } from './cholesky';
import { columnMeans, covariance } from './covariance';
import { logSumExp } from './log-sum-exp';
import { matrixFromRows } from './matrix';
import { argsort, averageRanks, quantileSorted } from './rank';
import { logSoftmax, softmax } from './softmax';
import { invertLower, solveLower, solveUpperTransposed } from './triangular';

interface MathGolden {
  logits: number[][];
  logsumexp: number[];
  softmax: number[][];
  log_softmax: number[][];
  x: number[][];
  means: number[];
  cov_ddof0: number[][];
  cov_ddof1: number[][];
  cholesky: number[][];
  b: number[];
  solve_lower: number[];
  solve_upper_t: number[];
  inv_lower: number[][];
  ranks_in: number[];
  rankdata_average: number[];
  argsort_stable: number[];
  quantile_in: number[];
  quantiles: Record<string, number>;
}

const golden = JSON.parse(
  readFileSync(new URL('../../../../tests/fixtures/golden/math.json', import.meta.url), 'utf8'),
) as MathGolden;

describe('math kernels vs numpy/scipy', () => {
  const logits = matrixFromRows(golden.logits);

  it('logSumExp matches scipy.special.logsumexp(axis=1), including ±1000 logits', () => {
    const got = golden.logits.map((row) => logSumExp(row));
    expect(got).toBeDeepCloseTo(golden.logsumexp, { abs: 1e-12, rel: 1e-14 });
  });

  it('softmax / logSoftmax match scipy.special.softmax / log_softmax(axis=1)', () => {
    expect(softmax(logits).data).toBeDeepCloseTo(golden.softmax.flat(), { abs: 1e-15, rel: 1e-12 });
    expect(logSoftmax(logits).data).toBeDeepCloseTo(golden.log_softmax.flat(), {
      abs: 1e-12,
      rel: 1e-12,
    });
  });

  it('columnMeans and covariance (ddof 0 and 1) match numpy.mean / numpy.cov', () => {
    const x = matrixFromRows(golden.x);
    expect(columnMeans(x)).toBeDeepCloseTo(golden.means, { abs: 1e-13 });
    expect(covariance(x).data).toBeDeepCloseTo(golden.cov_ddof0.flat(), { abs: 1e-12, rel: 1e-12 });
    expect(covariance(x, { ddof: 1 }).data).toBeDeepCloseTo(golden.cov_ddof1.flat(), {
      abs: 1e-12,
      rel: 1e-12,
    });
  });

  it('cholesky matches numpy.linalg.cholesky; triangular solves match scipy.linalg.solve_triangular', () => {
    const result = cholesky(matrixFromRows(golden.cov_ddof1));
    if (!result.ok) throw new Error('expected a positive-definite matrix');
    expect(result.L.data).toBeDeepCloseTo(golden.cholesky.flat(), { abs: 1e-12, rel: 1e-12 });
    expect(solveLower(result.L, golden.b)).toBeDeepCloseTo(golden.solve_lower, {
      abs: 1e-11,
      rel: 1e-11,
    });
    expect(solveUpperTransposed(result.L, golden.b)).toBeDeepCloseTo(golden.solve_upper_t, {
      abs: 1e-11,
      rel: 1e-11,
    });
    expect(invertLower(result.L).data).toBeDeepCloseTo(golden.inv_lower.flat(), {
      abs: 1e-11,
      rel: 1e-11,
    });
  });

  it('averageRanks matches scipy.stats.rankdata(method="average"); argsort matches numpy stable argsort', () => {
    expect(averageRanks(golden.ranks_in)).toBeDeepCloseTo(golden.rankdata_average);
    expect(Array.from(argsort(golden.ranks_in))).toEqual(golden.argsort_stable);
  });

  it('quantileSorted matches numpy.quantile (linear)', () => {
    for (const [q, want] of Object.entries(golden.quantiles)) {
      expect(quantileSorted(golden.quantile_in, Number(q))).toBeCloseTo(want, 14);
    }
  });
});

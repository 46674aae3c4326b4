import { createRng, gemmSync, matrixFromRows, type Matrix } from '@gradeshift/core/math';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { ledoitWolfShrinkage } from './ledoit-wolf';

function empirical(x: Matrix): Matrix {
  const s = gemmSync(x, x, { transA: true });
  for (let i = 0; i < s.data.length; i++) s.data[i]! /= x.rows;
  return s;
}

describe('ledoitWolfShrinkage', () => {
  it('is 0 for a single feature, as sklearn.covariance.ledoit_wolf_shrinkage', () => {
    const x = matrixFromRows([[1], [-2], [1]]);
    expect(ledoitWolfShrinkage(x, empirical(x))).toBe(0);
  });

  it('hand-worked cases', () => {
    // X = [[2, 0], [0, 0]]: S = diag(2, 0), μ = 1, ‖S‖² = 4, Σ‖x‖⁴/n = 8 → β = (8 − 4)/(2·2) = 1, δ₀ = (4 − 4 + 2)/2 = 1
    // → δ = 1; sklearn.covariance.ledoit_wolf_shrinkage([[2, 0], [0, 0]], assume_centered=True) = 1.0
    const w = matrixFromRows([
      [2, 0],
      [0, 0],
    ]);
    expect(ledoitWolfShrinkage(w, empirical(w))).toBe(1);
    // S = diag(1, 0), μ = 1/2, ‖S‖² = 1, Σ‖x‖⁴/n = 1 → β = (1 − 1)/(2·2) = 0 → δ = 0
    const x = matrixFromRows([
      [1, 0],
      [-1, 0],
    ]);
    expect(ledoitWolfShrinkage(x, empirical(x))).toBe(0);
    // X = [[1, 0], [0, 1], [−1, 0], [0, −1]]: S = I/2 = μI already, so δ₀ = 0 and the coefficient is 0.
    const y = matrixFromRows([
      [1, 0],
      [0, 1],
      [-1, 0],
      [0, -1],
    ]);
    expect(ledoitWolfShrinkage(y, empirical(y))).toBe(0);
  });

  it('stays in [0, 1] (fast-check, seeded)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 12 }),
        (seed, n, d) => {
          const rng = createRng(seed);
          const x = matrixFromRows(
            Array.from({ length: n }, () =>
              Array.from({ length: d }, () => rng.normal() * (1 + rng.next() * 10)),
            ),
          );
          const delta = ledoitWolfShrinkage(x, empirical(x));
          expect(delta >= 0 && delta <= 1).toBe(true);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});

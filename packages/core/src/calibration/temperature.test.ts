import { describe, expect, it } from 'vitest';

import { matrixFromRows } from '../math/matrix';
import { fitTemperature, temperatureNll } from './temperature';

/*
 * Reference: SciPy 1.17.1 / NumPy 2.4.6, the same logits and labels:
 *   import numpy as np; from scipy.optimize import minimize_scalar; from scipy.special import logsumexp
 *   rng = np.random.default_rng(7); z = np.round(rng.normal(0, 3, (12, 3)), 3); y = rng.integers(0, 3, 12)
 *   nll = lambda lt: np.mean(logsumexp(z / np.exp(lt), axis=1) - (z / np.exp(lt))[np.arange(12), y])
 *   r = minimize_scalar(nll, bounds=(np.log(0.05), np.log(20)), method='bounded', options={'xatol': 1e-12})
 *   np.exp(r.x), nll(0.0), r.fun  # 7.606005085195387, 1.7589094746931513, 1.0697447735076844
 */
const Z = [
  [0.004, 0.896, -0.822],
  [-2.672, -1.364, -2.975],
  [0.18, 4.021, -1.477],
  [-1.861, 1.47, 1.071],
  [0.316, -2.791, -0.088],
  [2.086, -4.033, -1.373],
  [-5.704, -3.869, -5.525],
  [-0.705, -3.802, 0.814],
  [0.47, -0.561, -7.55],
  [-1.616, -0.146, 0.34],
  [-4.59, -1.433, -2.936],
  [-2.427, 3.183, -2.423],
];
const Y = [1, 0, 1, 2, 1, 0, 1, 0, 2, 2, 0, 1];

describe('fitTemperature', () => {
  it('matches scipy.optimize.minimize_scalar on the same logits', () => {
    const fit = fitTemperature(matrixFromRows(Z), Y);
    expect(fit.temperature).toBeCloseTo(7.606005085195387, 5);
    expect(fit.nllBefore).toBeCloseTo(1.7589094746931513, 12);
    expect(fit.nllAfter).toBeCloseTo(1.0697447735076844, 10);
  });

  it('finds T < 1 for an under-confident model and never raises the NLL', () => {
    const z = matrixFromRows([
      [0.3, 0, 0],
      [0, 0.3, 0],
      [0, 0, 0.3],
      [0.3, 0, 0],
    ]);
    const fit = fitTemperature(z, [0, 1, 2, 0]);
    expect(fit.temperature).toBeLessThan(1);
    expect(fit.nllAfter).toBeLessThanOrEqual(fit.nllBefore);
  });

  it('rejects bad input with a reason', () => {
    expect(() => fitTemperature(matrixFromRows(Z), Y.slice(1))).toThrow(/labels/);
    expect(() => fitTemperature(matrixFromRows(Z), Y, { bounds: [2, 1] })).toThrow(/bounds/);
    expect(() => temperatureNll(matrixFromRows(Z), Y, 0)).toThrow(/temperature/);
    expect(() => fitTemperature(matrixFromRows([[Number.NaN, 0, 0]]), [0])).toThrow(/finite/);
  });
});

import { describe, expect, it } from 'vitest';

import { wilsonInterval } from './wilson';

// Reference: SciPy, `binomtest(k, n).proportion_ci(confidence_level=0.95, method='wilson')`.
describe('wilsonInterval', () => {
  it('matches SciPy', () => {
    const a = wilsonInterval(115 / 207, 207);
    expect(a?.lo).toBeCloseTo(0.4874635118565988, 6);
    expect(a?.hi).toBeCloseTo(0.6216231930478663, 6);
    const b = wilsonInterval(0, 10);
    expect(b?.lo).toBe(0);
    expect(b?.hi).toBeCloseTo(0.27753279986288926, 6);
  });

  it('has no interval without pairs', () => {
    expect(wilsonInterval(0.5, 0)).toBeNull();
  });
});

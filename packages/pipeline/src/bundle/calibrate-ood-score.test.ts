import { describe, expect, it } from 'vitest';

import { calibrateOodScore } from './calibrate-ood-score';

describe('calibrateOodScore', () => {
  it('stores the sorted held-out scores and the threshold at the TPR', () => {
    // Hand-worked: 20 held-out scores 1…20; keeping 95% of them keeps ceil(0.95·20) = 19, so the threshold is 19.
    const held = Array.from({ length: 20 }, (_, i) => 20 - i);
    const entry = calibrateOodScore({
      source: { kind: 'graph', output: 'ood_energy' },
      heldOutIdScores: held,
      settings: { temperature: 1 },
    });
    expect(entry.calibration).toEqual({
      kind: 'percentile-calibration',
      version: 1,
      sorted: [...held].reverse(),
    });
    expect(entry.threshold).toEqual({ tpr: 0.95, value: 19 });
    expect(entry.settings).toEqual({ temperature: 1 });
    expect(
      calibrateOodScore({ source: { kind: 'graph', output: 'x' }, heldOutIdScores: held, tpr: 0.5 })
        .threshold.value,
    ).toBe(10);
  });

  it('rejects empty or non-finite held-out scores', () => {
    const source = { kind: 'graph', output: 'ood_energy' } as const;
    expect(() => calibrateOodScore({ source, heldOutIdScores: [] })).toThrow('must not be empty');
    expect(() => calibrateOodScore({ source, heldOutIdScores: [1, Number.NaN] })).toThrow(
      'must be finite',
    );
  });
});

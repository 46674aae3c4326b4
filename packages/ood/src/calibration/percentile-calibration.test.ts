import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { isOodError } from '../errors';
import {
  fitPercentileCalibration,
  loadPercentileCalibration,
  type PercentileCalibrationState,
} from './percentile-calibration';

const GOLDEN = JSON.parse(
  readFileSync(
    new URL('../../../../tests/fixtures/golden/ood-metrics.json', import.meta.url),
    'utf8',
  ),
) as { calibration: { held_out: number[]; queries: number[]; percentiles: number[] } };

describe('fitPercentileCalibration', () => {
  it('is the right-continuous ECDF: numpy.searchsorted(sorted, q, side="right") / n', () => {
    const { held_out, queries, percentiles } = GOLDEN.calibration;
    const cal = fitPercentileCalibration(held_out);
    expect(cal.percentiles(queries)).toBeDeepCloseTo(percentiles, { abs: 0, rel: 0 });
    expect(queries.map((q) => cal.percentile(q))).toEqual(percentiles);
  });

  it('counts held-out scores tied with the query as below it', () => {
    // {1, 2, 2, 4}: three of four are ≤ 2
    const cal = fitPercentileCalibration([4, 2, 1, 2]);
    expect(cal.percentile(2)).toBe(0.75);
    expect(cal.percentile(4)).toBe(1);
    expect(cal.percentile(0.999)).toBe(0);
  });

  it('is monotone and within [0, 1] (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 }),
        fc.double({ min: -2e6, max: 2e6, noNaN: true }),
        fc.double({ min: -2e6, max: 2e6, noNaN: true }),
        (ref, a, b) => {
          const cal = fitPercentileCalibration(ref);
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          expect(cal.percentile(lo)).toBeLessThanOrEqual(cal.percentile(hi));
          expect(cal.percentile(lo)).toBeGreaterThanOrEqual(0);
          expect(cal.percentile(hi)).toBeLessThanOrEqual(1);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it('does not keep or mutate the input, and round-trips through JSON', () => {
    const input = [3, 1, 2];
    const cal = fitPercentileCalibration(input);
    input[0] = 100;
    expect(input).toEqual([100, 1, 2]);
    expect(cal.percentile(2.5)).toBeCloseTo(2 / 3, 15);
    const state = JSON.parse(JSON.stringify(cal)) as PercentileCalibrationState;
    expect(state).toEqual({ kind: 'percentile-calibration', version: 1, sorted: [1, 2, 3] });
    expect(loadPercentileCalibration(state).percentile(2.5)).toBeCloseTo(2 / 3, 15);
  });

  it('refuses other versions and malformed states', () => {
    const bad = (s: unknown): unknown => {
      try {
        loadPercentileCalibration(s as PercentileCalibrationState);
      } catch (e) {
        return isOodError(e) ? e.code : e;
      }
      return 'no error';
    };
    expect(bad({ kind: 'percentile-calibration', version: 2, sorted: [1] })).toBe(
      'VERSION_MISMATCH',
    );
    expect(bad({ kind: 'knn', version: 1, sorted: [1] })).toBe('INVALID_STATE');
    expect(bad({ kind: 'percentile-calibration', version: 1, sorted: [] })).toBe('INVALID_STATE');
    expect(bad({ kind: 'percentile-calibration', version: 1, sorted: [2, 1] })).toBe(
      'INVALID_STATE',
    );
    expect(bad({ kind: 'percentile-calibration', version: 1, sorted: [1, null] })).toBe(
      'INVALID_STATE',
    );
  });

  it('rejects bad input', () => {
    expect(() => fitPercentileCalibration([])).toThrow('heldOutIdScores must not be empty');
    expect(() => fitPercentileCalibration([0, Number.NaN])).toThrow(
      'heldOutIdScores[1] must be finite',
    );
    const cal = fitPercentileCalibration([1]);
    expect(() => cal.percentile(Number.NaN)).toThrow('score must be a finite number');
    expect(() => cal.percentiles([0, -Infinity])).toThrow('scores[1] must be finite');
  });
});

import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { createRng } from '../math/prng';
import { createMatrix, matrixFromRows } from '../math/matrix';
import { classwiseCalibrationError, expectedCalibrationError } from './calibration';
import { brierScore, negativeLogLikelihood } from './proper-scores';

interface CalibrationCase {
  k: number;
  bins: number;
  probs: number[][];
  labels: number[];
  ece: number;
  mce: number;
  bin_table: {
    lower: number;
    upper: number;
    count: number;
    meanConfidence: number;
    accuracy: number;
  }[];
  classwise: number[];
  classwise_mean: number;
  brier: number;
  nll: number;
  sklearn_log_loss: number | null;
}

const golden = JSON.parse(
  readFileSync(new URL('../../../../tests/fixtures/golden/metrics.json', import.meta.url), 'utf8'),
) as { calibration: CalibrationCase[] };

const TOL = { abs: 1e-14, rel: 1e-13 };

describe('calibration (golden: numpy reference in tests/scripts/golden_metrics.py)', () => {
  golden.calibration.forEach((c, ci) => {
    const probs = matrixFromRows(c.probs);
    it(`case ${ci} (K = ${c.k}, M = ${c.bins}): ECE, MCE and the reliability bins`, () => {
      const r = expectedCalibrationError(probs, c.labels, { bins: c.bins });
      expect(r.ece).toBeCloseTo(c.ece, 14);
      expect(r.mce).toBeCloseTo(c.mce, 14);
      expect(r.bins).toBeDeepCloseTo(c.bin_table, TOL);
    });
    it(`case ${ci}: classwise ECE`, () => {
      const r = classwiseCalibrationError(probs, c.labels, { bins: c.bins });
      expect(r.perClass).toBeDeepCloseTo(c.classwise, TOL);
      expect(r.ece).toBeCloseTo(c.classwise_mean, 14);
    });
    it(`case ${ci}: Brier score and NLL (numpy; sklearn.metrics.log_loss where no p < 1e-12)`, () => {
      expect(brierScore(probs, c.labels)).toBeCloseTo(c.brier, 14);
      expect(negativeLogLikelihood(probs, c.labels)).toBeCloseTo(c.nll, 13);
      if (c.sklearn_log_loss !== null)
        expect(negativeLogLikelihood(probs, c.labels)).toBeCloseTo(c.sklearn_log_loss, 12);
    });
  });

  it('bins confidences that sit exactly on an edge into the lower bin, like the numpy reference', () => {
    const c = golden.calibration[0]!; // M = 5, rows 0–2 have confidences 0.6, 0.4, 0.8
    expect(c.bins).toBe(5);
    const r = expectedCalibrationError(matrixFromRows(c.probs.slice(0, 3)), c.labels.slice(0, 3), {
      bins: 5,
    });
    expect(r.bins.map((b) => b.count)).toEqual([0, 1, 1, 1, 0]);
  });

  it('puts a confidence equal to a numpy.linspace edge into the bin it closes, even when conf·M rounds up', () => {
    // numpy.linspace(0, 1, 6)[3] = 0.6000000000000001 and 0.6000000000000001·5 = 3.0000000000000004, so a naive
    // ceil(conf·M) − 1 would pick bin 3; the edge belongs to (0.4, 0.6000000000000001], bin 2.
    const r5 = expectedCalibrationError(
      matrixFromRows([[0.6000000000000001, 0.3999999999999999]]),
      [0],
      { bins: 5 },
    );
    expect(r5.bins.map((b) => b.count)).toEqual([0, 0, 1, 0, 0]);
    // numpy.linspace(0, 1, 11)[3] = 0.30000000000000004 and [7] = 0.7000000000000001 → bins 2 and 6.
    const probs = matrixFromRows([
      [0.30000000000000004, 0.25, 0.25, 0.2],
      [0.7000000000000001, 0.1, 0.1, 0.09999999999999998],
    ]);
    const r10 = expectedCalibrationError(probs, [0, 1], { bins: 10 });
    expect(r10.bins.map((b) => b.count)).toEqual([0, 0, 1, 0, 0, 0, 1, 0, 0, 0]);
    // One ulp above the edge 1/3 = 0.3333333333333333: 0.33333333333333337·3 rounds to exactly 1, so the naive
    // guess is bin 0, but the value lies in (1/3, 2/3], bin 1.
    const third = matrixFromRows([[0.33333333333333337, 0.3333333333333333, 0.3333333333333333]]);
    expect(expectedCalibrationError(third, [0], { bins: 3 }).bins.map((b) => b.count)).toEqual([
      0, 1, 0,
    ]);
  });

  it('defaults to 15 bins (Guo et al. 2017)', () => {
    const c = golden.calibration[1]!;
    expect(c.bins).toBe(15);
    expect(expectedCalibrationError(matrixFromRows(c.probs), c.labels).ece).toBeCloseTo(c.ece, 14);
  });
});

describe('properties', () => {
  it('ECE of perfectly calibrated bins is 0', () => {
    // Each bin holds 10 samples of confidence c whose accuracy is exactly c (c = 0.6, 0.7, 0.9, 1.0).
    const rows: number[][] = [];
    const labels: number[] = [];
    for (const [conf, hits] of [
      [0.6, 6],
      [0.7, 7],
      [0.9, 9],
      [1.0, 10],
    ] as const) {
      for (let i = 0; i < 10; i++) {
        rows.push([conf, 1 - conf]);
        labels.push(i < hits ? 0 : 1);
      }
    }
    const r = expectedCalibrationError(matrixFromRows(rows), labels, { bins: 10 });
    expect(r.ece).toBeCloseTo(0, 14);
    expect(r.mce).toBeCloseTo(0, 14);
  });

  it('ECE and classwise ECE lie in [0, 1], the bin counts sum to n, Brier in [0, 2]', () => {
    const rng = createRng(42);
    for (let run = 0; run < 50; run++) {
      const k = 2 + rng.int(4);
      const n = 1 + rng.int(40);
      const probs = createMatrix(n, k);
      const labels = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let c = 0; c < k; c++) s += probs.data[i * k + c] = rng.next() + 1e-3;
        for (let c = 0; c < k; c++) probs.data[i * k + c]! /= s;
        labels[i] = rng.int(k);
      }
      const e = expectedCalibrationError(probs, labels, { bins: 1 + rng.int(20) });
      expect(e.ece).toBeGreaterThanOrEqual(0);
      expect(e.ece).toBeLessThanOrEqual(e.mce + 1e-15);
      expect(e.mce).toBeLessThanOrEqual(1);
      expect(e.bins.reduce((s, b) => s + b.count, 0)).toBe(n);
      const cw = classwiseCalibrationError(probs, labels).ece;
      expect(cw >= 0 && cw <= 1).toBe(true);
      const b = brierScore(probs, labels);
      expect(b >= 0 && b <= 2).toBe(true);
    }
  });

  it('gives Brier 0 and NLL 0 for confident correct predictions, and NLL −log(eps) for a confident miss', () => {
    const probs = matrixFromRows([
      [1, 0, 0],
      [0, 0, 1],
    ]);
    expect(brierScore(probs, [0, 2])).toBe(0);
    expect(negativeLogLikelihood(probs, [0, 2])).toBe(0);
    // Miss on row 1: NLL = (0 + −log 1e-15)/2; Brier = (0 + 2)/2.
    expect(negativeLogLikelihood(probs, [0, 1])).toBeCloseTo(-Math.log(1e-15) / 2, 13);
    expect(brierScore(probs, [0, 1])).toBe(1);
  });
});

describe('bad input', () => {
  const probs = matrixFromRows([
    [0.5, 0.5],
    [0.9, 0.1],
  ]);
  it('rejects lengths that disagree, naming both sizes', () => {
    expect(() => expectedCalibrationError(probs, [0])).toThrow(
      new RangeError('labels and probs rows must have the same length (got 1 and 2)'),
    );
    expect(() => brierScore(probs, [0, 1, 1])).toThrow(/got 3 and 2/);
  });
  it('rejects probabilities outside [0, 1], NaN, grades out of range, bad bins and bad eps', () => {
    expect(() =>
      expectedCalibrationError(
        matrixFromRows([
          [1.5, -0.5],
          [0.9, 0.1],
        ]),
        [0, 1],
      ),
    ).toThrow(/probs\[0\]\[0\] must be a probability in \[0, 1\] \(got 1.5\)/);
    expect(() =>
      classwiseCalibrationError(
        matrixFromRows([
          [Number.NaN, 0.5],
          [0.9, 0.1],
        ]),
        [0, 1],
      ),
    ).toThrow(/probs.data\[0\] must be finite/);
    expect(() => negativeLogLikelihood(probs, [0, 2])).toThrow(
      /labels\[1\] must be an integer grade in \[0, 1\] \(got 2\)/,
    );
    expect(() => expectedCalibrationError(probs, [0, 1], { bins: 0 })).toThrow(
      /options.bins must be an integer/,
    );
    expect(() => negativeLogLikelihood(probs, [0, 1], { eps: 0 })).toThrow(
      /options.eps must be in \(0, 1\)/,
    );
  });
  it('rejects a malformed matrix', () => {
    expect(() => brierScore({ rows: 2, cols: 2, data: new Float64Array(3) }, [0, 1])).toThrow(
      /probs.data must have rows\*cols = 4 entries \(got 3\)/,
    );
  });
});

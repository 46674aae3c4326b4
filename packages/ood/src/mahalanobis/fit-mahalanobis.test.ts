import { readFileSync } from 'node:fs';

import { createRng, gemmSync, matrixFromRows, type Matrix } from '@gradeshift/core/math';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { isOodError } from '../errors';
import { fitMahalanobis } from './fit-mahalanobis';

interface MahalanobisCase {
  shrinkage: 'none' | 'ledoit-wolf';
  normalize: boolean;
  ledoitWolfCoefficient: number | null;
  means: number[][];
  precision: number[][];
  classDistances: number[][];
  scores: number[];
  trainOwnClassMean: number;
}
interface Golden {
  train: number[][];
  labels: number[];
  queries: number[][];
  mahalanobis: MahalanobisCase[];
  mahalanobisRidge: { lambda: number; classDistances: number[][]; scores: number[] };
}
const golden = JSON.parse(
  readFileSync(
    new URL('../../../../tests/fixtures/golden/detectors.json', import.meta.url),
    'utf8',
  ),
) as Golden;
const train = matrixFromRows(golden.train);
const queries = matrixFromRows(golden.queries);
const labels = golden.labels;

/** n × d standard-normal features with labels 0..k−1 repeated. */
function randomData(
  seed: number,
  n: number,
  d: number,
  k = 3,
): { features: Matrix; labels: number[] } {
  const rng = createRng(seed);
  const rows = Array.from({ length: n }, (_, i) =>
    Array.from({ length: d }, () => rng.normal() + (i % k)),
  );
  return { features: matrixFromRows(rows), labels: Array.from({ length: n }, (_, i) => i % k) };
}

function expectFinite(values: Float64Array): void {
  for (const v of values) expect(Number.isFinite(v)).toBe(true);
}

describe('fitMahalanobis vs sklearn (tests/scripts/golden_detectors.py)', () => {
  for (const c of golden.mahalanobis) {
    const name = `${c.shrinkage}, normalize=${String(c.normalize)}`;
    it(`${name}: class distances and scores = ${c.shrinkage === 'none' ? 'EmpiricalCovariance' : 'LedoitWolf'}(assume_centered=True).fit(class-centred).mahalanobis(q − μ_c)`, async () => {
      const detector = await fitMahalanobis(
        { features: train, labels },
        { shrinkage: c.shrinkage, normalize: c.normalize },
      );
      const distances = await detector.classDistances({ features: queries });
      expect(
        Array.from({ length: distances.rows }, (_, i) =>
          Array.from(distances.data.subarray(i * 3, i * 3 + 3)),
        ),
      ).toBeDeepCloseTo(c.classDistances, { abs: 1e-9, rel: 1e-9 });
      expect(await detector.score({ features: queries })).toBeDeepCloseTo(c.scores, {
        abs: 1e-9,
        rel: 1e-9,
      });
    });

    it(`${name}: means, precision WᵀW = covariance_⁻¹ (precision_) and shrinkage_`, async () => {
      const detector = await fitMahalanobis(
        { features: train, labels },
        { shrinkage: c.shrinkage, normalize: c.normalize },
      );
      const { means, whitening, shrinkage, jitter } = detector.stats;
      expect(means.data).toBeDeepCloseTo(c.means.flat(), { abs: 1e-12, rel: 1e-12 });
      const precision = gemmSync(whitening, whitening, { transA: true });
      expect(precision.data).toBeDeepCloseTo(c.precision.flat(), { abs: 1e-9, rel: 1e-9 });
      expect(jitter).toBe(0);
      if (c.ledoitWolfCoefficient === null) expect(shrinkage).toEqual({ method: 'none' });
      else
        expect(shrinkage).toBeDeepCloseTo(
          { method: 'ledoit-wolf', coefficient: c.ledoitWolfCoefficient },
          { abs: 1e-13, rel: 1e-12 },
        );
    });
  }

  it('ridge: S + λI, scores = (q − μ_c)ᵀ(S + λI)⁻¹(q − μ_c) via numpy.linalg.solve', async () => {
    const { lambda, classDistances, scores } = golden.mahalanobisRidge;
    const detector = await fitMahalanobis(
      { features: train, labels },
      { shrinkage: { ridge: lambda }, normalize: false },
    );
    const distances = await detector.classDistances({ features: queries });
    expect(distances.data).toBeDeepCloseTo(classDistances.flat(), { abs: 1e-9, rel: 1e-9 });
    expect(await detector.score({ features: queries })).toBeDeepCloseTo(scores, {
      abs: 1e-9,
      rel: 1e-9,
    });
    expect(detector.stats.shrinkage).toEqual({ method: 'ridge', lambda });
  });
});

describe('fitMahalanobis properties', () => {
  it('the mean own-class MD over the (unshrunk) training points is d (tr(Σ⁻¹S) = d); sklearn gives the same', async () => {
    const detector = await fitMahalanobis(
      { features: train, labels },
      { shrinkage: 'none', normalize: false },
    );
    const distances = await detector.classDistances({ features: train });
    let total = 0;
    labels.forEach((y, i) => (total += distances.data[i * 3 + y]!));
    expect(total / labels.length).toBeCloseTo(5, 10);
    expect(golden.mahalanobis[0]!.trainOwnClassMean).toBeCloseTo(5, 10);
  });

  it('all distances are ≥ 0 and finite, for any shrinkage and normalisation', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 3, max: 20 }),
        fc.constantFrom<'none' | 'ledoit-wolf'>('none', 'ledoit-wolf'),
        fc.boolean(),
        async (seed, d, n, shrinkage, normalize) => {
          const data = randomData(seed, n, d);
          const detector = await fitMahalanobis(data, { shrinkage, normalize });
          const probe = randomData(seed + 1, 5, d).features;
          const distances = await detector.classDistances({ features: probe });
          for (const v of distances.data) expect(v >= 0 && Number.isFinite(v)).toBe(true);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it('scores do not depend on the order of the training rows', async () => {
    const data = randomData(7, 40, 4);
    const order = Array.from({ length: 40 }, (_, i) => (i * 17) % 40);
    const shuffled = {
      features: matrixFromRows(
        order.map((i) => Array.from(data.features.data.subarray(i * 4, i * 4 + 4))),
      ),
      labels: order.map((i) => data.labels[i]!),
    };
    const probe = randomData(8, 10, 4).features;
    const a = await (await fitMahalanobis(data)).score({ features: probe });
    const b = await (await fitMahalanobis(shuffled)).score({ features: probe });
    expect(b).toBeDeepCloseTo(a, { abs: 1e-10, rel: 1e-10 });
  });
});

describe('fitMahalanobis on singular covariances (jitter retry, never NaN)', () => {
  const cases: [string, () => { features: Matrix; labels: number[] }][] = [
    [
      'duplicate feature columns',
      () => {
        const base = randomData(1, 30, 3);
        return {
          features: matrixFromRows(
            Array.from({ length: 30 }, (_, i) => {
              const r = Array.from(base.features.data.subarray(i * 3, i * 3 + 3));
              return [...r, r[0]!];
            }),
          ),
          labels: base.labels,
        };
      },
    ],
    ['d > n', () => randomData(2, 6, 12)],
    [
      'a constant column',
      () => {
        const base = randomData(3, 30, 3);
        return {
          features: matrixFromRows(
            Array.from({ length: 30 }, (_, i) => [
              ...Array.from(base.features.data.subarray(i * 3, i * 3 + 3)),
              4,
            ]),
          ),
          labels: base.labels,
        };
      },
    ],
    ['one row per class (zero covariance)', () => randomData(4, 3, 4)],
  ];
  for (const [name, make] of cases) {
    it(`${name}: shrinkage 'none' needs jitter and still scores finitely`, async () => {
      const data = make();
      const detector = await fitMahalanobis(data, { shrinkage: 'none', normalize: false });
      expect(detector.stats.jitter).toBeGreaterThan(0);
      const probe = randomData(9, 6, data.features.cols).features;
      expectFinite(await detector.score({ features: probe }));
      expectFinite(await detector.score({ features: data.features }));
      const lw = await fitMahalanobis(data);
      expectFinite(await lw.score({ features: probe }));
    });
  }
});

describe('fitMahalanobis errors', () => {
  it('rejects NaN/Infinity features with a RangeError, at fit and at score', async () => {
    const data = randomData(5, 12, 2);
    const bad = { rows: 1, cols: 2, data: Float64Array.from([1, Number.NaN]) };
    await expect(fitMahalanobis({ features: bad, labels: [0] })).rejects.toThrow(RangeError);
    const detector = await fitMahalanobis(data);
    await expect(
      detector.score({ features: { rows: 1, cols: 2, data: Float64Array.from([Infinity, 0]) } }),
    ).rejects.toThrow(/features\.data\[0\] must be finite/);
  });

  it('a dimension mismatch is an OodError SHAPE_MISMATCH naming both sizes', async () => {
    const detector = await fitMahalanobis(randomData(5, 12, 2));
    const error: unknown = await detector
      .score({ features: matrixFromRows([[1, 2, 3]]) })
      .catch((e: unknown) => e);
    expect(isOodError(error, 'SHAPE_MISMATCH')).toBe(true);
    expect(String(error)).toMatch(/2 columns.*got 3/);
  });

  it('missing labels, an empty class and a bad shrinkage option are refused', async () => {
    const { features } = randomData(5, 6, 2);
    await expect(fitMahalanobis({ features })).rejects.toThrow(/labels/);
    const error: unknown = await fitMahalanobis({ features, labels: [0, 0, 2, 2, 0, 2] }).catch(
      (e: unknown) => e,
    );
    expect(isOodError(error, 'INSUFFICIENT_DATA')).toBe(true);
    expect(String(error)).toMatch(/class 1/);
    await expect(
      fitMahalanobis({ features, labels: [0, 1, 0, 1, 0, 1] }, { shrinkage: { ridge: -1 } }),
    ).rejects.toThrow(RangeError);
    await expect(fitMahalanobis({ features, labels: [0, 1, 0, 1, 0, 1.5] })).rejects.toThrow(
      /labels\[5\]/,
    );
  });
});

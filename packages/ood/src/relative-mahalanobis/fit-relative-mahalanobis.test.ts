import { readFileSync } from 'node:fs';

import { matrixFromRows } from '@gradeshift/core/math';
import { describe, expect, it } from 'vitest';

import { fitMahalanobis } from '../mahalanobis/fit-mahalanobis';
import { fitRelativeMahalanobis } from './fit-relative-mahalanobis';

interface Golden {
  train: number[][];
  labels: number[];
  queries: number[][];
  relativeMahalanobis: {
    shrinkage: 'none' | 'ledoit-wolf';
    backgroundMean: number[];
    backgroundLedoitWolfCoefficient: number | null;
    backgroundDistances: number[];
    scores: number[];
  }[];
}
const golden = JSON.parse(
  readFileSync(
    new URL('../../../../tests/fixtures/golden/detectors.json', import.meta.url),
    'utf8',
  ),
) as Golden;
const train = matrixFromRows(golden.train);
const queries = matrixFromRows(golden.queries);
const { labels } = golden;

describe('fitRelativeMahalanobis vs google/uncertainty-baselines rmaha (tests/scripts/golden_detectors.py)', () => {
  for (const c of golden.relativeMahalanobis) {
    const model = c.shrinkage === 'none' ? 'EmpiricalCovariance()' : 'LedoitWolf()';
    it(`${c.shrinkage}: MD₀ = ${model}.fit(train).mahalanobis(q); score = min_c MD_c − MD₀`, async () => {
      const detector = await fitRelativeMahalanobis(
        { features: train, labels },
        { shrinkage: c.shrinkage, normalize: false },
      );
      const { backgroundDistances } = await detector.distances({ features: queries });
      expect(backgroundDistances).toBeDeepCloseTo(c.backgroundDistances, { abs: 1e-9, rel: 1e-9 });
      expect(await detector.score({ features: queries })).toBeDeepCloseTo(c.scores, {
        abs: 1e-9,
        rel: 1e-9,
      });
      const state = detector.toJSON();
      expect(state.background.means).toBeDeepCloseTo(c.backgroundMean, { abs: 1e-13, rel: 1e-12 });
      if (c.backgroundLedoitWolfCoefficient === null)
        expect(state.background.shrinkage).toEqual({ method: 'none' });
      else
        expect(state.background.shrinkage).toBeDeepCloseTo(
          { method: 'ledoit-wolf', coefficient: c.backgroundLedoitWolfCoefficient },
          { abs: 1e-13, rel: 1e-12 },
        );
    });
  }

  it('its class part is exactly the Mahalanobis detector', async () => {
    const options = { shrinkage: 'ledoit-wolf', normalize: true } as const;
    const rmd = await fitRelativeMahalanobis({ features: train, labels }, options);
    const md = await fitMahalanobis({ features: train, labels }, options);
    const { classDistances } = await rmd.distances({ features: queries });
    expect(classDistances).toEqual(await md.classDistances({ features: queries }));
  });

  it('scores do not depend on the order of the training rows', async () => {
    const order = labels.map((_, i) => (i * 7) % labels.length);
    const shuffled = {
      features: matrixFromRows(order.map((i) => golden.train[i]!)),
      labels: order.map((i) => labels[i]!),
    };
    const a = await (
      await fitRelativeMahalanobis({ features: train, labels })
    ).score({ features: queries });
    const b = await (await fitRelativeMahalanobis(shuffled)).score({ features: queries });
    expect(b).toBeDeepCloseTo(a, { abs: 1e-10, rel: 1e-10 });
  });

  it('a singular background covariance (duplicate columns, shrinkage none) still scores finitely', async () => {
    const features = matrixFromRows(golden.train.map((r) => [...r, r[0]!]));
    const detector = await fitRelativeMahalanobis(
      { features, labels },
      { shrinkage: 'none', normalize: false },
    );
    expect(detector.toJSON().background.jitter).toBeGreaterThan(0);
    for (const v of await detector.score({
      features: matrixFromRows(golden.queries.map((r) => [...r, r[1]!])),
    })) {
      expect(Number.isFinite(v)).toBe(true);
    }
  });
});

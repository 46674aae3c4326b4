import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { createRng } from '../math/prng';
import { accuracy } from './classification';
import { bootstrapByQuery, bootstrapQueryMeans, gather } from './bootstrap';
import { meanNdcg } from './ndcg';

interface BootstrapGolden {
  values: number[];
  weights: number[];
  resamples: number;
  level: number;
  seed: number;
  estimate: number;
  first_draws: number[];
  lower: number;
  upper: number;
  standard_error: number;
}

const golden = JSON.parse(
  readFileSync(new URL('../../../../tests/fixtures/golden/metrics.json', import.meta.url), 'utf8'),
) as { bootstrap: BootstrapGolden };

const TOL = { abs: 1e-14, rel: 1e-12 };

describe('bootstrapQueryMeans (golden: numpy + a mulberry32 port in tests/scripts/golden_metrics.py)', () => {
  const g = golden.bootstrap;
  const options = { weights: g.weights, resamples: g.resamples, level: g.level, seed: g.seed };

  it('draws the same queries and matches numpy.percentile(dist, [5, 95]) and numpy.std(dist, ddof=1)', () => {
    const r = bootstrapQueryMeans(g.values, options);
    expect(r.estimate).toBeCloseTo(g.estimate, 14);
    expect(r.distribution.subarray(0, 5)).toBeDeepCloseTo(g.first_draws, TOL);
    expect({ lower: r.lower, upper: r.upper, se: r.standardError }).toBeDeepCloseTo(
      { lower: g.lower, upper: g.upper, se: g.standard_error },
      TOL,
    );
    expect(r.level).toBe(0.9);
    expect(r.distribution.length).toBe(g.resamples);
  });

  it('bootstrapByQuery resamples the same queries: a per-item mean reproduces the weighted per-query mean', () => {
    // Query q has weights[q] items, each with value values[q]. Items are dealt round-robin, so queries are
    // interleaved yet first seen in order 0, 1, …, which makes group q the q-th value as in the fast path.
    const idsP: number[] = [];
    const xP: number[] = [];
    for (let t = 0; t < Math.max(...g.weights); t++) {
      g.weights.forEach((w, q) => {
        if (t < w) {
          idsP.push(q);
          xP.push(g.values[q]!);
        }
      });
    }
    const r = bootstrapByQuery(
      idsP,
      ({ indices }) => gather(xP, indices).reduce((s, v) => s + v, 0) / indices.length,
      options,
    );
    expect(r.distribution.subarray(0, 5)).toBeDeepCloseTo(g.first_draws, TOL);
    expect({ lower: r.lower, upper: r.upper, se: r.standardError }).toBeDeepCloseTo(
      { lower: g.lower, upper: g.upper, se: g.standard_error },
      TOL,
    );
  });
});

describe('bootstrapByQuery', () => {
  it('hands the metric draw numbers, so a query drawn twice counts as two queries', () => {
    // Two queries: 'a' with NDCG 1, 'b' with NDCG 0 → mean NDCG per resample ∈ {0, ½, 1}.
    const scores = [2, 1, 2, 1];
    const labels = [1, 0, 0, 0];
    const qids = ['a', 'a', 'b', 'b'];
    const seen = new Set<number>();
    const r = bootstrapByQuery(
      qids,
      ({ indices, queries }) => {
        const v = meanNdcg({
          scores: gather(scores, indices),
          labels: gather(labels, indices),
          queryIds: queries,
        }).mean;
        seen.add(v);
        return v;
      },
      { resamples: 200 },
    );
    expect(r.estimate).toBe(0.5);
    expect([...seen].sort()).toEqual([0, 0.5, 1]);
  });

  it('is reproducible by seed and close to the analytic standard error sd/√Q for a mean', () => {
    const rng = createRng(1);
    const q = 400;
    const values = Float64Array.from({ length: q }, () => rng.normal());
    const a = bootstrapQueryMeans(values, { seed: 5 });
    expect(bootstrapQueryMeans(values, { seed: 5 })).toEqual(a);
    expect(bootstrapQueryMeans(values, { seed: 6 }).lower).not.toBe(a.lower);
    const mean = values.reduce((s, v) => s + v, 0) / q;
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (q - 1));
    expect(a.standardError / (sd / Math.sqrt(q))).toBeGreaterThan(0.9);
    expect(a.standardError / (sd / Math.sqrt(q))).toBeLessThan(1.1);
    expect(a.lower).toBeLessThan(mean);
    expect(a.upper).toBeGreaterThan(mean);
  });

  it('handles 20k samples × 1000 resamples with a per-item metric in well under a few seconds', () => {
    const rng = createRng(9);
    const n = 20_000;
    const qids = Int32Array.from({ length: n }, () => rng.int(2_000));
    const labels = Int32Array.from({ length: n }, () => rng.int(3));
    const preds = labels.map((y) => (rng.next() < 0.7 ? y : rng.int(3)));
    const t0 = performance.now();
    const r = bootstrapByQuery(Array.from(qids), ({ indices }) =>
      accuracy(gather(labels, indices), gather(preds, indices)),
    );
    const ms = performance.now() - t0;
    expect(r.distribution.length).toBe(1000);
    expect(r.lower).toBeLessThan(r.estimate);
    expect(r.upper).toBeGreaterThan(r.estimate);
    expect(ms).toBeLessThan(8_000);
  });
});

describe('bad input', () => {
  it('rejects weights of the wrong length, non-positive weights, NaN values and empty input', () => {
    expect(() => bootstrapQueryMeans([1, 2, 3], { weights: [1, 1] })).toThrow(
      new RangeError('values and weights must have the same length (got 3 and 2)'),
    );
    expect(() => bootstrapQueryMeans([1, 2], { weights: [1, 0] })).toThrow(
      /weights\[1\] must be > 0/,
    );
    expect(() => bootstrapQueryMeans([1, Number.NaN])).toThrow(/values\[1\] must be finite/);
    expect(() => bootstrapQueryMeans([])).toThrow(/values must not be empty/);
    expect(() => bootstrapByQuery([], () => 0)).toThrow(/queryIds must not be empty/);
  });

  it('rejects bad options and a metric that returns NaN', () => {
    expect(() => bootstrapQueryMeans([1, 2], { resamples: 1 })).toThrow(
      /options.resamples must be an integer in \[2/,
    );
    expect(() => bootstrapQueryMeans([1, 2], { level: 1 })).toThrow(
      /options.level must be in \(0, 1\)/,
    );
    expect(() => bootstrapByQuery(['a', 'b'], () => Number.NaN)).toThrow(
      /metric must return a finite number \(got NaN on the original sample\)/,
    );
    expect(() => gather([1, 2], [2])).toThrow(/indices\[0\] = 2 is outside values \(length 2\)/);
  });
});

import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { createRng, shuffledIndices } from '../math/prng';
import { meanNdcg, queryNdcg, type NdcgGain } from './ndcg';

interface NdcgGolden {
  query_ids: string[];
  labels: number[];
  scores: number[];
  query_order: string[];
  expected: {
    k: number | null;
    gain: 'linear' | 'exponential';
    average: number[];
    stable: number[];
  }[];
}

const golden = JSON.parse(
  readFileSync(new URL('../../../../tests/fixtures/golden/metrics.json', import.meta.url), 'utf8'),
) as { ndcg: NdcgGolden };

const TOL = { abs: 1e-14, rel: 1e-13 };

describe('meanNdcg (golden: tests/scripts/golden_metrics.py)', () => {
  const g = golden.ndcg;
  const input = { scores: g.scores, labels: g.labels, queryIds: g.query_ids };

  for (const e of g.expected) {
    const k = e.k ?? undefined;
    const base = k === undefined ? { gain: e.gain } : { gain: e.gain, k };

    it(`k = ${String(e.k)}, ${e.gain} gain, average ties: sklearn.metrics.ndcg_score([gains], [scores], k=k) per query`, () => {
      const r = meanNdcg(input, base);
      expect(r.queryIds).toEqual(g.query_order);
      expect(r.perQuery).toBeDeepCloseTo(e.average, TOL);
      expect(r.mean).toBeCloseTo(e.average.reduce((s, v) => s + v, 0) / e.average.length, 14);
    });

    it(`k = ${String(e.k)}, ${e.gain} gain, stable ties: numpy argsort(-s, kind='stable') reference`, () => {
      expect(meanNdcg(input, { ...base, ties: 'stable' }).perQuery).toBeDeepCloseTo(e.stable, TOL);
    });
  }

  it('skips the all-irrelevant query (q4) with zeroIdealDcg: "skip"', () => {
    const e = g.expected[0]!;
    const r = meanNdcg(input, { zeroIdealDcg: 'skip' });
    const keep = g.query_order
      .map((q, i) => [q, e.average[i]!] as const)
      .filter(([q]) => q !== 'q4');
    expect(r.skippedQueryIds).toEqual(['q4']);
    expect(r.queryIds).toEqual(keep.map(([q]) => q));
    expect(r.perQuery).toBeDeepCloseTo(
      keep.map(([, v]) => v),
      TOL,
    );
  });

  it('a gain table equal to 2^g − 1 reproduces exponential gain', () => {
    const table: NdcgGain = [0, 1, 3, 7, 15];
    expect(meanNdcg(input, { gain: table, k: 3 }).perQuery).toBeDeepCloseTo(
      meanNdcg(input, { gain: 'exponential', k: 3 }).perQuery,
      TOL,
    );
  });
});

describe('queryNdcg by hand', () => {
  it('averages a tie between a relevant and an irrelevant item', () => {
    // Scores [1, 1] tie; gains [1, 0]: DCG = ½(1/log2 2 + 1/log2 3); IDCG = 1.
    expect(queryNdcg([1, 1], [1, 0])).toBeCloseTo(0.5 * (1 + 1 / Math.log2(3)), 15);
    // Stable: input order, the relevant item first → 1.
    expect(queryNdcg([1, 1], [1, 0], { ties: 'stable' })).toBe(1);
    expect(queryNdcg([1, 1], [0, 1], { ties: 'stable' })).toBeCloseTo(1 / Math.log2(3), 15);
  });

  it('returns 0 for a query without relevant items, and 1 for a single relevant item', () => {
    expect(queryNdcg([0.3, 0.1], [0, 0])).toBe(0);
    expect(queryNdcg([0.3], [2])).toBe(1);
  });
});

describe('properties', () => {
  const queryArb = fc.array(
    fc.tuple(fc.integer({ min: -3, max: 3 }), fc.integer({ min: 0, max: 4 })),
    { minLength: 1, maxLength: 25 },
  );
  const optionsArb = fc.record({
    gain: fc.constantFrom<'linear' | 'exponential'>('linear', 'exponential'),
    k: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
    ties: fc.constantFrom<'average' | 'stable'>('average', 'stable'),
  });
  const opts = (o: {
    gain: 'linear' | 'exponential';
    k: number | undefined;
    ties: 'average' | 'stable';
  }) =>
    o.k === undefined ? { gain: o.gain, ties: o.ties } : { gain: o.gain, k: o.k, ties: o.ties };

  it('NDCG lies in [0, 1]', () => {
    fc.assert(
      fc.property(queryArb, optionsArb, (items, o) => {
        const v = queryNdcg(
          items.map((t) => t[0]),
          items.map((t) => t[1]),
          opts(o),
        );
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1 + 1e-12);
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('a perfect ranking scores 1', () => {
    fc.assert(
      fc.property(queryArb, optionsArb, (items, o) => {
        const labels = items.map((t) => t[1]);
        fc.pre(labels.some((l) => l > 0));
        // Score = label + a distinct tiebreak, so the order is the ideal one with no ties.
        const scores = labels.map((l, i) => l + i / (10 * labels.length));
        expect(queryNdcg(scores, labels, opts(o))).toBeCloseTo(1, 12);
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it("is invariant to permuting the input order under 'average' ties", () => {
    fc.assert(
      fc.property(queryArb, optionsArb, fc.integer(), (items, o, seed) => {
        const perm = shuffledIndices(items.length, createRng(seed));
        const scores = items.map((t) => t[0]);
        const labels = items.map((t) => t[1]);
        const options = { ...opts(o), ties: 'average' as const };
        const a = queryNdcg(scores, labels, options);
        const b = queryNdcg(
          Array.from(perm, (i) => scores[i]!),
          Array.from(perm, (i) => labels[i]!),
          options,
        );
        expect(b).toBeCloseTo(a, 12);
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('the mean over queries does not depend on how the queries are interleaved', () => {
    const g = golden.ndcg;
    const perm = shuffledIndices(g.scores.length, createRng(3));
    const pick = <T>(xs: T[]) => Array.from(perm, (i) => xs[i]!);
    const a = meanNdcg(
      { scores: g.scores, labels: g.labels, queryIds: g.query_ids },
      { k: 5 },
    ).mean;
    const b = meanNdcg(
      { scores: pick(g.scores), labels: pick(g.labels), queryIds: pick(g.query_ids) },
      { k: 5 },
    ).mean;
    expect(b).toBeCloseTo(a, 14);
  });
});

describe('bad input', () => {
  it('rejects lengths that disagree, naming both sizes', () => {
    expect(() => queryNdcg([1, 2, 3], [0, 1])).toThrow(
      new RangeError('scores and labels must have the same length (got 3 and 2)'),
    );
    expect(() => meanNdcg({ scores: [1, 2], labels: [0, 1], queryIds: ['a'] })).toThrow(
      /scores and queryIds must have the same length \(got 2 and 1\)/,
    );
  });

  it('rejects NaN scores or labels, negative labels, bad ids, bad k and empty input', () => {
    expect(() => queryNdcg([1, Number.NaN], [0, 1])).toThrow(/scores\[1\] must be finite/);
    expect(() => queryNdcg([1, 2], [0, Number.NaN])).toThrow(/labels\[1\] must be finite/);
    expect(() => queryNdcg([1, 2], [0, -1])).toThrow(/labels\[1\] must be ≥ 0/);
    expect(() => queryNdcg([1, 2], [0, 5], { gain: [0, 1, 2] })).toThrow(
      /labels\[1\] must be an integer grade in \[0, 2\] \(got 5\)/,
    );
    expect(() => queryNdcg([1, 2], [0, 1], { k: 0 })).toThrow(/options.k must be an integer/);
    expect(() => queryNdcg([], [])).toThrow(/scores must not be empty/);
    expect(() => meanNdcg({ scores: [1, 2], labels: [0, 1], queryIds: ['a', Number.NaN] })).toThrow(
      /queryIds\[1\]/,
    );
  });
});

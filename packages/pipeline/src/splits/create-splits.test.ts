import { DEFAULT_GRADE_SCALE } from '@gradeshift/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { Dataset, LabeledPair } from '../data/dataset';
import { createSplits, type Splits } from './create-splits';
import { normalizeQuery } from './query-groups';
import { revealLabels } from './unlabeled-pool';

function dataset(pairs: LabeledPair[]): Dataset {
  return {
    pairs,
    issues: [],
    source: {
      path: 'synthetic',
      format: 'csv',
      sha256: '',
      rows: pairs.length,
      skipped: 0,
      truncated: 0,
    },
    scale: DEFAULT_GRADE_SCALE,
  };
}

const pair = (
  i: number,
  query: string,
  item: string,
  extra: Partial<LabeledPair> = {},
): LabeledPair => ({ id: `p${i}`, query, item, grade: i % 3, line: i + 2, ...extra });

function allSplits(s: Splits): [string, readonly { id: string; query: string }[]][] {
  return [
    ['id_train', s.idTrain.pairs],
    ['id_validation', s.idValidation.pairs],
    ['id_test', s.idTest.pairs],
    ['pool', s.pool.pairs],
    ['ood_test', s.oodTest.pairs],
  ];
}

function expectQueryDisjoint(s: Splits): void {
  const owner = new Map<string, string>();
  for (const [name, ps] of allSplits(s)) {
    for (const p of ps) {
      const key = normalizeQuery(p.query);
      const prev = owner.get(key);
      if (prev !== undefined && prev !== name)
        throw new Error(`query "${key}" is in ${prev} and ${name}`);
      owner.set(key, name);
    }
  }
}

const ids = (s: Splits) => allSplits(s).map(([name, ps]) => [name, ps.map((p) => p.id)]);

// 200 one-pair queries: categories A (ID) and B (held out).
const many = dataset(
  Array.from({ length: 200 }, (_, i) =>
    pair(i, `query ${i}`, `item ${i}`, { category: i < 150 ? 'A' : 'B' }),
  ),
);

describe('createSplits', () => {
  it('keeps every split query-disjoint, covering each pair once, for any data and seed (property)', () => {
    const variants = [
      'Drill',
      ' drill ',
      'DRILL',
      'drill  bit',
      'Drill Bit',
      'hose',
      'Hose',
      'paint',
      'PAINT  roller',
      'café',
      'cafe\u0301',
    ];
    const arbPair = fc.record({
      q: fc.integer({ min: 0, max: variants.length - 1 }),
      n: fc.nat(30),
      cat: fc.constantFrom('A', 'B', 'C'),
    });
    fc.assert(
      fc.property(fc.array(arbPair, { minLength: 0, maxLength: 60 }), fc.integer(), (raw, seed) => {
        const pairs = [
          pair(0, 'fixed id query', 'x', { category: 'A' }),
          pair(1, 'fixed ood query', 'y', { category: 'B' }),
        ];
        raw.forEach((r, i) =>
          pairs.push(
            pair(i + 2, `${variants[r.q] ?? ''}${r.n % 2 ? '' : ` ${r.n}`}`, `item ${r.n}`, {
              category: r.cat,
            }),
          ),
        );
        const s = createSplits(dataset(pairs), {
          shift: { kind: 'category', heldOut: ['B'] },
          seed,
        });
        expectQueryDisjoint(s);
        const seen = allSplits(s)
          .flatMap(([, ps]) => ps.map((p) => p.id))
          .sort();
        expect(seen).toEqual(pairs.map((p) => p.id).sort());
        // the shifted side holds exactly the queries whose majority category is held out
        const oodIds = new Set([...s.pool.pairs, ...s.oodTest.pairs].map((p) => p.id));
        for (const [key, domain] of s.domainOfQuery) {
          const onOod = pairs
            .filter((p) => normalizeQuery(p.query) === key)
            .every((p) => oodIds.has(p.id));
          expect([key, onOod]).toEqual([key, domain === 'B']);
        }
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('is deterministic under the seed, and another seed shuffles differently', () => {
    const a = createSplits(many, { shift: { kind: 'category', heldOut: ['B'] }, seed: 7 });
    const b = createSplits(many, { shift: { kind: 'category', heldOut: ['B'] }, seed: 7 });
    const c = createSplits(many, { shift: { kind: 'category', heldOut: ['B'] }, seed: 8 });
    expect(ids(b)).toEqual(ids(a));
    expect(b.report).toEqual(a.report);
    expect(ids(c)).not.toEqual(ids(a));
  });

  it('cuts ID queries 70/10/20 and OOD queries 70/30 by default, pairs in dataset order', () => {
    const s = createSplits(many, { shift: { kind: 'category', heldOut: ['B'] } });
    expect(allSplits(s).map(([, ps]) => ps.length)).toEqual([105, 15, 30, 35, 15]);
    const trainLines = s.idTrain.pairs.map((p) => p.line);
    expect(trainLines).toEqual([...trainLines].sort((x, y) => x - y));
    const custom = createSplits(many, {
      shift: { kind: 'category', heldOut: ['B'] },
      idFractions: { train: 0.5, validation: 0.25, test: 0.25 },
      oodFractions: { pool: 0.2, test: 0.8 },
    });
    expect(allSplits(custom).map(([, ps]) => ps.length)).toEqual([75, 38, 37, 10, 40]);
  });

  it('reports pairs, queries, grade mix and domains of every split', () => {
    const s = createSplits(many, { shift: { kind: 'category', heldOut: ['B'] }, seed: 3 });
    const { report } = s;
    expect(report.splits.map((x) => x.name)).toEqual([
      'id_train',
      'id_validation',
      'id_test',
      'pool',
      'ood_test',
    ]);
    expect(report.totalPairs).toBe(200);
    expect(report.oodPairFraction).toBe(0.25);
    const pool = report.splits[3]!;
    expect(pool.domains).toEqual({ B: 35 });
    // the pool's grade mix, checked against the labels revealed one by one
    const revealed = revealLabels(
      s.pool,
      s.pool.pairs.map((_, i) => i),
    );
    const counts = [0, 1, 2].map((g) => revealed.filter((r) => r.grade === g).length);
    expect(pool.grades.counts).toEqual(counts);
    expect(pool.grades.fractions).toBeDeepCloseTo(
      counts.map((c) => c / 35),
      { abs: 1e-12 },
    );
    const train = report.splits[0]!;
    expect(train.grades.counts).toEqual(
      [0, 1, 2].map((g) => s.idTrain.pairs.filter((p) => p.grade === g).length),
    );
    expect(train.queries).toBe(105);
  });

  it('hides pool labels behind the budget set in the options', () => {
    const s = createSplits(many, { shift: { kind: 'category', heldOut: ['B'] }, poolBudget: 5 });
    expect(s.pool.budget).toBe(5);
    expect(() => revealLabels(s.pool, [0, 1, 2, 3, 4, 5])).toThrow(/budget/);
    expect(revealLabels(s.pool, [0, 1])).toHaveLength(2);
    expect(s.pool.revealedCount).toBe(2);
  });

  it('assigns a query the majority department of its items, ignoring unmatched titles', () => {
    const pairs = [
      pair(0, 'white paint', 'Interior Eggshell Paint'),
      pair(1, 'white paint', 'Paint Roller Cover'),
      pair(2, 'white paint', 'PVC Pipe'),
      pair(3, 'white paint', 'Ceramic Figurine'),
      pair(4, 'Pipe', 'PVC Pipe'),
      pair(5, 'pipe', 'Ceramic Figurine'),
      pair(6, 'pipe', 'Ceramic Vase'),
      pair(7, 'gnome', 'Ceramic Figurine'),
    ];
    const s = createSplits(dataset(pairs), { shift: { kind: 'department', heldOut: ['paint'] } });
    expect(Object.fromEntries(s.domainOfQuery)).toEqual({
      'white paint': 'paint',
      pipe: 'plumbing',
      gnome: 'other',
    });
    expect([...s.pool.pairs, ...s.oodTest.pairs].map((p) => p.id).sort()).toEqual([
      'p0',
      'p1',
      'p2',
      'p3',
    ]);
  });

  it('holds out query-topic clusters (k-means on character trigrams)', () => {
    const families = ['cordless drill', 'garden hose'];
    const pairs = Array.from({ length: 60 }, (_, i) =>
      pair(
        i,
        `${families[i % 2] ?? ''} ${'abcdefghij'[Math.floor(i / 2) % 10] ?? ''}${Math.floor(i / 20)}`,
        `item ${i}`,
      ),
    );
    const s = createSplits(dataset(pairs), {
      shift: { kind: 'query-cluster', k: 2, heldOutClusters: [1] },
      seed: 5,
    });
    expectQueryDisjoint(s);
    const oodFamilies = new Set(
      [...s.pool.pairs, ...s.oodTest.pairs].map((p) => p.query.split(' ')[0]),
    );
    const idFamilies = new Set(
      [...s.idTrain.pairs, ...s.idValidation.pairs, ...s.idTest.pairs].map(
        (p) => p.query.split(' ')[0],
      ),
    );
    expect(oodFamilies.size).toBe(1);
    expect(idFamilies.size).toBe(1);
    expect(oodFamilies).not.toEqual(idFamilies);
    expect(s.report.heldOut).toEqual(['cluster-1']);
  });

  it('rejects bad fractions, unknown held-out domains and sides without queries', () => {
    const shift = { kind: 'category', heldOut: ['B'] } as const;
    expect(() =>
      createSplits(many, { shift, idFractions: { train: 0.7, validation: 0.1, test: 0.1 } }),
    ).toThrow(/sum to 1/);
    expect(() => createSplits(many, { shift, oodFractions: { pool: 1.5, test: -0.5 } })).toThrow(
      /≥ 0/,
    );
    expect(() => createSplits(many, { shift: { kind: 'category', heldOut: ['Z'] } })).toThrow(
      'held-out category "Z" does not occur (categories: A, B)',
    );
    expect(() => createSplits(many, { shift: { kind: 'category', heldOut: ['A', 'B'] } })).toThrow(
      /hold out fewer/,
    );
    expect(() =>
      createSplits(dataset([pair(0, 'q', 'x')]), { shift: { kind: 'category', heldOut: ['A'] } }),
    ).toThrow(/needs a category column/);
    expect(() =>
      createSplits(many, { shift: { kind: 'department', heldOut: ['garden'] } }),
    ).toThrow(/department "garden"/);
    expect(() =>
      createSplits(many, { shift: { kind: 'query-cluster', k: 3, heldOutClusters: [3] } }),
    ).toThrow(/heldOutClusters/);
  });
});

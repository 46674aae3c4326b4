import { DEFAULT_GRADE_SCALE, type GradeScale } from '@gradeshift/core';
import { describe, expect, it } from 'vitest';

import type { Dataset, LabeledPair } from '../data/dataset';
import { createSplits } from './create-splits';
import { checkFarScale, FAR_ID_PREFIX, onMainScale, ratingKnots, splitFar } from './far-split';
import { normalizeQuery } from './query-groups';
import { revealLabels } from './unlabeled-pool';

function dataset(
  pairs: LabeledPair[],
  extra: { ratingRange?: [number, number]; scale?: GradeScale; path?: string } = {},
): Dataset {
  return {
    pairs,
    issues: [],
    source: {
      path: extra.path ?? 'synthetic',
      format: 'csv',
      sha256: '',
      rows: pairs.length,
      skipped: 0,
      truncated: 0,
    },
    scale: extra.scale ?? DEFAULT_GRADE_SCALE,
    ...(extra.ratingRange === undefined ? {} : { ratingRange: extra.ratingRange }),
  };
}

const pair = (i: number, query: string, extra: Partial<LabeledPair> = {}): LabeledPair => ({
  id: `${i}`,
  query,
  item: `item ${i}`,
  grade: i % 3,
  line: i + 2,
  ...extra,
});

// Main data: 100 queries in two categories (A in distribution, B held out), two pairs each.
const main = dataset(
  Array.from({ length: 200 }, (_, i) =>
    pair(i, `query ${Math.floor(i / 2)}`, {
      category: Math.floor(i / 2) % 4 === 0 ? 'B' : 'A',
      rating: 1 + (i % 3),
    }),
  ),
  { ratingRange: [1, 3] },
);
// Far data: 40 queries of three pairs, ratings 1–4; "query 7" also occurs in the main data.
const far = dataset(
  Array.from({ length: 120 }, (_, i) =>
    pair(i, i < 3 ? 'Query 7' : `other shop ${Math.floor(i / 3)}`, { rating: 1 + (i % 4) }),
  ),
  { ratingRange: [1, 4], path: 'far.csv' },
);
const shift = { kind: 'category', heldOut: ['B'] } as const;

describe('splitFar', () => {
  it('cuts by query, leaves out queries the main data has, prefixes ids and moves ratings onto the main range', () => {
    const keys = new Set(main.pairs.map((p) => normalizeQuery(p.query)));
    const s = splitFar(
      { dataset: far, poolFraction: 0.5 },
      { keys, seed: 3, ratings: { ratingRange: [1, 3] } },
    );
    expect(s.sharedQueries).toBe(1);
    expect(s.pool.length + s.test.length).toBe(117);
    const q = (ps: readonly LabeledPair[]) => new Set(ps.map((p) => normalizeQuery(p.query)));
    const [pool, test] = [q(s.pool), q(s.test)];
    expect(pool.size).toBe(20);
    expect(test.size).toBe(19);
    expect([...pool].some((k) => test.has(k))).toBe(false);
    expect(pool.has('query 7') || test.has('query 7')).toBe(false);
    expect([...s.pool, ...s.test].every((p) => p.id.startsWith(FAR_ID_PREFIX))).toBe(true);
    // Rating r on [1, 4] lands at 1 + (r − 1)·2/3 on [1, 3]: 4 → 3, 1 → 1, 2.5 → 2.
    for (const p of s.test) {
      const original = far.pairs.find((f) => `${FAR_ID_PREFIX}${f.id}` === p.id);
      expect(p.rating).toBeCloseTo(1 + (((original?.rating ?? 0) - 1) * 2) / 3, 12);
    }
  });

  it("moves a rating between the files' grade edges, so a far edge lands on the training edge", () => {
    const far4 = [1, 1.5, 3.5, 4];
    const hd = [1, 1.75, 2.33, 3];
    expect(onMainScale(1.5, far4, hd)).toBeCloseTo(1.75, 12);
    expect(onMainScale(3.5, far4, hd)).toBeCloseTo(2.33, 12);
    expect(onMainScale(4, far4, hd)).toBeCloseTo(3, 12);
    expect(onMainScale(1, far4, hd)).toBeCloseTo(1, 12);
    // 2 is a quarter of the way from 1.5 to 3.5: a quarter of the way from 1.75 to 2.33 (still weak on both files).
    expect(onMainScale(2, far4, hd)).toBeCloseTo(1.75 + 0.25 * 0.58, 12);
    expect(onMainScale(2, undefined, hd)).toBeUndefined();
    expect(ratingKnots({ ratingRange: [1, 4], ratingEdges: [1.5, 3.5] })).toEqual(far4);
  });

  it('is deterministic per seed and refuses bad fractions or too few queries', () => {
    const keys = new Set<string>();
    const a = splitFar({ dataset: far, poolFraction: 0.3 }, { keys, seed: 1 });
    expect(splitFar({ dataset: far, poolFraction: 0.3 }, { keys, seed: 1 })).toEqual(a);
    expect(splitFar({ dataset: far, poolFraction: 0.3 }, { keys, seed: 2 })).not.toEqual(a);
    expect(() => splitFar({ dataset: far, poolFraction: 1 }, { keys, seed: 1 })).toThrow(
      /poolFraction/,
    );
    const one = dataset([pair(0, 'only query'), pair(1, 'only query')]);
    expect(() => splitFar({ dataset: one, poolFraction: 0.5 }, { keys, seed: 1 })).toThrow(
      /at least 2/,
    );
  });

  it('refuses a far file on another grade scale', () => {
    const twoGrades: GradeScale = {
      grades: [
        { name: 'bad', gain: 0 },
        { name: 'good', gain: 1 },
      ],
    };
    expect(() => checkFarScale(main, dataset([], { scale: twoGrades, path: 'x.csv' }))).toThrow(
      /x\.csv grades as bad \/ good.*irrelevant \/ weak \/ strong/,
    );
  });
});

describe('createSplits with a far-OOD set', () => {
  it('keeps ID validation, ID test and near OOD as without it, and mixes ID, near and far traffic in the pool', () => {
    const without = createSplits(main, { shift, seed: 5 });
    const withFar = createSplits(main, {
      shift,
      seed: 5,
      far: { dataset: far, poolFraction: 0.5 },
    });
    expect(withFar.idValidation.pairs).toEqual(without.idValidation.pairs);
    expect(withFar.idTest.pairs).toEqual(without.idTest.pairs);
    expect(withFar.oodTest.pairs).toEqual(without.oodTest.pairs);
    expect(withFar.idTrain.pairs.length).toBeLessThan(without.idTrain.pairs.length);
    const origin = withFar.poolOrigin;
    expect(origin).toHaveLength(withFar.pool.size);
    expect(new Set(origin)).toEqual(new Set(['id', 'near', 'far']));
    expect(withFar.farTest?.pairs.every((p) => p.id.startsWith(FAR_ID_PREFIX))).toBe(true);
    // The far pool's labels stay hidden until revealed, like every pool pair.
    const firstFar = origin.indexOf('far');
    expect('grade' in (withFar.pool.pairs[firstFar] ?? {})).toBe(false);
    expect(revealLabels(withFar.pool, [firstFar])[0]?.grade).toBeTypeOf('number');
    // ID pool pairs come out of ID train: no query in two places.
    const trainKeys = new Set(withFar.idTrain.pairs.map((p) => normalizeQuery(p.query)));
    withFar.pool.pairs.forEach((p, i) => {
      if (origin[i] === 'id') expect(trainKeys.has(normalizeQuery(p.query))).toBe(false);
    });
    expect(withFar.report.splits.map((s) => s.name)).toContain('far_test');
    expect(withFar.farSharedQueries).toBe(1);
  });

  it('leaves a run without a far set exactly as before', () => {
    const s = createSplits(main, { shift, seed: 5 });
    expect(s.farTest).toBeUndefined();
    expect(new Set(s.poolOrigin)).toEqual(new Set(['near']));
    expect(s.report.splits.map((x) => x.name)).toEqual([
      'id_train',
      'id_validation',
      'id_test',
      'pool',
      'ood_test',
    ]);
  });
});

/**
 * Integration: the real Home Depot file (read in place from ../shared, never copied) through the preset
 * loader and the default department split.
 */
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { HOMEDEPOT_PRESET, loadPreset } from '../data/presets';
import { createSplits } from './create-splits';
import { normalizeQuery } from './query-groups';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

describe('Home Depot preset and default department split', () => {
  it(
    'loads all 74,067 rows with the README grade counts and splits them sanely',
    { timeout: 15_000 },
    async () => {
      const data = await loadPreset('homedepot', { repoRoot });
      expect(data.source).toMatchObject({
        rows: 74_067,
        skipped: 0,
        truncated: 0,
        sha256: HOMEDEPOT_PRESET.sha256,
      });
      expect(data.issues).toEqual([]);
      // README: ≤ 1.75 → irrelevant (11,909), 2–2.33 → weak (27,801), ≥ 2.5 → strong (34,357)
      const counts = [0, 1, 2].map((g) => data.pairs.filter((p) => p.grade === g).length);
      expect(counts).toEqual([11_909, 27_801, 34_357]);

      const splits = createSplits(data, { shift: { kind: 'department' }, seed: 0 });
      const { report } = splits;
      expect(report.heldOut).toEqual(['outdoor-garden', 'appliances', 'paint']);
      expect(report.totalQueries).toBeGreaterThan(11_700);
      expect(report.totalQueries).toBeLessThanOrEqual(11_795);
      expect(report.splits.reduce((s, x) => s + x.pairs, 0)).toBe(74_067);
      expect(report.oodPairFraction).toBeGreaterThan(0.18);
      expect(report.oodPairFraction).toBeLessThan(0.3);
      const [train, validation, idTest, pool, oodTest] = report.splits;
      const idQueries = (train?.queries ?? 0) + (validation?.queries ?? 0) + (idTest?.queries ?? 0);
      expect((train?.queries ?? 0) / idQueries).toBeCloseTo(0.7, 3);
      expect((validation?.queries ?? 0) / idQueries).toBeCloseTo(0.1, 3);
      expect((pool?.queries ?? 0) / ((pool?.queries ?? 0) + (oodTest?.queries ?? 0))).toBeCloseTo(
        0.7,
        3,
      );
      for (const s of report.splits) {
        expect(s.pairs).toBeGreaterThan(3000);
        for (const f of s.grades.fractions) {
          expect(f).toBeGreaterThan(0.1);
          expect(f).toBeLessThan(0.6);
        }
      }
      // the shifted side holds only held-out departments, the ID side none of them
      expect(Object.keys(pool?.domains ?? {}).every((d) => report.heldOut.includes(d))).toBe(true);
      expect(Object.keys(train?.domains ?? {}).some((d) => report.heldOut.includes(d))).toBe(false);
      // query-disjoint
      const idKeys = new Set(
        [...splits.idTrain.pairs, ...splits.idValidation.pairs, ...splits.idTest.pairs].map((p) =>
          normalizeQuery(p.query),
        ),
      );
      expect(
        [...splits.pool.pairs, ...splits.oodTest.pairs].some((p) =>
          idKeys.has(normalizeQuery(p.query)),
        ),
      ).toBe(false);
      expect(splits.pool.revealedCount).toBe(0);
    },
  );
});

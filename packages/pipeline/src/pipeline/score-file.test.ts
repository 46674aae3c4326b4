import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createSmallBundle } from '../bundle/test-fixtures';
import { writeBundle } from '../bundle/write-bundle';
import { scoreFile } from './score-file';

interface Row {
  id: string;
  line: number;
  query: string;
  probs: number[];
  expected: number;
  predicted: number;
  predicted_name: string;
  rank: number;
  ood: Record<string, { score: number; percentile: number; flag: boolean }>;
}

describe('scoreFile', () => {
  let dir: string;
  let modelDir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gradeshift-score-'));
    const small = createSmallBundle(4);
    modelDir = writeBundle({
      dir: join(dir, 'bundle'),
      model: small.model,
      manifest: small.draft,
    }).dir;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one row per pair in file order, ranked within each query', async () => {
    const path = join(dir, 'pairs.csv');
    writeFileSync(
      path,
      [
        'q,title',
        'angle bracket,white deck paint',
        'deck paint,deck over',
        'angle bracket,Simpson steel angle bracket',
        'angle bracket,rain shower head',
        'deck paint,white deck paint',
      ].join('\n'),
    );
    const out = join(dir, 'scored.jsonl');
    const result = await scoreFile({
      modelDir,
      path,
      load: { columns: { query: 'q', item: 'title' } },
      out,
    });
    expect(result).toEqual({ pairs: 5, skipped: 0 });
    const rows = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Row);
    expect(rows.map((r) => r.line)).toEqual([2, 3, 4, 5, 6]);
    for (const query of ['angle bracket', 'deck paint']) {
      const mine = rows.filter((r) => r.query === query);
      expect(mine.map((r) => r.rank).sort()).toEqual(mine.map((_, i) => i));
      const byRank = [...mine].sort((a, b) => a.rank - b.rank);
      for (let i = 1; i < byRank.length; i++)
        expect(byRank[i - 1]?.expected ?? 0).toBeGreaterThanOrEqual(
          (byRank[i]?.expected ?? 0) - 1e-6,
        );
    }
    for (const r of rows) {
      expect(r.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(['irrelevant', 'weak', 'strong']).toContain(r.predicted_name);
      const energy = r.ood['energy'];
      expect(energy?.flag).toBe((energy?.score ?? 0) > -1.2);
    }
  });

  it('streams to a writer, and names the line of a bad row', async () => {
    const path = join(dir, 'pairs.jsonl');
    writeFileSync(path, '{"q":"deck","t":"deck paint"}\n{"q":"","t":"rail"}\n');
    const chunks: string[] = [];
    await expect(
      scoreFile({
        modelDir,
        path,
        load: { columns: { query: 'q', item: 't' } },
        out: { write: (t: string) => chunks.push(t) },
      }),
    ).rejects.toThrow(/pairs\.jsonl:2: the query is empty/);
    const result = await scoreFile({
      modelDir,
      path,
      load: { columns: { query: 'q', item: 't' }, onError: 'skip' },
      out: { write: (t: string) => chunks.push(t) },
    });
    expect(result).toEqual({ pairs: 1, skipped: 1 });
    expect(chunks).toHaveLength(1);
  });
});

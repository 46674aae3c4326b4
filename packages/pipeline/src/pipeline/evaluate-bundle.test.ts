import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { classificationReport, confusionMatrix } from '@gradeshift/core';

import { loadBundleScorer } from '../bundle/load-bundle-scorer';
import { createSmallBundle } from '../bundle/test-fixtures';
import { writeBundle } from '../bundle/write-bundle';
import { loadDataset } from '../data/load-dataset';
import { openRunStore } from '../store/run-store';
import { evaluateBundle } from './evaluate-bundle';

const CSV = [
  'query,title,label',
  'angle bracket,Simpson steel angle bracket,2',
  'angle bracket,white deck paint,0',
  'angle bracket,galvanized brakcet,1',
  'shower head,rain shower head 8 inch,2',
  'shower head,deck over,0',
  'shower head,steel paint,0',
  'deck paint,white deck paint,2',
  'deck paint,rain shower head 8 inch,0',
  'deck paint,deck over,1',
].join('\n');

interface Row {
  id: string;
  query: string;
  item: string;
  grade: number;
  probs: number[];
  predicted: number;
  ood: Record<string, number>;
}

describe('evaluateBundle', () => {
  let dir: string;
  let bundleDir: string;
  let csv: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gradeshift-evaluate-'));
    const small = createSmallBundle(3);
    bundleDir = writeBundle({
      dir: join(dir, 'bundle'),
      model: small.model,
      manifest: small.draft,
    }).dir;
    csv = join(dir, 'judged.csv');
    writeFileSync(csv, `${CSV}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const load = () =>
    loadDataset(csv, {
      columns: { query: 'query', item: 'title', label: 'label' },
      grades: { kind: 'values', grades: [['0'], ['1'], ['2']] },
    });

  it('scores every pair through the bundle, measures it, writes files and records a run', async () => {
    const dataset = await load();
    const out = join(dir, 'runs', 'external');
    const storePath = join(dir, 'runs', 'runs.sqlite');
    const events: number[] = [];
    const result = await evaluateBundle({
      model: bundleDir,
      dataset,
      outDir: out,
      storePath,
      resamples: 50,
      progressEvery: 4,
      progress: (e) => {
        if (e.done !== undefined) events.push(e.done);
      },
    });
    expect(result.pairs).toBe(9);
    expect(result.queries).toBe(3);
    expect(events).toEqual([4, 8, 9]);

    const rows = readFileSync(result.predictionsPath ?? '', 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Row);
    expect(rows.map((r) => r.grade)).toEqual([2, 0, 1, 2, 0, 0, 2, 0, 1]);
    // The same numbers as scoring the query directly with the bundle.
    const loaded = await loadBundleScorer(bundleDir);
    try {
      const direct = await loaded.scorer.scorePairs('shower head', [
        'rain shower head 8 inch',
        'deck over',
        'steel paint',
      ]);
      rows.slice(3, 6).forEach((r, i) => {
        r.probs.forEach((p, c) => expect(p).toBeCloseTo(direct.probs[i * 3 + c] ?? NaN, 5));
        expect(r.ood['energy']).toBeCloseTo(direct.ood['energy']?.score[i] ?? NaN, 5);
      });
    } finally {
      await loaded.dispose();
    }
    // Metrics agree with the written predictions.
    const report = classificationReport(
      confusionMatrix(
        Int32Array.from(rows, (r) => r.grade),
        Int32Array.from(rows, (r) => r.predicted),
        3,
      ),
    );
    expect(result.metrics.accuracy.value).toBeCloseTo(report.accuracy, 12);
    expect(result.metrics.macro_f1.value).toBeCloseTo(report.macroF1, 12);
    const flagged = rows.filter((r) => (r.ood['energy'] ?? 0) > -1.2).length;
    expect(result.ood['energy']?.flag_rate).toBeCloseTo(flagged / rows.length, 12);

    const written = JSON.parse(readFileSync(result.reportPath ?? '', 'utf8'));
    expect(written.splits.external.macro_f1.value).toBe(result.metrics.macro_f1.value);
    expect(written.data.same_data_as_training).toBe(false);

    const store = openRunStore(storePath, { readonly: true });
    try {
      const run = store.requireRun(result.runId ?? '');
      expect(run.kind).toBe('evaluate');
      expect(run.status).toBe('succeeded');
      expect(
        store.getMetrics(run.id).find((m) => m.split === 'external' && m.name === 'macro_f1')
          ?.value,
      ).toBe(result.metrics.macro_f1.value);
    } finally {
      store.close();
    }
  });

  it('refuses grades outside the bundle scale, naming the line', async () => {
    const wide = join(dir, 'wide.csv');
    writeFileSync(wide, 'query,title,label\nangle bracket,steel,0\ndeck,paint,3\n');
    const dataset = await loadDataset(wide, {
      columns: { query: 'query', item: 'title', label: 'label' },
      grades: { kind: 'values', grades: [['0'], ['1'], ['2'], ['3']] },
    });
    await expect(evaluateBundle({ model: bundleDir, dataset })).rejects.toThrow(
      /line 3: grade 3 is outside the bundle's 3 grades/,
    );
  });

  it('names the folder of a missing bundle', async () => {
    const dataset = await load();
    await expect(evaluateBundle({ model: join(dir, 'nope'), dataset })).rejects.toThrow(/nope/);
  });
});

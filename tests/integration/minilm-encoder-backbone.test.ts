/**
 * The encoder backbone with the real all-MiniLM-L6-v2 (models/minilm, `npm run models:minilm`) on a 3,000-row
 * slice of the Home Depot file, end to end through `runEncoderBackbone`: the embeddings are cached (a second run
 * makes no ONNX run at all), the head beats chance on ID test, and the teacher file holds one probability row per
 * ID-train and pool pair, each summing to 1; the bundle grades ID-test pairs as the run's predictions did, with
 * every OOD score of the run and its flags. Skipped, saying so, when the model is not installed.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { createNodeBackend } from '@gradeshift/core/node';
import {
  openEncoderBundle,
  runEncoderBackbone,
  scoreEncoderBundlePairs,
  type EncoderRunResult,
} from '@gradeshift/pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { REPO_ROOT, writeHomeDepotSlice } from './home-depot-slice';

const folder = join(REPO_ROOT, 'models', 'minilm');
const present =
  existsSync(join(folder, 'model.onnx')) && existsSync(join(folder, 'tokenizer.json'));
const skipped = present
  ? ''
  : ' (skipped: models/minilm is not installed; run `npm run models:minilm`)';
if (!present) console.log(`minilm-encoder-backbone.test.ts${skipped}`);

describe.skipIf(!present)(`the MiniLM encoder backbone on a Home Depot slice${skipped}`, () => {
  let dir: string;
  let first: EncoderRunResult;
  let second: EncoderRunResult;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gradeshift-minilm-'));
    const csv = await writeHomeDepotSlice(dir, 3000);
    const run = (out: string) =>
      runEncoderBackbone({
        data: { preset: 'homedepot', path: csv },
        far: null,
        encoder: folder,
        outDir: join(dir, out),
        repoRoot: REPO_ROOT,
        cacheDir: join(dir, 'cache'),
        grid: [{ hidden: 32, learningRate: 1e-3, weightDecay: 0.1 }],
        epochs: 6,
        resamples: 200,
      });
    first = await run('first');
    second = await run('second');
  }, 600_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('encodes each distinct text once: the second run reads them all from the cache', () => {
    expect(first.encoderRuns).toBeGreaterThan(0);
    expect(second.encoderRuns).toBe(0);
    expect(second.summary.splits).toEqual(first.summary.splits);
  });

  it('grades ID test above chance', () => {
    const f1 = first.summary.splits['id_test']?.['macro_f1'] as { value: number; lo: number };
    // Three grades: a score unrelated to the labels gives a macro-F1 near 1/3 under any cut points.
    expect(f1.lo).toBeGreaterThan(0.36);
    const sizes = first.summary.data['split_sizes'] as Record<string, number>;
    expect(first.summary.splits['id_test']?.['n']).toBe(sizes['id_test']);
  });

  it('writes a teacher row per ID-train and pool pair, each a probability vector', () => {
    const sizes = first.summary.data['split_sizes'] as Record<string, number>;
    const lines = readFileSync(first.teacherPath, 'utf8').trim().split('\n');
    expect(lines.length).toBe((sizes['id_train'] ?? 0) + (sizes['pool'] ?? 0));
    expect(first.summary.teacher.rows).toBe(lines.length);
    const splits = new Map<string, number>();
    for (const line of lines) {
      const row = JSON.parse(line) as {
        split: string;
        query: string;
        item: string;
        probs: number[];
      };
      splits.set(row.split, (splits.get(row.split) ?? 0) + 1);
      expect(row.probs).toHaveLength(3);
      expect(Math.abs(row.probs.reduce((a, b) => a + b, 0) - 1)).toBeLessThanOrEqual(1e-6);
      expect(row.query.length * row.item.length).toBeGreaterThan(0);
    }
    expect(Object.fromEntries(splits)).toEqual({
      id_train: sizes['id_train'],
      pool: sizes['pool'],
    });
  });

  it('writes a bundle that scores as the run did (the head as its ONNX graph), from the cache', async () => {
    const bundleDir = join(dirname(first.summaryPath), 'bundle');
    const session = await createNodeBackend({ intraOpNumThreads: 1 }).createSessionFromFile(
      join(bundleDir, 'head.onnx'),
    );
    expect([...session.inputNames]).toEqual(['query_embedding', 'item_embedding', 'lexical']);
    expect([...session.outputNames]).toEqual(['logits', 'probs', 'hidden']);
    await session.dispose();
    const rows = readFileSync(first.teacherPath, 'utf8')
      .trim()
      .split('\n')
      .slice(0, 64)
      .map((line) => JSON.parse(line) as { query: string; item: string; probs: number[] });
    const bundle = await openEncoderBundle(bundleDir, { cacheDir: join(dir, 'cache') });
    try {
      const scores = await bundle.score(rows);
      const probs = rows.flatMap((_, i) => {
        const z = Array.from(scores.logits.subarray(i * 3, i * 3 + 3));
        const m = Math.max(...z);
        const e = z.map((v) => Math.exp(v - m));
        const sum = e.reduce((a, b) => a + b, 0);
        return e.map((v) => v / sum);
      });
      expect(probs).toBeDeepCloseTo(
        rows.flatMap((r) => r.probs),
        { abs: 1e-4, rel: 0 },
      );
    } finally {
      await bundle.dispose();
    }
  });

  it('evaluates each split in both feature spaces, with the reports on disk', () => {
    for (const split of ['id_test', 'ood_test'])
      for (const space of ['relevance', 'content']) {
        const detectors = first.summary.detection[split]?.[space] ?? {};
        expect(Object.keys(detectors).sort()).toEqual([
          'energy',
          'knn',
          'mahalanobis',
          'max_logit',
          'msp',
        ]);
        expect(existsSync(join(first.summary.folders[split]?.[space] ?? '', 'report.json'))).toBe(
          true,
        );
      }
  });

  it('grades ID-test pairs as the run’s predictions, with the run’s OOD scores and flags', async () => {
    const folderOf = (space: string) => first.summary.folders['id_test']?.[space] ?? '';
    const run = (space: string) =>
      readFileSync(join(folderOf(space), 'predictions.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .slice(0, 50)
        .map(
          (line) =>
            JSON.parse(line) as {
              id: string;
              line: number;
              query: string;
              item: string;
              predicted: number;
              ood: Record<string, number>;
              ood_flag: Record<string, boolean>;
            },
        );
    const content = run('content');
    const scored = await scoreEncoderBundlePairs(
      join(dirname(first.summaryPath), 'bundle'),
      content,
    );
    expect(Array.from(scored.predicted)).toEqual(content.map((r) => r.predicted));
    const relevance = run('relevance');
    const scores = [
      ...['mahalanobis', 'knn'].map((name) => ({ name, bundle: `content_${name}`, rows: content })),
      ...['mahalanobis', 'knn', 'energy', 'max_logit', 'msp'].map((name) => ({
        name,
        bundle: name,
        rows: relevance,
      })),
    ];
    for (const { name, bundle, rows } of scores) {
      const ood = scored.ood.get(bundle)!;
      // The run's rows are rounded to 6 decimals.
      expect(Array.from(ood.score)).toBeDeepCloseTo(
        rows.map((r) => r.ood[name]!),
        { abs: 1e-6, rel: 1e-6 },
      );
      expect(Array.from(ood.flag, (f) => f === 1)).toEqual(rows.map((r) => r.ood_flag[name]));
    }
    expect([...scored.ood.keys()].sort()).toEqual([
      'content_knn',
      'content_mahalanobis',
      'energy',
      'knn',
      'mahalanobis',
      'max_logit',
      'msp',
    ]);
  });
});

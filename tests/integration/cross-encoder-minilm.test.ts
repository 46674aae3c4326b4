/**
 * A real transformer cross-encoder through gradeshift: all-MiniLM-L6-v2's pretrained encoder with an UNTRAINED
 * 3-grade head on [CLS] (plumbing only, no relevance knowledge), exported by
 * `.venv-models/bin/python scripts/models/export_cross_encoder.py` into models/cross-encoder-untrained (or the
 * folder in GRADESHIFT_CROSS_ENCODER_DIR). Its pair token ids, logits and [CLS] states in onnxruntime-node equal
 * PyTorch's to 1e-4 (tests/fixtures/golden/cross-encoder-untrained-reference.json, from
 * `export_cross_encoder.py --write-reference tests/fixtures/golden/cross-encoder-untrained-reference.json`), and
 * `gradeshift evaluate --cross-encoder` runs end to end on a slice of the shared Crowdflower file, and the bundle
 * it writes (`--bundle-out`) gives `gradeshift score` the evaluation's probabilities and grades for the same
 * pairs. Skipped, saying so, when the folder is absent. The evaluation's quality figures mean nothing (the head is random).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { getDatasetPreset, loadCrossEncoder, loadDataset } from '@gradeshift/pipeline';
import { loadTokenizerFile } from '@gradeshift/core/node';
import { afterAll, describe, expect, it } from 'vitest';

import { REPO_ROOT } from './home-depot-slice';

const folder = resolve(
  process.env['GRADESHIFT_CROSS_ENCODER_DIR'] ?? join(REPO_ROOT, 'models/cross-encoder-untrained'),
);
const present = existsSync(join(folder, 'model.onnx'));
const skipped = present
  ? ''
  : ` (skipped: ${folder} is absent; run npm run models:cross-encoder-untrained)`;
const reference = JSON.parse(
  readFileSync(
    new URL('../fixtures/golden/cross-encoder-untrained-reference.json', import.meta.url),
    'utf8',
  ),
) as {
  maxLength: number;
  pairs: [string, string][];
  inputIds: number[][];
  typeIds: number[][];
  logits: number[][];
  clsState: number[][];
};
const CROWDFLOWER = resolve(REPO_ROOT, getDatasetPreset('crowdflower').path);
const dir = mkdtempSync(join(tmpdir(), 'gradeshift-cross-encoder-minilm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!present)(`MiniLM cross-encoder (untrained head) in gradeshift${skipped}`, () => {
  it('encodes pairs and gives PyTorch logits and [CLS] states to 1e-4', async () => {
    const tokenizer = await loadTokenizerFile(join(folder, 'tokenizer.json'));
    reference.pairs.forEach(([query, item], i) => {
      const e = tokenizer.encode(query, { pair: item, maxLength: reference.maxLength });
      expect(e.ids).toEqual(reference.inputIds[i]);
      expect(e.typeIds).toEqual(reference.typeIds[i]);
    });
    const backbone = await loadCrossEncoder(folder, { maxLength: reference.maxLength });
    try {
      expect([backbone.embeddingRows, backbone.hidden, backbone.labels]).toEqual([
        30522,
        'last_hidden_state',
        ['irrelevant', 'weak', 'strong'],
      ]);
      const scores = await backbone.score(
        reference.pairs.map(([query, item]) => ({ query, item })),
      );
      expect(scores.grades).toBe(3);
      expect(Array.from(scores.logits)).toBeDeepCloseTo(reference.logits.flat(), { abs: 1e-4 });
      expect(Array.from(scores.spaces['relevance']?.data ?? [])).toBeDeepCloseTo(
        reference.clsState.flat(),
        { abs: 1e-4 },
      );
    } finally {
      await backbone.dispose();
    }
  }, 120_000);

  it.skipIf(!existsSync(CROWDFLOWER))(
    'runs `gradeshift evaluate --cross-encoder` on a Crowdflower slice',
    async () => {
      const preset = getDatasetPreset('crowdflower');
      const data = await loadDataset(CROWDFLOWER, {
        columns: preset.columns,
        grades: preset.grades,
      });
      const quote = (text: string) => `"${text.replaceAll('"', '""')}"`;
      const slice = (name: string, from: number, to: number) => {
        const rows = data.pairs
          .slice(from, to)
          .map((p) => [p.id, p.query, p.item, String(p.rating)].map(quote).join(','));
        const header = 'id,query,product_title,median_relevance';
        writeFileSync(join(dir, name), `${header}\n${rows.join('\n')}\n`);
        return join(dir, name);
      };
      const out = join(dir, 'runs', 'ce');
      const run = spawnSync(
        process.execPath,
        [
          join(REPO_ROOT, 'apps/cli/bin/gradeshift.js'),
          'evaluate',
          '--cross-encoder',
          folder,
          '--preset',
          'crowdflower',
          '--data',
          slice('data.csv', 300, 450),
          '--reference',
          slice('reference.csv', 0, 300),
          '--max-length',
          '64',
          '--resamples',
          '50',
          '--out',
          out,
          '--bundle-out',
          join(dir, 'bundle'),
        ],
        { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
      );
      expect(run.stderr).not.toMatch(/error/i);
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/^150 pairs evaluated\n/);
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
      expect(report.external.embedding_width).toBe(384);
      expect(report.external.decision.fit.split).toBe('reference');
      expect(Object.keys(report.external.ood_detection).sort()).toEqual([
        'energy',
        'knn',
        'mahalanobis',
        'max_logit',
        'msp',
      ]);
      // The bundle it wrote scores the same pairs as the evaluation did.
      const score = spawnSync(
        process.execPath,
        [
          join(REPO_ROOT, 'apps/cli/bin/gradeshift.js'),
          'score',
          '--model',
          join(dir, 'bundle'),
          '--data',
          join(dir, 'data.csv'),
          '--query-col',
          'query',
          '--item-col',
          'product_title',
          '--id-col',
          'id',
          '--out',
          join(dir, 'scored.jsonl'),
        ],
        { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
      );
      expect(score.stderr).not.toMatch(/error/i);
      expect(score.status).toBe(0);
      const lines = (path: string) =>
        readFileSync(path, 'utf8')
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as { id: string; probs: number[]; predicted: number });
      const evaluated = new Map(lines(join(out, 'predictions.jsonl')).map((r) => [r.id, r]));
      const scored = lines(join(dir, 'scored.jsonl'));
      expect(scored).toHaveLength(150);
      for (const row of scored) {
        expect(row.probs).toEqual(evaluated.get(row.id)?.probs);
        expect(row.predicted).toBe(evaluated.get(row.id)?.predicted);
      }
    },
    600_000,
  );
});

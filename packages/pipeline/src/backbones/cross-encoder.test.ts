/**
 * The cross-encoder backbone on a tiny BERT-shaped cross-encoder the test builds (`@gradeshift/core/testing`:
 * word + type + position embeddings, one tanh layer, a 3-grade head on the [CLS] state) with the committed tiny
 * WordPiece tokenizer: its logits and [CLS] space equal the plain-loop reference; id2label reorders the
 * columns; the evaluation equals `evaluatePredictions` on a JSONL of the same scores; a single-score model is
 * cut on the reference by ordinal thresholds; an unusable folder is refused with what to do.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  tinyCrossEncoderReference,
  tinyEncoderModel,
  tinyEncoderStates,
  type TinyEncoderOptions,
} from '@gradeshift/core/testing';
import { createSubwordTokenizer } from '@gradeshift/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { isBundleError } from '../bundle/bundle-error';
import type { Dataset } from '../data/dataset';
import { loadDataset } from '../data/load-dataset';
import { evaluatePredictions } from '../external/evaluate-predictions';
import { openRunStore } from '../store/run-store';
import { loadCrossEncoder } from './cross-encoder';
import { evaluateCrossEncoder, logitMapping } from './evaluate-cross-encoder';

const TOKENIZER = new URL(
  '../../../../tests/fixtures/tokenizer/tiny-wordpiece.json',
  import.meta.url,
);
const tokenizer = createSubwordTokenizer(JSON.parse(readFileSync(TOKENIZER, 'utf8')));
const dir = mkdtempSync(join(tmpdir(), 'gradeshift-cross-encoder-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Per query: an exact item (grade 2), a related one (1), an unrelated one (0). */
const PRODUCTS = [
  ['drill', 'cordless drill 18 v', 'drill bracket', 'garden hose 50 ft'],
  ['garden hose', 'garden hose 50ft', 'outdoor hose fitting', 'porcelain tile'],
  ['led bulb', 'brightline led bulb 60w', 'solar light', 'copper pipe'],
  ['paint', 'satin wall paint 1 gal', 'matte creme', 'thermostat'],
  ['tile', 'porcelain floor tile 12x24', 'floor mat', 'cordless drill'],
  ['copper pipe', 'copper pipe elbow', 'steel pipe fitting', 'led light'],
  ['chair', 'outdoor chair grey', 'chair mat', 'battery pack'],
  ['thermostat', 'smart thermostat 24vac', 'thermos', 'wall paint'],
  ['battery', 'nimh battery pack', 'battery light', 'garden chair'],
  ['bracket', 'steel angle bracket', 'wall bracket', 'beige paint'],
  ['elbow', 'copper elbow 90°', 'pipe fitting', 'solar path light'],
  ['floor mat', 'outdoor floor mat', 'floor tile', 'drill'],
  ['solar light', 'solar path light', 'outdoor light', 'grey chair'],
  ['wall paint', 'white wall paint', 'satin paint', 'hose'],
  ['steel pipe', 'steel pipe 2 in', 'copper pipe', 'matte tile'],
  ['smart light', 'smart led light', 'bright bulb', 'steel bracket'],
] as const;

function csvOf(name: string, rows: readonly (readonly string[])[]): string {
  const path = join(dir, name);
  const lines = rows.flatMap(([q, ...items]) => items.map((item, i) => `${q},${item},${2 - i}`));
  writeFileSync(path, `query,title,label\n${lines.join('\n')}\n`);
  return path;
}
const load = (path: string) =>
  loadDataset(path, {
    columns: { query: 'query', item: 'title', label: 'label' },
    grades: { kind: 'values', grades: [['0'], ['1'], ['2']] },
  });

/** Writes a cross-encoder folder; returns its path and the model's weights. */
function folder(
  name: string,
  options: Partial<TinyEncoderOptions> & { config?: object; tokenizer?: boolean } = {},
) {
  const path = join(dir, name);
  mkdirSync(path, { recursive: true });
  const { bytes, weights } = tinyEncoderModel({
    vocab: tokenizer.vocabSize,
    head: 3,
    outputs: ['logits', 'last_hidden_state'],
    ...options,
  });
  writeFileSync(join(path, 'model.onnx'), bytes);
  if (options.tokenizer !== false) copyFileSync(TOKENIZER, join(path, 'tokenizer.json'));
  if (options.config !== undefined)
    writeFileSync(join(path, 'config.json'), JSON.stringify(options.config));
  return { path, weights };
}

const REVERSED = {
  id2label: { 0: 'strong', 1: 'weak', 2: 'irrelevant' },
  max_position_embeddings: 64,
};

async function refusal(run: () => Promise<unknown>): Promise<unknown> {
  return run().then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('the cross-encoder backbone', () => {
  let reference: Dataset;
  let data: Dataset;
  beforeAll(async () => {
    reference = await load(csvOf('reference.csv', PRODUCTS.slice(0, 12)));
    data = await load(csvOf('data.csv', PRODUCTS.slice(12)));
  });

  it('scores pairs as the plain-loop reference: logits in model order, [CLS] as the relevance space', async () => {
    const { path, weights } = folder('ce', { config: REVERSED });
    const backbone = await loadCrossEncoder(path, { batchSize: 5 });
    try {
      expect([backbone.kind, backbone.hidden, backbone.embeddingRows, backbone.maxLength]).toEqual([
        'cross-encoder',
        'last_hidden_state',
        tokenizer.vocabSize,
        64,
      ]);
      expect(backbone.labels).toEqual(['strong', 'weak', 'irrelevant']);
      expect(backbone.sha256.model).toBe(
        createHash('sha256')
          .update(readFileSync(join(path, 'model.onnx')))
          .digest('hex'),
      );
      const scores = await backbone.score(data.pairs);
      const encodings = data.pairs.map((p) =>
        tokenizer.encode(p.query, { pair: p.item, maxLength: 64 }),
      );
      expect(Array.from(scores.logits)).toBeDeepCloseTo(
        encodings.flatMap((e) => Array.from(tinyCrossEncoderReference(weights, e.ids, e.typeIds))),
        { abs: 1e-5, rel: 1e-4 },
      );
      expect(Array.from(scores.spaces['relevance']?.data ?? [])).toBeDeepCloseTo(
        encodings.flatMap((e) => Array.from(tinyEncoderStates(weights, e.ids, e.typeIds)[0] ?? [])),
        { abs: 1e-5, rel: 1e-4 },
      );
      expect(logitMapping(backbone, 3, data.scale)).toEqual({
        kind: 'columns',
        columns: [2, 1, 0],
      });
    } finally {
      await backbone.dispose();
    }
  });

  it('evaluates the data against the reference exactly as external predictions from files', async () => {
    const { path } = folder('ce-eval', { config: REVERSED });
    const out = join(dir, 'runs', 'ce-eval');
    const storePath = join(dir, 'runs', 'runs.sqlite');
    const result = await evaluateCrossEncoder({
      model: path,
      data,
      reference,
      resamples: 20,
      outDir: out,
      storePath,
    });
    const store = openRunStore(storePath, { readonly: true });
    try {
      // The run records which model scored the pairs, with its checksum and the logit mapping.
      expect(store.requireRun(result.runId ?? '').config).toMatchObject({
        cross_encoder: path,
        cross_encoder_sha256: {
          model: createHash('sha256')
            .update(readFileSync(join(path, 'model.onnx')))
            .digest('hex'),
        },
        logit_mapping: [2, 1, 0],
        relevance_space: 'last_hidden_state',
      });
    } finally {
      store.close();
    }
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      external: { decision: { fit: { split: string } | null }; embedding_width: number };
      ood_spaces: Record<string, string>;
    };
    expect(report.external.decision.fit?.split).toBe('reference');
    expect(report.external.embedding_width).toBe(8);
    expect(Object.keys(result.detection).sort()).toEqual([
      'energy',
      'knn',
      'mahalanobis',
      'max_logit',
      'msp',
    ]);
    // The same scores written as JSONL files (logits in the data's grade order, [CLS] as the embedding).
    const backbone = await loadCrossEncoder(path);
    const jsonl = async (name: string, d: Dataset) => {
      const s = await backbone.score(d.pairs);
      const rows = d.pairs.map((p, i) => {
        const z = Array.from(s.logits.subarray(3 * i, 3 * i + 3)).reverse();
        const e = Array.from(s.spaces['relevance']?.data.subarray(8 * i, 8 * i + 8) ?? []);
        return JSON.stringify({
          query: p.query,
          item: p.item,
          grade: p.grade,
          logits: z,
          embedding: e,
        });
      });
      writeFileSync(join(dir, name), `${rows.join('\n')}\n`);
      return join(dir, name);
    };
    const fromFiles = await evaluatePredictions({
      predictions: await jsonl('data.jsonl', data),
      reference: await jsonl('reference.jsonl', reference),
      resamples: 20,
    }).finally(() => backbone.dispose());
    expect(result.detection).toEqual(fromFiles.detection);
    expect(result.metrics).toEqual(fromFiles.metrics);
  });

  it('cuts a single-score model by ordinal thresholds fitted on the reference', async () => {
    const { path } = folder('ce-single', { head: 1, outputs: ['logits'] });
    const out = join(dir, 'runs', 'ce-single');
    const storePath = join(dir, 'runs', 'runs.sqlite');
    const result = await evaluateCrossEncoder({
      model: path,
      data,
      reference,
      resamples: 20,
      outDir: out,
      storePath,
    });
    const store = openRunStore(storePath, { readonly: true });
    try {
      expect(store.requireRun(result.runId ?? '').config).toMatchObject({
        logit_mapping: 'single score s → grade logits c·s',
        relevance_space: null,
      });
    } finally {
      store.close();
    }
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      external: { decision: { rule: { kind: string; thresholds: number[] } } };
    };
    expect(report.external.decision.rule.kind).toBe('ordinal-thresholds');
    expect(report.external.decision.rule.thresholds).toHaveLength(2);
    // No hidden state: the logit scores only.
    expect(Object.keys(result.detection).sort()).toEqual(['energy', 'max_logit', 'msp']);
  });

  it('refuses a folder without tokenizer.json, a tokenizer past the embedding table, a model without logits', async () => {
    const noTokenizer = folder('no-tokenizer', { tokenizer: false }).path;
    const e1 = await refusal(() => loadCrossEncoder(noTokenizer));
    expect(isBundleError(e1, 'MISSING_FILE')).toBe(true);
    expect(String(e1)).toContain(
      `${join(noTokenizer, 'tokenizer.json')}: the folder has no tokenizer.json`,
    );
    const small = folder('small-table', { tableRows: 100 }).path;
    const e2 = await refusal(() => loadCrossEncoder(small));
    expect(isBundleError(e2, 'MODEL_MISMATCH')).toBe(true);
    expect(String(e2)).toContain(
      `tokenizer.json has ${tokenizer.vocabSize} ids but model.onnx's token-embedding table (word) has 100 rows`,
    );
    // A table the graph does not reveal (input_ids through an Identity): found by running the largest id.
    const hidden = folder('hidden-table', { tableRows: 100, indirectIds: true }).path;
    const e4 = await refusal(() => loadCrossEncoder(hidden));
    expect(isBundleError(e4, 'MODEL_MISMATCH')).toBe(true);
    expect(String(e4)).toContain(
      `the model fails on the tokenizer's largest id ${tokenizer.vocabSize - 1}`,
    );
    const fine = await loadCrossEncoder(folder('hidden-fine', { indirectIds: true }).path);
    expect(fine.embeddingRows).toBeNull();
    // Without config.json, the position table (64 rows) caps the tokenizer's truncation length.
    expect([tokenizer.maxLength, fine.maxLength]).toEqual([512, 64]);
    await fine.dispose();
    // A tokenizer whose pair template names a special token its vocabulary lacks.
    const noSep = folder('no-sep').path;
    const json = JSON.parse(readFileSync(TOKENIZER, 'utf8')) as {
      model: { vocab: Record<string, number> };
      added_tokens: { content: string }[];
    };
    delete json.model.vocab['[SEP]'];
    json.added_tokens = json.added_tokens.filter((t) => t.content !== '[SEP]');
    writeFileSync(join(noSep, 'tokenizer.json'), JSON.stringify(json));
    const e5 = await refusal(() => loadCrossEncoder(noSep));
    expect(isBundleError(e5, 'MODEL_LOAD_FAILED')).toBe(true);
    expect(String(e5)).toContain(`${join(noSep, 'tokenizer.json')}: `);
    expect(String(e5)).toMatch(/special token \[SEP\] is not in the vocabulary/);
    const noLogits = folder('no-logits', { outputs: ['last_hidden_state'] }).path;
    const e3 = await refusal(() => loadCrossEncoder(noLogits));
    expect(isBundleError(e3, 'MODEL_LOAD_FAILED')).toBe(true);
    expect(String(e3)).toMatch(/but no logits; export the model with its classification head/);
  });

  it('reports progress per chunk of pairs and stops on the signal', async () => {
    const backbone = await loadCrossEncoder(folder('ce-progress').path);
    try {
      const events: [number | undefined, number | undefined][] = [];
      await backbone.score(reference.pairs, { progress: (e) => events.push([e.done, e.total]) });
      expect(events).toEqual([[reference.pairs.length, reference.pairs.length]]);
      const controller = new AbortController();
      controller.abort(new Error('stopped by the test'));
      const stopped = await refusal(() =>
        backbone.score(reference.pairs, { signal: controller.signal }),
      );
      expect(String(stopped)).toMatch(/stopped by the test/);
    } finally {
      await backbone.dispose();
    }
  });

  it('refuses logits that do not match the data grades', async () => {
    const four = folder('four', { head: 4 }).path;
    const e1 = await refusal(() =>
      evaluateCrossEncoder({ model: four, data, reference, resamples: 5 }),
    );
    expect(isBundleError(e1, 'MODEL_MISMATCH')).toBe(true);
    expect(String(e1)).toMatch(/the model gives 4 logits but the data has 3 grades/);
    const named = folder('named', { config: { id2label: { 0: 'bad', 1: 'ok', 2: 'good' } } }).path;
    const e2 = await refusal(() =>
      evaluateCrossEncoder({ model: named, data, reference, resamples: 5 }),
    );
    expect(String(e2)).toMatch(
      /id2label \[bad, ok, good\] lacks the data's grades irrelevant, weak, strong/,
    );
  });
});

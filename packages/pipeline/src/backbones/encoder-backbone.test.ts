/**
 * The encoder backbone's parts on a tiny BERT-shaped ONNX encoder the test builds (core's tiny encoder fixture)
 * and the committed tiny WordPiece tokenizer, through onnxruntime-node: the embedding cache (one encode per
 * distinct text, none on a second open, a new folder for another truncation, half-written shards ignored, a
 * corrupt shard refused), the head's feature blocks, the backbone's scores and spaces, and the teacher file.
 */
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createGradeHead, createTextEncoder, termMatchFeatureMatrix } from '@gradeshift/core';
import { createRng } from '@gradeshift/core/math';
import { createNodeBackend, loadTokenizerFile } from '@gradeshift/core/node';
import { tinyEncoderModel } from '@gradeshift/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { scoreFile } from '../pipeline/score-file';
import { encoderCacheFolder } from './embedding-cache';
import {
  openEncoderBundle,
  writeEncoderBundle,
  type EncoderBundleManifest,
} from './encoder-bundle';
import { trainingTermStatistics } from './encoder-splits';
import { isEncoderBundle } from './score-encoder-bundle';
import { createEncoderBackbone } from './encoder-backbone';
import { contentSpace, DEFAULT_EMBEDDING_BLOCKS, encodePairs } from './encoder-features';
import { softmaxRow, writeTeacherFile } from './encoder-outputs';
import { openEncoder } from './open-encoder';

const TOKENIZER = new URL(
  '../../../../tests/fixtures/tokenizer/tiny-wordpiece.json',
  import.meta.url,
);
const PAIRS = [
  { query: 'cordless drill', item: 'Brightline 60 W LED bulb, warm white (2700 K)' },
  { query: 'led bulb 60w', item: 'Brightline 60 W LED bulb, warm white (2700 K)' },
  { query: 'cordless drill', item: 'Café crème satin wall paint 1 gal. / 3.78 L' },
  { query: 'garden hose', item: 'Señor Jardín garden hose 50 ft. x 5/8 in.' },
];
const TEXTS = [...new Set(PAIRS.flatMap((p) => [p.query, p.item]))];

let dir: string;
let folder: string;
const opened: { dispose(): Promise<void> }[] = [];
const open = async (options: { cacheDir: string | null; maxLength?: number }) => {
  const encoder = await openEncoder(folder, { ...options, batchSize: 2 });
  opened.push(encoder);
  return encoder;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gradeshift-encoder-'));
  folder = join(dir, 'tiny');
  const tokenizer = await loadTokenizerFile(TOKENIZER.pathname);
  const { bytes } = tinyEncoderModel({ vocab: tokenizer.vocabSize, seed: 3 });
  writeFileSync(join(dir, 'model.onnx'), bytes);
  mkdirSync(folder);
  copyFileSync(join(dir, 'model.onnx'), join(folder, 'model.onnx'));
  copyFileSync(TOKENIZER, join(folder, 'tokenizer.json'));
});
afterAll(async () => {
  await Promise.all(opened.map((e) => e.dispose()));
  rmSync(dir, { recursive: true, force: true });
});

describe('the embedding cache', () => {
  it('encodes each distinct text once, reads them back on a second open, and equals the encoder', async () => {
    const cacheDir = join(dir, 'cache-a');
    const first = await open({ cacheDir });
    const a = await first.embed([...TEXTS, TEXTS[0]!]);
    expect(a.encoded).toBe(TEXTS.length);
    expect(first.runs).toBe(Math.ceil(TEXTS.length / 2));
    const second = await open({ cacheDir });
    const b = await second.embed(TEXTS);
    expect({ encoded: b.encoded, runs: second.runs }).toEqual({ encoded: 0, runs: 0 });
    expect(Array.from(b.data)).toEqual(Array.from(a.data.subarray(0, TEXTS.length * a.dim)));
    // The duplicate row is the first text's row.
    expect(Array.from(a.data.subarray(TEXTS.length * a.dim))).toEqual(
      Array.from(a.data.subarray(0, a.dim)),
    );
    // The same values as the encoder run directly.
    const session = await createNodeBackend({ intraOpNumThreads: 1 }).createSessionFromFile(
      join(folder, 'model.onnx'),
    );
    const direct = await createTextEncoder(session, await loadTokenizerFile(TOKENIZER.pathname), {
      maxLength: 128,
    }).embed(TEXTS);
    await session.dispose();
    expect(Array.from(b.data)).toEqual(Array.from(direct.data));
  });

  it('keys the folder by truncation, and ignores a shard without its key file', async () => {
    const cacheDir = join(dir, 'cache-b');
    const key = { modelSha256: 'x', output: 'sentence_embedding' };
    expect(encoderCacheFolder(cacheDir, { ...key, maxLength: 8 })).not.toBe(
      encoderCacheFolder(cacheDir, { ...key, maxLength: 16 }),
    );
    await (await open({ cacheDir, maxLength: 16 })).embed(TEXTS);
    const other = await open({ cacheDir, maxLength: 8 });
    expect((await other.embed(TEXTS)).encoded).toBe(TEXTS.length);
    const shardFolder = join(cacheDir, 'encoder', readdirSync(join(cacheDir, 'encoder'))[0]!);
    // A crash between the rows and the keys leaves a .bin alone: never read.
    writeFileSync(join(shardFolder, 'zz-orphan.bin'), new Uint8Array(12));
    expect((await (await open({ cacheDir, maxLength: 16 })).embed(TEXTS)).encoded).toBe(0);
  });

  it('refuses a shard whose rows do not match its keys, naming the folder to delete', async () => {
    const cacheDir = join(dir, 'cache-c');
    await (await open({ cacheDir })).embed(TEXTS);
    const shardFolder = join(cacheDir, 'encoder', readdirSync(join(cacheDir, 'encoder'))[0]!);
    const json = readdirSync(shardFolder).find((n) => n.endsWith('.json'))!;
    const shard = JSON.parse(readFileSync(join(shardFolder, json), 'utf8')) as { keys: string[] };
    writeFileSync(
      join(shardFolder, json),
      JSON.stringify({ ...shard, keys: [...shard.keys, 'extra'] }),
    );
    await expect((await open({ cacheDir })).embed(TEXTS)).rejects.toThrow(/delete the folder/);
  });
});

describe('opening an encoder folder', () => {
  it('refuses a tokenizer larger than the vocabulary, a tokenizer without [PAD], a model without an embedding output', async () => {
    const tokenizer = JSON.parse(readFileSync(TOKENIZER, 'utf8')) as {
      model: { vocab: Record<string, number> };
      added_tokens?: { content: string }[];
    };
    const size = Object.keys(tokenizer.model.vocab).length;
    const bad = join(dir, 'bad');
    mkdirSync(bad, { recursive: true });
    copyFileSync(join(folder, 'model.onnx'), join(bad, 'model.onnx'));
    copyFileSync(TOKENIZER, join(bad, 'tokenizer.json'));
    writeFileSync(join(bad, 'config.json'), JSON.stringify({ vocab_size: size - 1 }));
    await expect(openEncoder(bad, { cacheDir: null })).rejects.toThrow(
      new RegExp(`${size} tokens but the model's embedding table has ${size - 1} rows`),
    );
    writeFileSync(join(bad, 'config.json'), JSON.stringify({ vocab_size: size }));
    const { [`[PAD]`]: _pad, ...withoutPad } = tokenizer.model.vocab;
    writeFileSync(
      join(bad, 'tokenizer.json'),
      JSON.stringify({
        ...tokenizer,
        model: { ...tokenizer.model, vocab: withoutPad },
        added_tokens: (tokenizer.added_tokens ?? []).filter((t) => t.content !== '[PAD]'),
      }),
    );
    await expect(openEncoder(bad, { cacheDir: null })).rejects.toThrow(/\[PAD\]/);
    copyFileSync(TOKENIZER, join(bad, 'tokenizer.json'));
    const vocab = (await loadTokenizerFile(TOKENIZER.pathname)).vocabSize;
    writeFileSync(join(bad, 'model.onnx'), tinyEncoderModel({ vocab, outputs: [] }).bytes);
    await expect(openEncoder(bad, { cacheDir: null })).rejects.toThrow(
      /sentence_embedding or last_hidden_state/,
    );
  });
});

describe('the encoder backbone', () => {
  it('builds the head input from the blocks and the term-match features', async () => {
    const encoder = await open({ cacheDir: null });
    const encoded = await encodePairs(encoder, PAIRS, {
      lexical: null,
      blocks: ['q', 'd', 'product', 'difference', 'cosine'],
    });
    const dim = encoded.dim;
    expect(encoded.source.cols).toBe(4 * dim + 1);
    const table = await encoder.embed(TEXTS);
    const row = (t: string) =>
      Array.from(table.data.subarray(TEXTS.indexOf(t) * dim, (TEXTS.indexOf(t) + 1) * dim));
    const out = new Float64Array(encoded.source.cols);
    encoded.source.fill(2, out);
    const q = row(PAIRS[2]!.query);
    const d = row(PAIRS[2]!.item);
    const expected = [
      ...q,
      ...d,
      ...q.map((v, k) => v * d[k]!),
      ...q.map((v, k) => Math.abs(v - d[k]!)),
      q.reduce((s, v, k) => s + v * d[k]!, 0),
    ];
    expect(Array.from(out)).toBeDeepCloseTo(expected, { abs: 1e-12, rel: 0 });
    const withLexical = await encodePairs(encoder, PAIRS, { lexical: null, blocks: [] });
    expect(withLexical.source.cols).toBe(0);
    const lexical = termMatchFeatureMatrix(PAIRS);
    expect(lexical.cols).toBe(26);
  });

  it('scores pairs into logits and the relevance and content spaces, in input order', async () => {
    const encoder = await open({ cacheDir: null });
    const encoded = await encodePairs(encoder, PAIRS, { lexical: null });
    const cols = encoded.source.cols;
    const head = createGradeHead(
      { inputs: cols, hidden: 5, grades: 3 },
      { mean: new Float64Array(cols), scale: new Float64Array(cols).fill(1) },
      createRng(1),
    );
    const backbone = createEncoderBackbone(encoder, { head, lexical: null });
    const scores = await backbone.score(PAIRS);
    expect([backbone.kind, scores.rows, scores.grades, scores.logits.length]).toEqual([
      'encoder',
      4,
      3,
      12,
    ]);
    expect(scores.spaces['relevance']!.dim).toBe(5);
    expect(scores.spaces['content']).toEqual(contentSpace(encoded));
    const reversed = await backbone.score([...PAIRS].reverse());
    expect(Array.from(reversed.logits.subarray(0, 3))).toEqual(
      Array.from(scores.logits.subarray(9, 12)),
    );
  });
});

describe('the encoder bundle', () => {
  const headFor = (cols: number) =>
    createGradeHead(
      { inputs: cols, hidden: 4, grades: 3 },
      { mean: new Float64Array(cols), scale: new Float64Array(cols).fill(1) },
      createRng(2),
    );

  it('scores as the backbone it was written from, with the head run as its ONNX graph', async () => {
    const encoder = await open({ cacheDir: null });
    const lexical = trainingTermStatistics(
      PAIRS.map((p, i) => ({ ...p, id: String(i), line: i + 2, grade: 0 })),
    );
    const encoded = await encodePairs(encoder, PAIRS, { lexical });
    const head = headFor(encoded.source.cols);
    const blocks = DEFAULT_EMBEDDING_BLOCKS;
    const expected = await createEncoderBackbone(encoder, { head, lexical, blocks }).score(PAIRS);
    const outDir = join(dir, 'bundle');
    const manifest = writeEncoderBundle({
      encoder,
      head,
      lexical,
      blocks,
      dim: encoded.dim,
      grades: ['irrelevant', 'weak', 'strong'],
      decisions: { decision: { kind: 'argmax' }, ood: {} },
      outDir,
    });
    expect(manifest.head.lexical).toBe(26);
    expect(manifest.backbone.model.sha256).toMatch(/^[0-9a-f]{64}$/);
    const bundle = await openEncoderBundle(outDir, { cacheDir: null });
    opened.push(bundle);
    const scores = await bundle.score(PAIRS);
    expect(Array.from(scores.logits)).toBeDeepCloseTo(Array.from(expected.logits), {
      abs: 1e-4,
      rel: 1e-4,
    });
    expect(scores.spaces.content).toEqual(expected.spaces['content']);
  });

  it('scores a pairs file through gradeshift score: the rows of a scorer bundle, ranked within each query', async () => {
    const path = join(dir, 'pairs.csv');
    writeFileSync(path, `q,title\n${PAIRS.map((p) => `"${p.query}","${p.item}"`).join('\n')}\n`);
    const out = join(dir, 'scored.jsonl');
    expect(isEncoderBundle(join(dir, 'bundle'))).toBe(true);
    expect(isEncoderBundle(dir)).toBe(false);
    const result = await scoreFile({
      modelDir: join(dir, 'bundle'),
      path,
      load: { columns: { query: 'q', item: 'title' } },
      out,
    });
    expect(result).toEqual({ pairs: 4, skipped: 0 });
    const rows = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            query: string;
            probs: number[];
            rank: number;
            ood: object;
            predicted_name: string;
          },
      );
    for (const row of rows) {
      expect(row.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(row.ood).toEqual({});
      expect(['irrelevant', 'weak', 'strong']).toContain(row.predicted_name);
    }
    // 'cordless drill' has two items: ranks 0 and 1.
    expect(
      rows
        .filter((r) => r.query === 'cordless drill')
        .map((r) => r.rank)
        .sort(),
    ).toEqual([0, 1]);
  });

  it('refuses a changed file and a model without the declared output, saying what to do', async () => {
    const outDir = join(dir, 'bundle');
    const manifestPath = join(outDir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as EncoderBundleManifest;
    writeFileSync(
      manifestPath,
      JSON.stringify({ ...manifest, backbone: { ...manifest.backbone, output: 'pooler_output' } }),
    );
    await expect(openEncoderBundle(outDir, { cacheDir: null })).rejects.toThrow(
      /has outputs \[last_hidden_state, sentence_embedding\] but the manifest declares pooler_output: export the model/,
    );
    writeFileSync(manifestPath, JSON.stringify(manifest));
    writeFileSync(join(outDir, 'term-statistics.json'), '{}');
    await expect(openEncoderBundle(outDir, { cacheDir: null })).rejects.toThrow(
      /term-statistics.json: sha256 .* differs from the manifest's .*: the file changed after export; export the bundle again/,
    );
  });
});

describe('the teacher file', () => {
  it('writes probabilities summing to 1, with the grade only where it is known', () => {
    const logits = Float32Array.from([2, 0, -1, 50, 49, -30, 0, 0, 0]);
    const scores = { rows: 3, grades: 3, logits, spaces: {} };
    const path = join(dir, 'teacher.jsonl');
    const rows = writeTeacherFile(path, [
      { split: 'id_train', pairs: [{ id: 'a', query: 'q', item: 'i', grade: 2 }], scores },
      {
        split: 'pool',
        pairs: [
          { id: 'b', query: 'q', item: 'j' },
          { id: 'c', query: 'r', item: 'k' },
        ],
        scores,
      },
    ]);
    const lines = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toBe(3);
    expect(lines.map((l) => [l['split'], l['grade']])).toEqual([
      ['id_train', 2],
      ['pool', undefined],
      ['pool', undefined],
    ]);
    for (const l of lines)
      expect((l['probs'] as number[]).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // python3 -c "import numpy as np; x = np.array([2, 0, -1.]); e = np.exp(x - x.max()); print(list(e / e.sum()))"
    expect(softmaxRow(logits, 0, 3)).toBeDeepCloseTo(
      [0.8437947344813395, 0.11419519938459449, 0.04201006613406605],
      { abs: 1e-15, rel: 0 },
    );
    // Each block reads its own scores: the second pool pair is row 1, logits [50, 49, −30].
    expect((lines[2]!['probs'] as number[])[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 15);
  });
});

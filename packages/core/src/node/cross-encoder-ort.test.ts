/**
 * The cross-encoder runner on onnxruntime-node with a tiny BERT-shaped cross-encoder the test builds
 * (`encoder/tiny-encoder-fixture.ts` with a 3-grade head on the first token) and the committed tiny WordPiece
 * tokenizer: logits equal a plain-loop reference and an independent NumPy computation of the same network, in
 * input order whatever the batching; the hidden state is the first token's row; a tokenizer that does not fit
 * the model, a model without logits and a tokenizer without a pair template are refused with what to do.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { checkVocabulary } from '../encoder/check-vocabulary';
import { createCrossEncoder } from '../encoder/cross-encoder';
import {
  tinyCrossEncoderReference,
  tinyEncoderModel,
  tinyEncoderStates,
  type TinyEncoderWeights,
} from '../encoder/tiny-encoder-fixture';
import { isCoreError } from '../errors';
import type { InferenceSessionLike } from '../model/backend';
import { createTensor } from '../model/tensor';
import { findEmbeddingTable, findEmbeddingTables } from '../model/onnx/find-embedding-table';
import { createSubwordTokenizer } from '../subword/subword-tokenizer';
import { createNodeBackend } from './create-node-backend';

const TOKENIZER_JSON = JSON.parse(
  readFileSync(
    new URL('../../../../tests/fixtures/tokenizer/tiny-wordpiece.json', import.meta.url),
    'utf8',
  ),
) as Record<string, unknown>;
const tokenizer = createSubwordTokenizer(TOKENIZER_JSON, { maxLength: 24 });
const PAIRS = [
  { query: 'cordless drill', item: 'DeWalt 20V MAX cordless drill / driver kit' },
  { query: 'led bulb 60w', item: 'Brightline 60 W LED bulb, warm white (2700 K)' },
  { query: 'paint', item: 'Café crème satin wall paint 1 gal. / 3.78 L' },
  { query: 'garden hose', item: 'Señor Jardín garden hose 50 ft. x 5/8 in. '.repeat(4) },
  { query: 'hammer', item: 'hammer' },
];
const PYTHON = '/usr/bin/python3';
const dir = mkdtempSync(join(tmpdir(), 'gradeshift-cross-encoder-'));

/** Expected logits and CLS states from the plain-loop reference. */
function reference(weights: TinyEncoderWeights) {
  return PAIRS.map((p) => {
    const e = tokenizer.encode(p.query, { pair: p.item });
    return {
      logits: Array.from(tinyCrossEncoderReference(weights, e.ids, e.typeIds)),
      cls: Array.from(tinyEncoderStates(weights, e.ids, e.typeIds)[0] ?? []),
    };
  });
}

async function refusal(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('createCrossEncoder on onnxruntime-node', () => {
  const backend = createNodeBackend({ intraOpNumThreads: 1 });
  const sessions: InferenceSessionLike[] = [];
  const open = async (options: { outputs?: string[]; tableRows?: number } = {}) => {
    const { bytes, weights } = tinyEncoderModel({
      vocab: tokenizer.vocabSize,
      head: 3,
      outputs: options.outputs ?? ['logits', 'last_hidden_state'],
      tableRows: options.tableRows,
    });
    const session = await backend.createSession(bytes);
    sessions.push(session);
    return { session, weights, bytes };
  };
  afterAll(async () => {
    await Promise.all(sessions.map((s) => s.dispose()));
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([1, 2, 32])('matches the plain-loop reference with batch size %i', async (batchSize) => {
    const { session, weights } = await open();
    const ce = createCrossEncoder(session, tokenizer, { batchSize });
    expect(ce.hidden).toBe('last_hidden_state');
    const got = await ce.score(PAIRS);
    expect([got.rows, got.grades, got.hidden?.dim]).toEqual([PAIRS.length, 3, weights.hidden]);
    const want = reference(weights);
    expect(Array.from(got.logits)).toBeDeepCloseTo(
      want.flatMap((w) => w.logits),
      { abs: 1e-5, rel: 1e-4 },
    );
    expect(Array.from(got.hidden?.data ?? [])).toBeDeepCloseTo(
      want.flatMap((w) => w.cls),
      { abs: 1e-5, rel: 1e-4 },
    );
  });

  it.skipIf(!existsSync(PYTHON))('matches an independent NumPy computation', async () => {
    const { session, weights } = await open({ outputs: ['logits'] });
    const ce = createCrossEncoder(session, tokenizer);
    expect(ce.hidden).toBeNull();
    const got = await ce.score(PAIRS);
    const input = join(dir, 'numpy-input.json');
    const encodings = PAIRS.map((p) => tokenizer.encode(p.query, { pair: p.item }));
    const plain = (a: Float32Array) => Array.from(a);
    writeFileSync(
      input,
      JSON.stringify({
        h: weights.hidden,
        k: 3,
        word: plain(weights.word),
        type: plain(weights.type),
        position: plain(weights.position),
        w: plain(weights.w),
        b: plain(weights.b),
        hw: plain(weights.head?.w ?? new Float32Array()),
        hb: plain(weights.head?.b ?? new Float32Array()),
        ids: encodings.map((e) => e.ids),
        types: encodings.map((e) => e.typeIds),
      }),
    );
    // The network in NumPy 1.24 (Debian), float64: e = word[ids] + type[types] + position[:n]; h = tanh(e @ W + b);
    // logits = h[0] @ head_W + head_b.
    const script = [
      'import json, sys, numpy as np',
      'd = json.load(open(sys.argv[1]))',
      'h, k = d["h"], d["k"]',
      'M = lambda name, cols: np.array(d[name], dtype=np.float64).reshape(-1, cols)',
      'word, typ, pos, W = M("word", h), M("type", h), M("position", h), M("w", h)',
      'b, hw, hb = np.array(d["b"]), M("hw", k), np.array(d["hb"])',
      'out = []',
      'for ids, types in zip(d["ids"], d["types"]):',
      '    e = word[ids] + typ[types] + pos[: len(ids)]',
      '    out.append((np.tanh(e @ W + b)[0] @ hw + hb).tolist())',
      'print(json.dumps(out))',
    ].join('\n');
    const numpy = JSON.parse(
      execFileSync(PYTHON, ['-c', script, input], { encoding: 'utf8' }),
    ) as number[][];
    expect(Array.from(got.logits)).toBeDeepCloseTo(numpy.flat(), { abs: 1e-5, rel: 1e-4 });
  });

  it('reads the embedding table from the model bytes and refuses a tokenizer with more ids', async () => {
    const { bytes } = await open();
    expect(findEmbeddingTable(bytes)).toEqual({ name: 'word', dims: [tokenizer.vocabSize, 8] });
    const names = { tokenizer: 'tokenizer.json', model: 'model.onnx' };
    expect(checkVocabulary(tokenizer, bytes, names)).toEqual({
      rows: tokenizer.vocabSize,
      positions: 64,
    });
    const small = await open({ tableRows: tokenizer.vocabSize - 10 });
    const error = await refusal(() => checkVocabulary(tokenizer, small.bytes, names));
    expect(isCoreError(error, 'MODEL_LOAD_FAILED')).toBe(true);
    expect(String(error)).toContain(
      `tokenizer.json has ${tokenizer.vocabSize} ids but model.onnx's token-embedding table (word) has ${tokenizer.vocabSize - 10} rows`,
    );
  });

  const MINILM = new URL('../../../../models/minilm/model.onnx', import.meta.url);
  it.skipIf(!existsSync(MINILM))(
    'finds the real MiniLM tables: 30522 tokens and 512 positions × 384',
    () => {
      const { token, position } = findEmbeddingTables(new Uint8Array(readFileSync(MINILM)));
      expect(token?.dims).toEqual([30522, 384]);
      expect(token?.name).toMatch(/word_embeddings/);
      expect(position?.dims).toEqual([512, 384]);
    },
  );

  it('refuses a model without logits, saying how to export one', async () => {
    const { session } = await open({ outputs: ['last_hidden_state'] });
    const error = await refusal(() => createCrossEncoder(session, tokenizer));
    expect(isCoreError(error, 'MODEL_LOAD_FAILED')).toBe(true);
    expect(String(error)).toMatch(/but no logits; export the model with its classification head/);
  });

  it('refuses a tokenizer without a pair template', async () => {
    const { session } = await open();
    const bare = createSubwordTokenizer({ ...TOKENIZER_JSON, post_processor: null });
    const error = await refusal(() => createCrossEncoder(session, bare));
    expect(isCoreError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect(String(error)).toMatch(/adds no special tokens to a pair/);
  });

  it('takes pooled_output as is when the model has one', async () => {
    const fake: InferenceSessionLike = {
      inputNames: ['input_ids', 'attention_mask'],
      outputNames: ['logits', 'pooled_output', 'last_hidden_state'],
      run: (feeds) => {
        const batch = feeds['input_ids']?.dims[0] ?? 0;
        const rows = Float32Array.from({ length: batch * 2 }, (_, i) => i);
        return Promise.resolve({
          logits: createTensor('float32', rows, [batch, 2]),
          pooled_output: createTensor(
            'float32',
            rows.map((v) => -v),
            [batch, 2],
          ),
        });
      },
      dispose: () => Promise.resolve(),
    };
    const ce = createCrossEncoder(fake, tokenizer, { batchSize: 8 });
    expect(ce.hidden).toBe('pooled_output');
    const got = await ce.score([{ query: 'a', item: 'b' }]);
    expect(Array.from(got.hidden?.data ?? [])).toEqual([-0, -1]);
  });
});

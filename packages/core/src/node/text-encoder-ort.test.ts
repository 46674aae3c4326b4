/**
 * The encoder runner on onnxruntime-node with a tiny BERT-shaped model the test builds
 * (`encoder/tiny-encoder-fixture.ts`) and the committed tiny WordPiece tokenizer: embeddings equal a
 * plain-loop reference of the same network, in input order whatever the batching, for texts and pairs,
 * whether the model pools (`sentence_embedding`) or the runner does (`last_hidden_state` only).
 */
import { readFileSync } from 'node:fs';

import { afterAll, describe, expect, it } from 'vitest';

import { createTextEncoder } from '../encoder/text-encoder';
import { tinyEncoderModel, tinyEncoderReference } from '../encoder/tiny-encoder-fixture';
import { isCoreError } from '../errors';
import type { InferenceSessionLike } from '../model/backend';
import { createSubwordTokenizer } from '../subword/subword-tokenizer';
import { createNodeBackend } from './create-node-backend';

const tokenizer = createSubwordTokenizer(
  JSON.parse(
    readFileSync(
      new URL('../../../../tests/fixtures/tokenizer/tiny-wordpiece.json', import.meta.url),
      'utf8',
    ),
  ),
  { maxLength: 24 },
);
const INPUTS = [
  'cordless drill',
  { text: 'led bulb 60w', pair: 'Brightline 60 W LED bulb, warm white (2700 K)' },
  'Café crème satin wall paint 1 gal. / 3.78 L',
  'hammer',
  { text: 'garden hose', pair: 'Señor Jardín garden hose 50 ft. x 5/8 in. '.repeat(4) },
];

describe('createTextEncoder on onnxruntime-node', () => {
  const backend = createNodeBackend({ intraOpNumThreads: 1 });
  const sessions: InferenceSessionLike[] = [];
  const open = async (outputs?: readonly string[]) => {
    const { bytes, weights } = tinyEncoderModel({ vocab: tokenizer.vocabSize, outputs });
    const session = await backend.createSession(bytes);
    sessions.push(session);
    return { session, weights };
  };
  afterAll(async () => {
    await Promise.all(sessions.map((s) => s.dispose()));
  });

  const expected = (weights: Parameters<typeof tinyEncoderReference>[0]) =>
    INPUTS.flatMap((input) => {
      const e =
        typeof input === 'string'
          ? tokenizer.encode(input)
          : tokenizer.encode(input.text, { pair: input.pair });
      return Array.from(tinyEncoderReference(weights, e.ids, e.typeIds));
    });

  it.each([1, 2, 32])('matches the reference with batch size %i', async (batchSize) => {
    const { session, weights } = await open();
    const encoder = createTextEncoder(session, tokenizer, { batchSize });
    expect(encoder.output).toBe('sentence_embedding');
    const got = await encoder.embed(INPUTS);
    expect(got.rows).toBe(INPUTS.length);
    expect(got.dim).toBe(weights.hidden);
    expect(Array.from(got.data)).toBeDeepCloseTo(expected(weights), { abs: 1e-5, rel: 1e-4 });
  });

  it('mean-pools last_hidden_state when the model has no sentence_embedding', async () => {
    const { session, weights } = await open(['last_hidden_state']);
    const encoder = createTextEncoder(session, tokenizer, { batchSize: 3 });
    expect(encoder.output).toBe('last_hidden_state');
    const got = await encoder.embed(INPUTS);
    expect(Array.from(got.data)).toBeDeepCloseTo(expected(weights), { abs: 1e-5, rel: 1e-4 });
  });

  it('refuses a model without the outputs an encoder needs, saying what to do', async () => {
    const { session } = await open([]);
    let error: unknown;
    try {
      createTextEncoder(session, tokenizer);
    } catch (caught) {
      error = caught;
    }
    expect(isCoreError(error, 'MODEL_LOAD_FAILED')).toBe(true);
    expect(String(error)).toMatch(/needs sentence_embedding or last_hidden_state \(export with/);
  });
});

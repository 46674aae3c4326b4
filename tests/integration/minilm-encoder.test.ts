/**
 * The real all-MiniLM-L6-v2 (installed by `npm run models:minilm` into models/minilm) through
 * onnxruntime-node with the TypeScript tokenizer: token ids, the pooled `sentence_embedding` and the
 * first token's `last_hidden_state` equal PyTorch's to 1e-4 on invented texts (one truncated at 256
 * tokens). Reference: tests/fixtures/golden/minilm-reference.json, from
 * `.venv-models/bin/python scripts/models/export_minilm.py --write-reference tests/fixtures/golden/minilm-reference.json`.
 * Skipped, saying so, when the model is not installed.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

import { createTensor, createTextEncoder, packEncodings } from '@gradeshift/core';
import { createNodeBackend, loadTokenizerFile } from '@gradeshift/core/node';
import { describe, expect, it } from 'vitest';

const folder = new URL('../../models/minilm/', import.meta.url);
const present =
  existsSync(new URL('model.onnx', folder)) && existsSync(new URL('manifest.json', folder));
const skipped = present
  ? ''
  : ' (skipped: models/minilm is not installed; run `npm run models:minilm`)';
const reference = JSON.parse(
  readFileSync(new URL('../fixtures/golden/minilm-reference.json', import.meta.url), 'utf8'),
) as {
  maxLength: number;
  texts: string[];
  inputIds: number[][];
  sentenceEmbedding: number[][];
  lastHiddenStateFirstToken: number[][];
};

describe.skipIf(!present)(`all-MiniLM-L6-v2 in onnxruntime-node against PyTorch${skipped}`, () => {
  it('is the model the manifest records', () => {
    const manifest = JSON.parse(readFileSync(new URL('manifest.json', folder), 'utf8')) as {
      files: Record<string, string>;
    };
    for (const [name, sha256] of Object.entries(manifest.files)) {
      const actual = createHash('sha256')
        .update(readFileSync(new URL(name, folder)))
        .digest('hex');
      expect({ name, sha256: actual }).toEqual({ name, sha256 });
    }
  });

  it('tokenizes, embeds and pools as PyTorch does, to 1e-4', async () => {
    const backend = createNodeBackend({ intraOpNumThreads: 1 });
    const session = await backend.createSessionFromFile(new URL('model.onnx', folder));
    try {
      const tokenizer = await loadTokenizerFile(new URL('tokenizer.json', folder).pathname);
      const encodings = reference.texts.map((t) =>
        tokenizer.encode(t, { maxLength: reference.maxLength }),
      );
      expect(encodings.map((e) => e.ids)).toEqual(
        reference.inputIds.map((row) => row.filter((id) => id !== 0)),
      );

      const encoder = createTextEncoder(session, tokenizer, {
        maxLength: reference.maxLength,
        batchSize: 2,
      });
      const { data, dim } = await encoder.embed(reference.texts);
      expect(dim).toBe(384);
      expect(Array.from(data)).toBeDeepCloseTo(reference.sentenceEmbedding.flat(), {
        abs: 1e-4,
        rel: 0,
      });

      const packed = packEncodings(encodings, tokenizer.special.pad);
      const dims = [packed.batch, packed.sequence];
      const out = await session.run(
        {
          input_ids: createTensor('int64', packed.inputIds, dims),
          attention_mask: createTensor('int64', packed.attentionMask, dims),
          token_type_ids: createTensor('int64', packed.tokenTypeIds, dims),
        },
        ['last_hidden_state'],
      );
      const hidden = out['last_hidden_state']!.data as Float32Array;
      const first = reference.texts.flatMap((_, row) =>
        Array.from(hidden.subarray(row * packed.sequence * dim, row * packed.sequence * dim + dim)),
      );
      expect(first).toBeDeepCloseTo(reference.lastHiddenStateFirstToken.flat(), {
        abs: 1e-4,
        rel: 0,
      });
    } finally {
      await session.dispose();
    }
  });
});

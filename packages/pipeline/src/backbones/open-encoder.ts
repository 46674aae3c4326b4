/**
 * A Hugging Face encoder folder (`model.onnx` + `tokenizer.json`, optional `manifest.json` naming the model)
 * opened for embedding: an onnxruntime-node session, the TypeScript tokenizer, and the on-disk cache keyed by
 * the model file's sha256, the truncation length and the output read.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

import { createTextEncoder, type InferenceSessionLike } from '@gradeshift/core';
import { createNodeBackend, loadTokenizerFile, sha256Hex } from '@gradeshift/core/node';

import { createEmbeddingMemory, embedTextsCached, type CachedEmbeddings } from './embedding-cache';
import type { BackboneScoreOptions } from './backbone';

/** Options of {@link openEncoder}. */
export interface OpenEncoderOptions {
  /** Truncation length, special tokens included. @default 128 */
  readonly maxLength?: number;
  /** Texts per ONNX run. @default 32 */
  readonly batchSize?: number;
  /** onnxruntime intra-op threads. @default 1 */
  readonly threads?: number;
  /** Cache root (`<cacheDir>/encoder/<key>/`); null caches nothing. */
  readonly cacheDir: string | null;
}

/** An opened encoder folder. */
export interface OpenEncoder {
  /** The manifest's model name, else the folder's name. */
  readonly name: string;
  readonly folder: string;
  readonly modelSha256: string;
  readonly tokenizerSha256: string;
  readonly output: 'sentence_embedding' | 'last_hidden_state';
  /** Every output the ONNX model declares. */
  readonly outputs: readonly string[];
  /** The tokenizer's vocabulary size. */
  readonly vocabSize: number;
  readonly maxLength: number;
  /** ONNX runs so far (a fully cached embed makes none). */
  readonly runs: number;
  /** Embeds texts through the cache, one row per text in input order. */
  embed(texts: readonly string[], options?: BackboneScoreOptions): Promise<CachedEmbeddings>;
  dispose(): Promise<void>;
}

function requireFile(folder: string, name: string): string {
  const path = join(folder, name);
  if (!existsSync(path))
    throw new Error(
      `${path} is missing: an encoder folder holds model.onnx and tokenizer.json (npm run models:minilm installs all-MiniLM-L6-v2 into models/minilm)`,
    );
  return path;
}

/**
 * Refuses a tokenizer with more tokens than the model's embedding table has rows (`vocab_size` of the folder's
 * config.json, when there is one): ids past the table would fail inside the model, or read another token's row.
 */
function checkVocabulary(folder: string, tokenizerRows: number): void {
  const path = join(folder, 'config.json');
  if (!existsSync(path)) return;
  const config = JSON.parse(readFileSync(path, 'utf8')) as { vocab_size?: unknown };
  const rows = config.vocab_size;
  if (typeof rows === 'number' && tokenizerRows > rows)
    throw new Error(
      `${join(folder, 'tokenizer.json')} has ${tokenizerRows} tokens but the model's embedding table has ${rows} rows (${path} vocab_size): the tokenizer is not this model's; use the tokenizer.json exported with model.onnx (npm run models:minilm writes both)`,
    );
}

function manifestName(folder: string): string {
  const path = join(folder, 'manifest.json');
  if (!existsSync(path)) return basename(folder);
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown };
  return typeof manifest.name === 'string' ? manifest.name : basename(folder);
}

/** Counts the runs of a session (for the cache's "encodes nothing twice" check). */
function counted(session: InferenceSessionLike): {
  session: InferenceSessionLike;
  runs: () => number;
} {
  let runs = 0;
  return {
    runs: () => runs,
    session: {
      inputNames: session.inputNames,
      outputNames: session.outputNames,
      run: (feeds, names) => {
        runs++;
        return session.run(feeds, names);
      },
      dispose: () => session.dispose(),
    },
  };
}

/**
 * Opens an encoder folder.
 * @throws Error naming a missing file and how to install one, or a tokenizer larger than the model's vocabulary
 *   (config.json); CoreError `MODEL_LOAD_FAILED` for a model without the encoder's inputs or outputs, or an
 *   unreadable tokenizer; CoreError `INVALID_ARGUMENT` for a tokenizer without its special tokens
 */
export async function openEncoder(
  folder: string,
  options: OpenEncoderOptions,
): Promise<OpenEncoder> {
  const root = resolve(folder);
  const modelPath = requireFile(root, 'model.onnx');
  const tokenizerPath = requireFile(root, 'tokenizer.json');
  const modelSha256 = sha256Hex(readFileSync(modelPath));
  const tokenizerSha256 = sha256Hex(readFileSync(tokenizerPath));
  const tokenizer = await loadTokenizerFile(tokenizerPath);
  checkVocabulary(root, tokenizer.vocabSize);
  const backend = createNodeBackend({ intraOpNumThreads: options.threads ?? 1 });
  const inner = counted(await backend.createSessionFromFile(modelPath));
  const maxLength = options.maxLength ?? 128;
  const encoder = createTextEncoder(inner.session, tokenizer, {
    maxLength,
    batchSize: options.batchSize ?? 32,
  });
  const key = { modelSha256, maxLength, output: encoder.output };
  const memory = createEmbeddingMemory();
  return {
    name: manifestName(root),
    folder: root,
    modelSha256,
    tokenizerSha256,
    output: encoder.output,
    outputs: [...inner.session.outputNames],
    vocabSize: tokenizer.vocabSize,
    maxLength,
    get runs() {
      return inner.runs();
    },
    embed: (texts, opts = {}) =>
      embedTextsCached(texts, {
        cacheDir: options.cacheDir,
        key,
        memory,
        encode: (t) => encoder.embed(t),
        ...(opts.progress === undefined ? {} : { progress: opts.progress }),
        ...(opts.signal === undefined ? {} : { signal: opts.signal }),
      }),
    dispose: () => inner.session.dispose(),
  };
}

/**
 * The cross-encoder backbone: a folder holding `model.onnx` (a BERT-shaped model that reads the (query, item)
 * pair as one sequence pair and outputs `logits`, and optionally `pooled_output` or `last_hidden_state`),
 * `tokenizer.json` (its Hugging Face tokenizer, with the pair template) and optionally `config.json` (the
 * Hugging Face config: `id2label` gives the logits' grade names in column order, `max_position_embeddings`
 * caps the truncation length). The model is scored as is; its hidden state (`pooled_output`, else the `[CLS]`
 * row of `last_hidden_state`) is the `relevance` space of the detectors. Refused with what to do: a missing
 * file, a tokenizer with more ids than the model's token-embedding table (read from the ONNX graph; when the
 * graph hides it, the model is run once on the tokenizer's largest id), a tokenizer without a pair
 * template, a model without `logits`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

import {
  checkVocabulary,
  createCrossEncoder,
  createTensor,
  isCoreError,
  type CrossEncoderHidden,
  type InferenceBackend,
  type InferenceSessionLike,
} from '@gradeshift/core';
import { createNodeBackend, loadTokenizerFile, sha256Hex } from '@gradeshift/core/node';

import { BundleError } from '../bundle/bundle-error';
import type { Backbone, BackbonePair, BackboneScores } from './backbone';

/** What to do when a cross-encoder folder is not usable. */
const FOLDER_HINT =
  'a cross-encoder folder holds model.onnx (inputs input_ids, attention_mask[, token_type_ids]; output logits) and the tokenizer.json exported with it (README, evaluate --cross-encoder)';

/** Options of {@link loadCrossEncoder}. */
export interface CrossEncoderBackboneOptions {
  /** The runtime. @default onnxruntime-node on the CPU with `threads` intra-op threads */
  readonly backend?: InferenceBackend;
  /** Intra-op threads of the default backend. @default 1 */
  readonly threads?: number;
  /**
   * Truncation length of a pair, special tokens included; capped by config.json's max_position_embeddings, else
   * by the rows of the model's position-embedding table. @default the tokenizer's
   */
  readonly maxLength?: number;
  /** Pairs per ONNX run. @default 32 */
  readonly batchSize?: number;
}

/** A loaded cross-encoder backbone. */
export interface CrossEncoderBackbone extends Backbone {
  readonly kind: 'cross-encoder';
  /** The folder, absolute. */
  readonly dir: string;
  /** Grade names of the logits' columns from config.json's `id2label`; null without one. */
  readonly labels: readonly string[] | null;
  /** Where the `relevance` space comes from; null when the model exports no hidden state. */
  readonly hidden: CrossEncoderHidden;
  /** Rows of the model's token-embedding table; null when the graph has none recognisable. */
  readonly embeddingRows: number | null;
  /** The truncation length used. */
  readonly maxLength: number;
  /** The model inputs fed (token_type_ids only when the model has it). */
  readonly inputs: readonly string[];
  /** Ids of the tokenizer. */
  readonly vocabSize: number;
  /** sha256 of model.onnx and tokenizer.json, recorded with every evaluation. */
  readonly sha256: { readonly model: string; readonly tokenizer: string };
}

/** The optional config.json: grade names in logit order and the position limit. */
function readConfig(dir: string): { labels: string[] | null; maxPositions: number | null } {
  const path = join(dir, 'config.json');
  if (!existsSync(path)) return { labels: null, maxPositions: null };
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new BundleError(
      'INVALID_MANIFEST',
      { path, reason: `not JSON: ${error instanceof Error ? error.message : String(error)}` },
      { hint: 'fix config.json or remove it (it is optional)', cause: error },
    );
  }
  const record = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  const id2label = record['id2label'];
  const maxPositions = record['max_position_embeddings'];
  let labels: string[] | null = null;
  if (typeof id2label === 'object' && id2label !== null) {
    const entries = Object.entries(id2label as Record<string, unknown>);
    labels = entries.map((_, i) => {
      const name = (id2label as Record<string, unknown>)[String(i)];
      if (typeof name !== 'string')
        throw new BundleError(
          'INVALID_MANIFEST',
          {
            path,
            reason: `id2label has no text label for id ${i} (ids must run 0..${entries.length - 1})`,
          },
          { hint: 'write id2label as {"0": "<grade>", "1": "<grade>", ...}, one entry per logit' },
        );
      return name.trim().toLowerCase();
    });
  }
  return {
    labels,
    maxPositions: typeof maxPositions === 'number' && maxPositions > 0 ? maxPositions : null,
  };
}

/** A core refusal (bad tokenizer, model without logits, tokenizer past the table) as a BundleError on `path`. */
function asBundleError(error: unknown, path: string): never {
  if (!isCoreError(error)) throw error;
  throw new BundleError(
    error.code === 'MODEL_LOAD_FAILED' && error.message.includes('token-embedding table')
      ? 'MODEL_MISMATCH'
      : 'MODEL_LOAD_FAILED',
    { path, reason: error.message },
    { hint: FOLDER_HINT, cause: error },
  );
}

/**
 * Without an embedding table to read, runs the model once on the tokenizer's largest id: a model whose table
 * is smaller fails here, named, instead of mid-evaluation.
 */
async function probeLargestId(
  session: InferenceSessionLike,
  vocabSize: number,
  files: { model: string; tokenizer: string },
): Promise<void> {
  const ids = (values: bigint[]) =>
    createTensor('int64', BigInt64Array.from(values), [1, values.length]);
  try {
    await session.run(
      {
        input_ids: ids([BigInt(vocabSize - 1)]),
        attention_mask: ids([1n]),
        ...(session.inputNames.includes('token_type_ids') ? { token_type_ids: ids([0n]) } : {}),
      },
      ['logits'],
    );
  } catch (error) {
    throw new BundleError(
      'MODEL_MISMATCH',
      {
        path: files.tokenizer,
        reason: `the model fails on the tokenizer's largest id ${vocabSize - 1} (${error instanceof Error ? error.message.split('\n')[0] : String(error)}): the tokenizer does not belong to this model`,
      },
      { hint: 'use the tokenizer.json exported with the model', cause: error },
    );
  }
}

/** The two required files of the folder, checked to exist. */
function folderFiles(dir: string): { model: string; tokenizer: string } {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new BundleError(
      'NOT_FOUND',
      { path: dir, reason: 'no such folder' },
      { hint: FOLDER_HINT },
    );
  const files = { model: join(dir, 'model.onnx'), tokenizer: join(dir, 'tokenizer.json') };
  for (const path of Object.values(files))
    if (!existsSync(path))
      throw new BundleError(
        'MISSING_FILE',
        { path, reason: `the folder has no ${basename(path)}` },
        { hint: FOLDER_HINT },
      );
  return files;
}

/**
 * Loads a cross-encoder folder (see the module comment) and checks its tokenizer against its model.
 * @throws BundleError `NOT_FOUND` / `MISSING_FILE` for a missing folder or file; `MODEL_MISMATCH` when the
 *   tokenizer has more ids than the model's embedding table; `MODEL_LOAD_FAILED` for a model onnxruntime cannot
 *   load, a model without `logits` or a tokenizer without a pair template; `INVALID_MANIFEST` for a bad config.json
 */
export async function loadCrossEncoder(
  dir: string,
  options: CrossEncoderBackboneOptions = {},
): Promise<CrossEncoderBackbone> {
  const root = resolve(dir);
  const files = folderFiles(root);
  const config = readConfig(root);
  const bytes = new Uint8Array(readFileSync(files.model));
  const tokenizer = await loadTokenizerFile(files.tokenizer).catch((e: unknown) =>
    asBundleError(e, files.tokenizer),
  );
  let tables: ReturnType<typeof checkVocabulary> = { rows: null, positions: null };
  try {
    tables = checkVocabulary(tokenizer, bytes, {
      tokenizer: 'tokenizer.json',
      model: 'model.onnx',
    });
  } catch (error) {
    asBundleError(error, files.tokenizer);
  }
  const embeddingRows = tables.rows;
  // No pair may be longer than the model has positions (config.json's, else the position table's rows).
  const maxLength = Math.min(
    options.maxLength ?? tokenizer.maxLength,
    config.maxPositions ?? tables.positions ?? Number.POSITIVE_INFINITY,
  );
  const backend = options.backend ?? createNodeBackend({ intraOpNumThreads: options.threads ?? 1 });
  const session: InferenceSessionLike = await backend
    .createSession(bytes)
    .catch((e: unknown) => asBundleError(e, files.model));
  let runner: ReturnType<typeof createCrossEncoder>;
  try {
    runner = createCrossEncoder(session, tokenizer, {
      maxLength,
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    });
  } catch (error) {
    await session.dispose();
    return asBundleError(
      error,
      isCoreError(error, 'INVALID_ARGUMENT') ? files.tokenizer : files.model,
    );
  }
  if (embeddingRows === null)
    await probeLargestId(session, tokenizer.vocabSize, files).catch(async (error: unknown) => {
      await session.dispose();
      throw error;
    });
  return {
    kind: 'cross-encoder',
    name: basename(root),
    dir: root,
    labels: config.labels,
    hidden: runner.hidden,
    embeddingRows,
    maxLength,
    inputs: ['input_ids', 'attention_mask', 'token_type_ids'].filter((name) =>
      session.inputNames.includes(name),
    ),
    vocabSize: tokenizer.vocabSize,
    sha256: { model: sha256Hex(bytes), tokenizer: sha256Hex(readFileSync(files.tokenizer)) },
    score: (pairs, scoreOptions) => scoreInChunks(runner, pairs, scoreOptions),
    dispose: () => session.dispose(),
  };
}

/** Pairs per progress step. */
const CHUNK = 256;

/** Scores the pairs in chunks, reporting progress and stopping on the signal between chunks. */
async function scoreInChunks(
  runner: ReturnType<typeof createCrossEncoder>,
  pairs: readonly BackbonePair[],
  options: Parameters<Backbone['score']>[1] = {},
): Promise<BackboneScores> {
  const chunks = [];
  for (let start = 0; start < pairs.length; start += CHUNK) {
    options.signal?.throwIfAborted();
    chunks.push(await runner.score(pairs.slice(start, start + CHUNK)));
    options.progress?.({
      stage: 'evaluate',
      message: 'scoring pairs with the cross-encoder',
      done: Math.min(start + CHUNK, pairs.length),
      total: pairs.length,
    });
  }
  const grades = chunks[0]?.grades ?? 0;
  const logits = new Float32Array(pairs.length * grades);
  const dim = chunks[0]?.hidden?.dim ?? 0;
  const hidden = new Float32Array(pairs.length * dim);
  chunks.forEach((c, i) => {
    logits.set(c.logits, i * CHUNK * grades);
    if (c.hidden !== null) hidden.set(c.hidden.data, i * CHUNK * dim);
  });
  return {
    rows: pairs.length,
    grades,
    logits,
    spaces: dim === 0 ? {} : { relevance: { dim, data: hidden } },
  };
}

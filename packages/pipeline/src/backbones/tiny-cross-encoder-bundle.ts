/**
 * A tiny cross-encoder bundle for tests (this package's and the dashboard's browser test): core's BERT-shaped
 * fixture cross-encoder (`tinyEncoderModel` with a grade head on the pooled states, hidden width 8) with the committed tiny
 * WordPiece tokenizer, evaluated by `evaluateCrossEncoder` on a made-up labelled file against a made-up
 * reference, and written by `--bundle-out` as `gradeshift evaluate --cross-encoder` writes a real one.
 * Kilobytes; built in about a second.
 * @internal
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { CrossEncoderBundleManifest } from '@gradeshift/core';
import { loadTokenizerFile } from '@gradeshift/core/node';
import { tinyEncoderModel } from '@gradeshift/core/testing';

import type { Dataset } from '../data/dataset';
import { loadDataset } from '../data/load-dataset';
import type { PredictionsEvaluation } from '../external/evaluate-predictions';
import { readCrossEncoderBundle } from './cross-encoder-bundle';
import { evaluateCrossEncoder } from './evaluate-cross-encoder';
import { TINY_REFERENCE_PRODUCTS, TINY_TOKENIZER_PATH } from './tiny-encoder-bundle';

/** The model's labels in reverse grade order: the bundle must reorder its logits. */
export const TINY_CROSS_ENCODER_CONFIG = {
  id2label: { 0: 'strong', 1: 'weak', 2: 'irrelevant' },
  max_position_embeddings: 64,
};

/** Options of {@link writeTinyCrossEncoderBundle}. */
export interface TinyCrossEncoderOptions {
  /** Logits per pair: 3 (one per grade, with id2label) or 1 (a single relevance score). @default 3 */
  readonly head?: 1 | 3;
  /** The model's weight seed. @default 5 */
  readonly seed?: number;
}

/** Options of {@link writeTinyCrossEncoderBundle}. */
export interface TinyCrossEncoderBundleOptions extends TinyCrossEncoderOptions {
  /**
   * A cross-encoder folder to export instead of the tiny one (e.g. models/cross-encoder-untrained, whose
   * id2label names the same three grades). @default the tiny cross-encoder, written into `<dir>/cross-encoder`
   */
  readonly model?: string;
}

/** What {@link writeTinyCrossEncoderBundle} wrote. */
export interface TinyCrossEncoderBundle {
  /** The bundle folder. */
  readonly dir: string;
  readonly manifest: CrossEncoderBundleManifest;
  /** The cross-encoder folder it was exported from. */
  readonly model: string;
  /** The evaluated data (its pairs are the ones the evaluation's predictions.jsonl scores) and the reference. */
  readonly data: Dataset;
  readonly reference: Dataset;
  readonly dataPath: string;
  /** The evaluation's folder (report.json, predictions.jsonl) and result. */
  readonly evaluationDir: string;
  readonly evaluation: PredictionsEvaluation;
}

/**
 * Writes the tiny cross-encoder folder: model.onnx (the head on the masked mean of the token states, which is
 * also its pooled_output with 3 logits: the pairs get different logits and hidden states), the tiny
 * tokenizer.json, and with 3 logits {@link TINY_CROSS_ENCODER_CONFIG} as config.json.
 * @param folder - the folder to write (created)
 * @param options - the head's width and the weight seed
 * @returns the folder
 */
export async function writeTinyCrossEncoder(
  folder: string,
  options: TinyCrossEncoderOptions = {},
): Promise<string> {
  const head = options.head ?? 3;
  mkdirSync(folder, { recursive: true });
  const tokenizer = await loadTokenizerFile(TINY_TOKENIZER_PATH);
  const { bytes } = tinyEncoderModel({
    vocab: tokenizer.vocabSize,
    head,
    seed: options.seed ?? 5,
    pooled: true,
    outputs: head === 1 ? ['logits'] : ['logits', 'pooled_output'],
  });
  writeFileSync(join(folder, 'model.onnx'), bytes);
  copyFileSync(TINY_TOKENIZER_PATH, join(folder, 'tokenizer.json'));
  if (head === 3)
    writeFileSync(join(folder, 'config.json'), JSON.stringify(TINY_CROSS_ENCODER_CONFIG));
  return folder;
}

/** Writes the made-up labelled CSV of some products and loads it. */
async function labelled(path: string, rows: typeof TINY_REFERENCE_PRODUCTS): Promise<Dataset> {
  const lines = rows.flatMap(([q, ...items]) => items.map((item, i) => `${q},${item},${2 - i}`));
  writeFileSync(path, `query,title,label\n${lines.join('\n')}\n`);
  return loadDataset(path, {
    columns: { query: 'query', item: 'title', label: 'label' },
    grades: { kind: 'values', grades: [['0'], ['1'], ['2']] },
  });
}

/**
 * Writes the tiny cross-encoder into `<dir>/cross-encoder` (or takes `options.model`), the reference and data
 * CSVs beside it, evaluates it into `<dir>/evaluation` and writes its bundle into `<dir>/bundle`.
 * @param dir - an empty temporary folder
 * @param options - the model folder, or the tiny model's head width and weight seed
 */
export async function writeTinyCrossEncoderBundle(
  dir: string,
  options: TinyCrossEncoderBundleOptions = {},
): Promise<TinyCrossEncoderBundle> {
  mkdirSync(dir, { recursive: true });
  const model = options.model ?? (await writeTinyCrossEncoder(join(dir, 'cross-encoder'), options));
  const reference = await labelled(
    join(dir, 'reference.csv'),
    TINY_REFERENCE_PRODUCTS.slice(0, 12),
  );
  const dataPath = join(dir, 'data.csv');
  const data = await labelled(dataPath, TINY_REFERENCE_PRODUCTS.slice(12));
  const evaluationDir = join(dir, 'evaluation');
  const bundle = join(dir, 'bundle');
  const evaluation = await evaluateCrossEncoder({
    model,
    data,
    reference,
    resamples: 20,
    outDir: evaluationDir,
    storePath: join(dir, 'runs.sqlite'),
    bundleOut: bundle,
  });
  return {
    dir: bundle,
    manifest: readCrossEncoderBundle(bundle),
    model,
    data,
    reference,
    dataPath,
    evaluationDir,
    evaluation,
  };
}

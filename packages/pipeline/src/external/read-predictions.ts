/**
 * External predictions: a JSONL file of pairs scored by a relevance model that runs elsewhere, one pair per line:
 *
 * ```json
 * {"query": "cordless drill", "item": "DeWalt 20V drill", "grade": "strong", "logits": [-1.2, 0.3, 2.1], "embedding": [0.12, -0.5, 0.33, 0.9]}
 * ```
 *
 * - `query`, `item`: non-empty texts (NFC-normalised, whitespace collapsed, as the dataset loader does);
 * - `grade`: the true label: a grade name of the scale or a 0-based grade index, or, with a declared grade
 *   mapping, a rating cut by its thresholds or a value from its lists;
 * - exactly one of `probs` (K probabilities, each in [0, 1], summing to 1 within 1e-3) and `logits` (K finite
 *   numbers); K and the kind are fixed by the first line (and by the reference file when one is given);
 * - optionally `embedding`: finite numbers, the same width on every line (and as in the reference file);
 * - optionally `id` (text or number; the line number otherwise).
 *
 * A teacher file for distillation (`gradeshift train --stage distill --teacher`) has the same lines without
 * `grade` (a `grade` there is not read): `query`, `item` and `probs` (or `logits`), e.g. `gradeshift score`'s output.
 *
 * The file is streamed with the loader's JSONL parser (lines capped at 1 MiB, so memory per line is bounded);
 * the first bad line stops the read with a {@link DataError} naming `file:line` and the reason.
 */
import { createHash } from 'node:crypto';

import type { GradeScale } from '@gradeshift/core';

import { DataError } from '../data/data-error';
import type { Dataset, LabeledPair } from '../data/dataset';
import { createGradeMapper, type GradeMapper, type GradeMapping } from '../data/grade-mapping';
import { readJsonl } from '../data/jsonl';
import { readRecord, type PredictionShape, type ReadState } from './prediction-line';

/** A Float64Array that grows by doubling. */
class GrowableF64 {
  private data = new Float64Array(1024);
  length = 0;
  push(values: readonly number[]): void {
    if (this.length + values.length > this.data.length) {
      const next = new Float64Array(Math.max(this.data.length * 2, this.length + values.length));
      next.set(this.data.subarray(0, this.length));
      this.data = next;
    }
    this.data.set(values, this.length);
    this.length += values.length;
  }
  toArray(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

/** Options for {@link readPredictionFile}. */
export interface ReadPredictionsOptions {
  /** How `grade` values become grades. @default a grade name of the scale or a 0-based index */
  mapping?: GradeMapping;
  /** The reference file's shape, which this file must match. @default undefined (the first line decides) */
  expect?: PredictionShape;
  /** Longest line kept, in characters. @default 1048576 */
  maxLineChars?: number;
  /** Most pairs read; one more is refused (`BAD_PREDICTION`, no line). @default Infinity */
  maxPairs?: number;
}

/** A read predictions file: the labelled pairs as a {@link Dataset}, the model outputs and the embeddings. */
export interface PredictionFile {
  readonly dataset: Dataset;
  readonly shape: PredictionShape;
  /** n × K probabilities or logits (per `shape.output`), row-major, as given. */
  readonly values: Float64Array;
  /** n × width embeddings, row-major; null without embeddings. */
  readonly embeddings: Float64Array | null;
}

/** What {@link scanPredictionLines} found besides the rows: the shape, the scale and the file's sha256. */
export interface ScannedPredictions {
  readonly shape: PredictionShape;
  readonly scale: GradeScale;
  readonly mapper: GradeMapper | undefined;
  readonly sha256: string;
}

/** One checked line of a predictions file. */
export type PredictionRow = ReturnType<typeof readRecord>;

/**
 * Streams a predictions file line by line, checking each line (format in the module comment) and handing it to
 * `onRow`, which may refuse it by throwing a {@link DataError}. With `labels: false` the `grade` field is not read
 * (a teacher's file: its pairs need no true grade).
 * @throws DataError as {@link readPredictionFile} does
 * @internal
 */
export async function scanPredictionLines(
  path: string,
  options: ReadPredictionsOptions & { readonly labels: boolean },
  onRow: (row: PredictionRow, line: number) => void,
): Promise<ScannedPredictions> {
  const mapper = options.mapping === undefined ? undefined : createGradeMapper(options.mapping);
  const state: ReadState = {
    file: path,
    mapper,
    expect: options.expect,
    labels: options.labels,
    shape: undefined,
    scale: undefined,
  };
  const hash = createHash('sha256');
  let rows = 0;
  try {
    for await (const event of readJsonl(path, {
      onBytes: (bytes) => hash.update(bytes),
      ...(options.maxLineChars === undefined ? {} : { maxLineChars: options.maxLineChars }),
    })) {
      if (event.kind === 'issue') throw DataError.fromIssue(event.issue);
      if (rows >= (options.maxPairs ?? Infinity))
        throw new DataError(
          'BAD_PREDICTION',
          { file: path, reason: `the file holds more than ${options.maxPairs} pairs` },
          { hint: 'evaluate a smaller file, or raise the limit on pairs per file' },
        );
      onRow(readRecord(state, event.line, event.value), event.line);
      rows++;
    }
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw new DataError(
      'FILE_NOT_READABLE',
      { file: path, reason: error instanceof Error ? error.message : String(error) },
      { cause: error },
    );
  }
  if (state.shape === undefined || state.scale === undefined)
    throw new DataError(
      'NO_VALID_ROWS',
      { file: path, reason: 'the file holds no prediction lines' },
      {
        hint: 'give a JSONL file with one scored pair per line (see the README, evaluate --predictions)',
      },
    );
  return { shape: state.shape, scale: state.scale, mapper, sha256: hash.digest('hex') };
}

/**
 * Reads an external predictions file (format in the module comment), streaming it line by line.
 * @param path - the JSONL file
 * @param options - grade mapping, the reference's shape to match, line cap
 * @returns the pairs as a dataset (format `jsonl`, sha256 of the bytes), the outputs and the embeddings
 * @throws DataError with `file:line` for the first bad line (BAD_JSON, NOT_AN_OBJECT, RECORD_TOO_LONG,
 *   MISSING_FIELD, EMPTY_TEXT, BAD_PREDICTION, EMBEDDING_WIDTH or a grade-mapping code), NO_VALID_ROWS for a file
 *   without pairs, FILE_NOT_READABLE when it cannot be read
 */
export async function readPredictionFile(
  path: string,
  options: ReadPredictionsOptions = {},
): Promise<PredictionFile> {
  const pairs: LabeledPair[] = [];
  const values = new GrowableF64();
  const embeddings = new GrowableF64();
  const scanned = await scanPredictionLines(path, { ...options, labels: true }, (row) => {
    // With labels read, every line has one (a line without a grade is refused by the scan).
    if (row.label !== undefined) pairs.push({ ...row.pair, ...row.label });
    values.push(row.values);
    if (row.embedding !== null) embeddings.push(row.embedding);
  });
  const { shape, scale, mapper, sha256 } = scanned;
  const dataset: Dataset = {
    pairs,
    issues: [],
    source: { path, format: 'jsonl', sha256, rows: pairs.length, skipped: 0, truncated: 0 },
    scale,
    ...(mapper?.ratingRange === undefined ? {} : { ratingRange: mapper.ratingRange }),
    ...(mapper?.ratingEdges === undefined ? {} : { ratingEdges: mapper.ratingEdges }),
  };
  return {
    dataset,
    shape,
    values: values.toArray(),
    embeddings: shape.embeddingWidth === null ? null : embeddings.toArray(),
  };
}

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
 * The file is streamed with the loader's JSONL parser (lines capped at 1 MiB, so memory per line is bounded);
 * the first bad line stops the read with a {@link DataError} naming `file:line` and the reason.
 */
import { createHash } from 'node:crypto';

import { createGradeScale, DEFAULT_GRADE_SCALE, type GradeScale } from '@gradeshift/core';

import { DataError } from '../data/data-error';
import type { Dataset, LabeledPair } from '../data/dataset';
import { createGradeMapper, type GradeMapper, type GradeMapping } from '../data/grade-mapping';
import { readJsonl } from '../data/jsonl';
import { excerpt, normalizeText } from '../data/text';

/** What a predictions file holds per pair: probabilities or raw logits. */
export type PredictionOutput = 'probs' | 'logits';

/** Tolerance on the sum of a row's probabilities. */
export const PROBS_SUM_TOLERANCE = 1e-3;

/** The shape a second file must share with the first (the evaluated file with its reference). */
export interface PredictionShape {
  /** The file the shape comes from, named in errors. */
  readonly file: string;
  readonly grades: number;
  readonly output: PredictionOutput;
  /** Embedding width, or null when the file has no embeddings. */
  readonly embeddingWidth: number | null;
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

/** What the reader carries from line to line. */
interface ReadState {
  readonly file: string;
  readonly mapper: GradeMapper | undefined;
  readonly expect: PredictionShape | undefined;
  shape: PredictionShape | undefined;
  scale: GradeScale | undefined;
}

const scaleOfSize = (k: number): GradeScale =>
  k === 3
    ? DEFAULT_GRADE_SCALE
    : createGradeScale(Array.from({ length: k }, (_, i) => `grade-${i}`));

/** The line being read. */
interface At {
  readonly state: ReadState;
  readonly line: number;
}

/** A refusal of the line: the reason, with what to do when the code's default hint does not say it. */
function fail(
  at: At,
  code: 'BAD_PREDICTION' | 'EMBEDDING_WIDTH' | 'MISSING_FIELD' | 'EMPTY_TEXT',
  problem: string | { reason: string; hint: string },
): never {
  const { reason, hint } =
    typeof problem === 'string' ? { reason: problem, hint: undefined } : problem;
  throw new DataError(
    code,
    { file: at.state.file, reason },
    { line: at.line, ...(hint === undefined ? {} : { hint }) },
  );
}

/** A value for an error message: texts quoted and cut, numbers as written (`Infinity` for an overflow), else short JSON. */
function shown(v: unknown): string {
  if (typeof v === 'string') return excerpt(v);
  if (typeof v === 'number') return String(v);
  const json = JSON.stringify(v) ?? String(v);
  return json.length <= 60 ? json : `${json.slice(0, 60)}…`;
}

/** A field that must be an array of finite numbers. */
function numberArray(at: At, name: string, value: unknown): number[] {
  if (!Array.isArray(value))
    fail(at, 'BAD_PREDICTION', `\`${name}\` must be an array of numbers (got ${shown(value)})`);
  value.forEach((x, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x))
      fail(at, 'BAD_PREDICTION', `${name}[${i}] is not a finite number (got ${shown(x)})`);
  });
  return value as number[];
}

function text(at: At, record: Readonly<Record<string, unknown>>, name: string): string {
  const value = record[name];
  if (typeof value !== 'string')
    fail(
      at,
      'MISSING_FIELD',
      `\`${name}\` must be a text (got ${value === undefined ? 'nothing' : shown(value)})`,
    );
  const t = normalizeText(value);
  if (t.length === 0) fail(at, 'EMPTY_TEXT', `\`${name}\` is empty`);
  return t;
}

/** The model outputs of one line: which kind, the K values, checked. */
function outputsOf(
  at: At,
  record: Readonly<Record<string, unknown>>,
): { output: PredictionOutput; values: number[] } {
  const hasProbs = record['probs'] !== undefined;
  const hasLogits = record['logits'] !== undefined;
  if (hasProbs === hasLogits)
    fail(
      at,
      'BAD_PREDICTION',
      hasProbs
        ? 'give either `probs` or `logits`, not both'
        : 'the line has neither `probs` nor `logits`',
    );
  const output: PredictionOutput = hasProbs ? 'probs' : 'logits';
  const values = numberArray(at, output, record[output]);
  const want = at.state.shape ?? at.state.expect;
  if (want !== undefined && output !== want.output)
    fail(at, 'BAD_PREDICTION', {
      reason: `the line gives \`${output}\` but ${want.file === at.state.file ? 'the first line' : `the reference ${want.file}`} gives \`${want.output}\``,
      hint: 'give the same kind of output (probabilities or logits) on every line of both files',
    });
  const k = want?.grades ?? at.state.mapper?.scale.grades.length;
  if (k !== undefined && values.length !== k)
    fail(
      at,
      'BAD_PREDICTION',
      `\`${output}\` has ${values.length} numbers, expected ${k} (${want === undefined ? "the grade mapping's grades" : want.file === at.state.file ? "the first line's width" : `the reference ${want.file}`})`,
    );
  if (values.length < 2)
    fail(at, 'BAD_PREDICTION', `\`${output}\` needs at least 2 grades (got ${values.length})`);
  if (output === 'probs') {
    const bad = values.findIndex((p) => p < 0 || p > 1);
    if (bad >= 0) fail(at, 'BAD_PREDICTION', `probs[${bad}] = ${values[bad]} is outside [0, 1]`);
    const sum = values.reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 1) > PROBS_SUM_TOLERANCE)
      fail(
        at,
        'BAD_PREDICTION',
        `the probabilities sum to ${sum.toPrecision(6)}, not 1 (tolerance ${PROBS_SUM_TOLERANCE}); give \`logits\` instead if they are scores`,
      );
  }
  return { output, values };
}

/** The embedding of one line (or null), checked against the first line and the reference. */
function embeddingOf(at: At, value: unknown): number[] | null {
  const embedding =
    value === undefined || value === null ? null : numberArray(at, 'embedding', value);
  if (embedding !== null && embedding.length === 0)
    fail(at, 'EMBEDDING_WIDTH', 'the embedding is empty');
  const width = embedding?.length ?? null;
  const { shape, expect } = at.state;
  if (shape !== undefined && width !== shape.embeddingWidth)
    fail(
      at,
      'EMBEDDING_WIDTH',
      shape.embeddingWidth === null
        ? 'the line has an embedding but the first line has none'
        : width === null
          ? `the line has no embedding but the first line has one of width ${shape.embeddingWidth}`
          : `the embedding width differs from the first line: ${width} numbers here, ${shape.embeddingWidth} on the first line`,
    );
  if (shape === undefined && expect !== undefined && width !== expect.embeddingWidth)
    fail(at, 'EMBEDDING_WIDTH', {
      reason:
        expect.embeddingWidth === null
          ? `the file has embeddings (width ${width}) but the reference ${expect.file} has none`
          : width === null
            ? `the file has no embeddings but the reference ${expect.file} has them (width ${expect.embeddingWidth})`
            : `the embedding width differs from the reference: ${width} numbers here, ${expect.embeddingWidth} in the reference ${expect.file}`,
      hint: 'embed the evaluated pairs and the reference pairs with the same encoder and output layer (the same width), or leave `embedding` out of both files to skip the Mahalanobis and KNN scores',
    });
  return embedding;
}

/** The grade (and rating) of one line's `grade` field. */
function gradeOf(at: At, value: unknown, k: number): { grade: number; rating?: number } {
  if (typeof value !== 'string' && typeof value !== 'number')
    fail(
      at,
      'MISSING_FIELD',
      `\`grade\` must be a grade name, a 0-based index or a rating (got ${value === undefined ? 'nothing' : shown(value)})`,
    );
  if (at.state.mapper !== undefined) {
    const r = at.state.mapper.map(
      typeof value === 'number' ? String(value) : value.normalize('NFC').trim(),
    );
    if (!r.ok)
      throw new DataError(r.code, { file: at.state.file, reason: r.reason }, { line: at.line });
    return r.rating === undefined ? { grade: r.grade } : { grade: r.grade, rating: r.rating };
  }
  const names = (at.state.scale ?? scaleOfSize(k)).grades.map((g) => g.name);
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0 && value < k) return { grade: value };
  } else {
    const named = names.indexOf(value.trim().toLowerCase());
    if (named >= 0) return { grade: named };
    const index = /^\d+$/.test(value.trim()) ? Number(value.trim()) : -1;
    if (index >= 0 && index < k) return { grade: index };
  }
  return fail(at, 'MISSING_FIELD', {
    reason: `\`grade\` ${shown(value)} is neither a grade name (${names.join(', ')}) nor an index 0..${k - 1}`,
    hint: 'write the true grade as a name or 0-based index, or declare how ratings or text labels map to grades (--thresholds or --values)',
  });
}

/** Reads one record into the accumulators; fixes the shape on the first line. */
function readRecord(
  state: ReadState,
  line: number,
  record: Readonly<Record<string, unknown>>,
): { pair: LabeledPair; values: number[]; embedding: number[] | null } {
  const at: At = { state, line };
  const query = text(at, record, 'query');
  const item = text(at, record, 'item');
  const { output, values } = outputsOf(at, record);
  const embedding = embeddingOf(at, record['embedding']);
  if (state.shape === undefined) {
    state.shape = {
      file: state.file,
      grades: values.length,
      output,
      embeddingWidth: embedding?.length ?? null,
    };
    state.scale = state.mapper?.scale ?? scaleOfSize(values.length);
  }
  const { grade, rating } = gradeOf(at, record['grade'], values.length);
  const rawId = record['id'];
  const id = typeof rawId === 'string' || typeof rawId === 'number' ? String(rawId) : String(line);
  const pair: LabeledPair = {
    id,
    query,
    item,
    line,
    grade,
    ...(rating === undefined ? {} : { rating }),
  };
  return { pair, values, embedding };
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
  const mapper = options.mapping === undefined ? undefined : createGradeMapper(options.mapping);
  const state: ReadState = {
    file: path,
    mapper,
    expect: options.expect,
    shape: undefined,
    scale: undefined,
  };
  const hash = createHash('sha256');
  const pairs: LabeledPair[] = [];
  const values = new GrowableF64();
  const embeddings = new GrowableF64();
  try {
    for await (const event of readJsonl(path, {
      onBytes: (bytes) => hash.update(bytes),
      ...(options.maxLineChars === undefined ? {} : { maxLineChars: options.maxLineChars }),
    })) {
      if (event.kind === 'issue') throw DataError.fromIssue(event.issue);
      if (pairs.length >= (options.maxPairs ?? Infinity))
        throw new DataError(
          'BAD_PREDICTION',
          { file: path, reason: `the file holds more than ${options.maxPairs} pairs` },
          { hint: 'evaluate a smaller file, or raise the limit on pairs per file' },
        );
      const row = readRecord(state, event.line, event.value);
      pairs.push(row.pair);
      values.push(row.values);
      if (row.embedding !== null) embeddings.push(row.embedding);
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
  const dataset: Dataset = {
    pairs,
    issues: [],
    source: {
      path,
      format: 'jsonl',
      sha256: hash.digest('hex'),
      rows: pairs.length,
      skipped: 0,
      truncated: 0,
    },
    scale: state.scale,
    ...(mapper?.ratingRange === undefined ? {} : { ratingRange: mapper.ratingRange }),
    ...(mapper?.ratingEdges === undefined ? {} : { ratingEdges: mapper.ratingEdges }),
  };
  return {
    dataset,
    shape: state.shape,
    values: values.toArray(),
    embeddings: state.shape.embeddingWidth === null ? null : embeddings.toArray(),
  };
}

/**
 * One line of an external predictions file (format: `read-predictions.ts`), checked field by field: the texts,
 * the model outputs, the embedding and the true grade, each refusal a {@link DataError} naming `file:line`.
 */
import { createGradeScale, DEFAULT_GRADE_SCALE, type GradeScale } from '@gradeshift/core';

import { DataError } from '../data/data-error';
import type { UnlabeledPair } from '../data/dataset';
import type { GradeMapper } from '../data/grade-mapping';
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

/** What the reader carries from line to line. */
export interface ReadState {
  readonly file: string;
  readonly mapper: GradeMapper | undefined;
  readonly expect: PredictionShape | undefined;
  /** Whether `grade` is read (and required); false for files whose pairs carry no true grade (a teacher's). */
  readonly labels: boolean;
  shape: PredictionShape | undefined;
  scale: GradeScale | undefined;
}

export const scaleOfSize = (k: number): GradeScale =>
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

/** The true grade of a line (with its rating when the mapping gives one). */
export interface PairLabel {
  readonly grade: number;
  readonly rating?: number;
}

/** Reads and checks one line; fixes the shape on the first line. `label` is undefined when `state.labels` is false. */
export function readRecord(
  state: ReadState,
  line: number,
  record: Readonly<Record<string, unknown>>,
): {
  pair: UnlabeledPair;
  label: PairLabel | undefined;
  values: number[];
  embedding: number[] | null;
} {
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
  const label = state.labels ? gradeOf(at, record['grade'], values.length) : undefined;
  const rawId = record['id'];
  const id = typeof rawId === 'string' || typeof rawId === 'number' ? String(rawId) : String(line);
  return { pair: { id, query, item, line }, label, values, embedding };
}

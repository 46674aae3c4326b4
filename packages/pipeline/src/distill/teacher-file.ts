/**
 * The teacher's file of a distillation: the pairs the student trains on (ID train and the unlabeled pool), each with
 * the teacher's grade distribution, in the external predictions format (`external/read-predictions.ts`) without
 * `grade`. Read with the same line checks (a bad row is refused as `file:line: reason`), then matched to the run's
 * pairs by (query, item) after the loader's text preparation.
 */
import { DataError } from '../data/data-error';
import { DEFAULT_MAX_TEXT_LENGTH } from '../data/load-dataset';
import { excerpt, normalizeText, truncateText } from '../data/text';
import { scanPredictionLines } from '../external/read-predictions';
import type { PredictionOutput } from '../external/prediction-line';

/** Pairs named in the error for missing pairs. */
const SHOWN_MISSING = 3;
/** Largest difference between two lines of the same pair before they are refused as conflicting. */
const DUPLICATE_TOLERANCE = 1e-6;

/** A read teacher file: one row of K values per distinct (query, item). */
export interface TeacherFile {
  readonly path: string;
  readonly sha256: string;
  /** Probabilities or logits, as the file gives them. */
  readonly output: PredictionOutput;
  readonly grades: number;
  /** Lines read. */
  readonly lines: number;
  /** {@link teacherKey} → row of `values`. */
  readonly rows: ReadonlyMap<string, number>;
  /** Distinct pairs × K, row-major. */
  readonly values: Float64Array;
}

/**
 * The key a pair is matched by: query and item as the dataset loader prepares them (NFC, whitespace collapsed,
 * trimmed, cut to its longest text), so a teacher that saw the raw file's texts matches the loaded pairs.
 */
export function teacherKey(query: string, item: string): string {
  const prepare = (t: string) => truncateText(normalizeText(t), DEFAULT_MAX_TEXT_LENGTH).text;
  return `${prepare(query)}\u0000${prepare(item)}`;
}

/**
 * Reads a teacher file. Lines of one pair repeated must agree (within 1e-6); the first is kept.
 * @param path - the JSONL file
 * @param grades - K, the student's number of grades
 * @throws DataError `file:line: reason` for a bad line (the predictions reader's checks), a width other than K
 * or a pair repeated with other values; NO_VALID_ROWS for an empty file
 */
export async function readTeacherFile(path: string, grades: number): Promise<TeacherFile> {
  const rows = new Map<string, number>();
  const values: number[] = [];
  let lines = 0;
  const scanned = await scanPredictionLines(path, { labels: false }, (row, line) => {
    lines++;
    if (row.values.length !== grades)
      throw new DataError(
        'BAD_PREDICTION',
        {
          file: path,
          reason: `the teacher gives ${row.values.length} grades, the student has ${grades}`,
        },
        {
          line,
          hint: "the teacher must grade on the run's scale (the same K grades, lowest first)",
        },
      );
    const key = teacherKey(row.pair.query, row.pair.item);
    const seen = rows.get(key);
    if (seen === undefined) {
      rows.set(key, rows.size);
      values.push(...row.values);
      return;
    }
    const differs = row.values.some(
      (v, c) => Math.abs(v - (values[seen * grades + c] ?? 0)) > DUPLICATE_TOLERANCE,
    );
    if (differs)
      throw new DataError(
        'BAD_PREDICTION',
        { file: path, reason: 'the pair is given again with other values' },
        { line, hint: 'give each (query, item) pair once, or the same values on every line' },
      );
  });
  return {
    path,
    sha256: scanned.sha256,
    output: scanned.shape.output,
    grades,
    lines,
    rows,
    values: Float64Array.from(values),
  };
}

/** The teacher's values for some pairs, in their order. */
export interface TeacherTargets {
  readonly output: PredictionOutput;
  /** n × K, row-major. Probabilities are renormalised to sum to 1 (the file's tolerance is 1e-3). */
  readonly values: Float64Array;
}

/**
 * The teacher's values for `pairs`, in order.
 * @param what - how the pairs are named in the error (e.g. `ID-train and pool pairs`)
 * @throws DataError `TEACHER_MISSING_PAIRS` naming how many pairs the file lacks and the first few
 */
export function matchTeacher(
  file: TeacherFile,
  pairs: readonly { readonly query: string; readonly item: string }[],
  what: string,
): TeacherTargets {
  const k = file.grades;
  const out = new Float64Array(pairs.length * k);
  const missing: { query: string; item: string }[] = [];
  let missingCount = 0;
  pairs.forEach((p, i) => {
    const row = file.rows.get(teacherKey(p.query, p.item));
    if (row === undefined) {
      missingCount++;
      if (missing.length < SHOWN_MISSING) missing.push(p);
      return;
    }
    const values = file.values.subarray(row * k, (row + 1) * k);
    // Rows within the reader's 1e-3 are made exact for the loss (which checks 1e-6).
    const sum = file.output === 'probs' ? values.reduce((a, b) => a + b, 0) : 1;
    for (let c = 0; c < k; c++) out[i * k + c] = (values[c] ?? 0) / sum;
  });
  if (missingCount > 0) {
    const shown = missing.map((p) => `(${excerpt(p.query, 40)}, ${excerpt(p.item, 40)})`);
    throw new DataError('TEACHER_MISSING_PAIRS', {
      file: file.path,
      reason: `${missingCount} of the ${pairs.length} ${what} have no line in the teacher file (${file.rows.size} distinct pairs), e.g. ${shown.join(', ')}`,
    });
  }
  return { output: file.output, values: out };
}

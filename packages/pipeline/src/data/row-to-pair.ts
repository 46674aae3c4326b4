/**
 * Turns the raw fields of one row into a {@link LabeledPair}, or says why the row cannot be used.
 * @internal shared by the CSV and JSONL paths of `loadDataset`
 */
import type { DataIssueCode } from './data-issue';
import type { LabeledPair, UnlabeledPair } from './dataset';
import type { GradeMapper } from './grade-mapping';
import { excerpt, normalizeText, truncateText } from './text';

/** The raw text of the mapped fields of one row; `undefined` for an absent field. */
export interface RawRow {
  readonly line: number;
  readonly id?: string | undefined;
  readonly query?: string | undefined;
  readonly item?: string | undefined;
  readonly label?: string | undefined;
  readonly category?: string | undefined;
}

/** A usable pair or the reason the row is not. */
export type RowResult<TPair = LabeledPair> =
  | { readonly ok: true; readonly pair: TPair }
  | { readonly ok: false; readonly code: DataIssueCode; readonly reason: string };

/** Options for {@link createRowConverter}. */
export interface RowConverterOptions {
  /** How labels become grades; without it the label field is neither required nor read (unlabelled pairs). */
  readonly grades?: GradeMapper | undefined;
  /** Longer query or item texts are cut and counted. */
  readonly maxTextLength: number;
  /** Whether an id column is mapped (else the line number is the id). */
  readonly hasId: boolean;
  /** Whether a category column is mapped. */
  readonly hasCategory: boolean;
}

/** A stateful converter: it remembers ids (duplicates are issues) and counts truncated texts. */
export interface RowConverter<TPair = LabeledPair> {
  convert(row: RawRow): RowResult<TPair>;
  readonly truncated: number;
}

const REPLACEMENT = '\uFFFD';

/** Creates a row converter: labelled pairs with a grade mapper, unlabelled pairs without one. */
export function createRowConverter(
  options: RowConverterOptions & { readonly grades: GradeMapper },
): RowConverter<LabeledPair>;
export function createRowConverter(
  options: RowConverterOptions & { readonly grades?: undefined },
): RowConverter<UnlabeledPair>;
export function createRowConverter(
  options: RowConverterOptions,
): RowConverter<LabeledPair | UnlabeledPair> {
  const seen = new Map<string, number>();
  let truncated = 0;
  const fail = (code: DataIssueCode, reason: string): RowResult<never> => ({
    ok: false,
    code,
    reason,
  });
  const text = (value: string): string => {
    const cut = truncateText(normalizeText(value), options.maxTextLength);
    if (cut.truncated) truncated++;
    return cut.text;
  };

  return {
    get truncated() {
      return truncated;
    },
    convert(row: RawRow): RowResult<LabeledPair | UnlabeledPair> {
      const grades = options.grades;
      const required = {
        query: row.query,
        item: row.item,
        ...(grades === undefined ? {} : { label: row.label }),
      };
      for (const [field, value] of Object.entries(required)) {
        if (value === undefined)
          return fail('MISSING_FIELD', `the ${field} field is missing or not text`);
      }
      for (const [field, value] of Object.entries(row)) {
        if (typeof value === 'string' && value.includes(REPLACEMENT)) {
          return fail(
            'INVALID_UTF8',
            `the ${field} field holds bytes that are not valid UTF-8 (decoded as U+FFFD)`,
          );
        }
      }
      const query = text(row.query ?? '');
      if (query === '') return fail('EMPTY_TEXT', 'the query is empty');
      const item = text(row.item ?? '');
      if (item === '') return fail('EMPTY_TEXT', 'the item text is empty');
      const mapped = grades?.map(normalizeText(row.label ?? ''));
      if (mapped?.ok === false) return fail(mapped.code, mapped.reason);
      let id = String(row.line);
      if (options.hasId) {
        if (row.id === undefined)
          return fail('MISSING_FIELD', 'the id field is missing or not text');
        id = normalizeText(row.id);
        if (id === '') return fail('MISSING_FIELD', 'the id is empty');
        const earlier = seen.get(id);
        if (earlier !== undefined)
          return fail('DUPLICATE_ID', `id ${excerpt(id)} was already used on line ${earlier}`);
        seen.set(id, row.line);
      }
      const category =
        options.hasCategory && row.category !== undefined ? normalizeText(row.category) : '';
      const base: UnlabeledPair = {
        id,
        query,
        item,
        ...(category === '' ? {} : { category }),
        line: row.line,
      };
      if (mapped === undefined) return { ok: true, pair: base };
      const pair: LabeledPair = {
        ...base,
        grade: mapped.grade,
        ...(mapped.rating === undefined ? {} : { rating: mapped.rating }),
      };
      return { ok: true, pair };
    },
  };
}

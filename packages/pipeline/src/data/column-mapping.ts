/**
 * Column mapping: which column of the file holds the id, query, item text, label and (optional) category.
 * Columns are named by header name (exact match after trimming) or by 0-based index. A mapped column that
 * does not exist is a {@link DataError} `MISSING_COLUMN` that lists the columns that do.
 */
import { DataError } from './data-error';
import { excerpt } from './text';

/** A column named by its header name or its 0-based index. */
export type ColumnRef = string | number;

/** The fields the loader reads. */
export type MappedField = 'id' | 'query' | 'item' | 'label' | 'category';

/** Which column holds each field. `id` and `category` are optional. */
export interface ColumnMapping {
  /** Row id; without it the line number is the id. @default undefined */
  readonly id?: ColumnRef;
  /** The search query. */
  readonly query: ColumnRef;
  /** The item (product) text. */
  readonly item: ColumnRef;
  /** The relevance label (a number for a thresholds grade mapping, a value for a values grade mapping). */
  readonly label: ColumnRef;
  /** A category used by the `category` shift strategy. @default undefined */
  readonly category?: ColumnRef;
}

/** A mapping of unlabelled pairs (the pairs `loadPairs` reads): a label column is optional and ignored. */
export type PairColumnMapping = Omit<ColumnMapping, 'label'> & { readonly label?: ColumnRef };

/** The mapping resolved to 0-based CSV field indices. */
export type ResolvedColumns = Readonly<Record<'query' | 'item', number>> &
  Readonly<Partial<Record<'id' | 'category' | 'label', number>>>;

const FIELDS: readonly MappedField[] = ['id', 'query', 'item', 'label', 'category'];

/** Where the mapping is being resolved: the file and its header line. */
export interface ColumnContext {
  readonly file: string;
  readonly line: number;
}

/** Columns named in a message at most; the rest are counted. */
const SHOWN_COLUMNS = 20;

/** The first {@link SHOWN_COLUMNS} names, each quoted as a short excerpt, and how many more there are. */
function describeColumns(names: readonly string[], withIndex = true): string {
  if (names.length === 0) return 'none';
  const shown = names
    .slice(0, SHOWN_COLUMNS)
    .map((n, i) => (withIndex ? `${excerpt(n, 40)} (${i})` : excerpt(n, 40)))
    .join(', ');
  const more = names.length - SHOWN_COLUMNS;
  return more > 0 ? `${shown} and ${more} more` : shown;
}

function mappedEntries(mapping: PairColumnMapping): [MappedField, ColumnRef][] {
  const out: [MappedField, ColumnRef][] = [];
  for (const field of FIELDS) {
    const ref = mapping[field];
    if (ref === undefined) continue;
    if (
      typeof ref === 'number'
        ? !Number.isInteger(ref) || ref < 0
        : typeof ref !== 'string' || ref.trim() === ''
    ) {
      throw new TypeError(
        `columns.${field} must be a column name or a 0-based integer index (got ${JSON.stringify(ref)})`,
      );
    }
    out.push([field, ref]);
  }
  return out;
}

/**
 * Resolves a mapping against a CSV header (or, for a header-less file, against its field count).
 * @param mapping - the column mapping
 * @param header - the header's names, or `undefined` with `fieldCount` for a file without a header
 * @param context - file and line for the error, plus `fieldCount` when there is no header
 * @throws DataError `MISSING_COLUMN` naming the columns that exist; `INVALID_MAPPING` for a name without a header
 *   or a name that several header columns share
 */
export function resolveCsvColumns(
  mapping: PairColumnMapping,
  header: readonly string[] | undefined,
  context: ColumnContext & { readonly fieldCount?: number },
): ResolvedColumns {
  const names = header?.map((h) => h.normalize('NFC').trim());
  const count = names?.length ?? context.fieldCount ?? 0;
  const resolved: Partial<Record<MappedField, number>> = {};
  for (const [field, ref] of mappedEntries(mapping)) {
    if (typeof ref === 'number') {
      if (ref >= count) {
        const exist =
          names === undefined ? `${count} columns (0–${count - 1})` : describeColumns(names);
        throw new DataError(
          'MISSING_COLUMN',
          {
            file: context.file,
            reason: `columns.${field} is column index ${ref}, but the file has ${exist}`,
          },
          { line: context.line },
        );
      }
      resolved[field] = ref;
      continue;
    }
    if (names === undefined) {
      throw new DataError(
        'INVALID_MAPPING',
        {
          file: context.file,
          reason: `columns.${field} names column "${ref}", but the file has no header: use 0-based indices`,
        },
        { line: context.line },
      );
    }
    const wanted = ref.normalize('NFC').trim();
    const first = names.indexOf(wanted);
    if (first < 0) {
      throw new DataError(
        'MISSING_COLUMN',
        {
          file: context.file,
          reason: `columns.${field} is ${excerpt(ref, 40)}, but the header has no such column; the columns are ${describeColumns(names)}`,
        },
        { line: context.line },
      );
    }
    if (names.includes(wanted, first + 1)) {
      throw new DataError(
        'INVALID_MAPPING',
        {
          file: context.file,
          reason: `columns.${field} is "${ref}", but several header columns have that name; map it by index`,
        },
        { line: context.line },
      );
    }
    resolved[field] = first;
  }
  const { query, item } = resolved;
  if (query === undefined || item === undefined) {
    throw new TypeError('columns must map query and item');
  }
  return { ...resolved, query, item };
}

/**
 * Checks a mapping against the keys of a JSONL file's first object (JSONL columns are key names only).
 * @throws DataError `MISSING_COLUMN` naming the keys that exist; `INVALID_MAPPING` for an index
 */
export function checkJsonlColumns(
  mapping: PairColumnMapping,
  keys: readonly string[],
  context: ColumnContext,
): void {
  for (const [field, ref] of mappedEntries(mapping)) {
    if (typeof ref === 'number') {
      throw new DataError(
        'INVALID_MAPPING',
        {
          file: context.file,
          reason: `columns.${field} is index ${ref}, but JSONL rows are objects: map fields by key name`,
        },
        { line: context.line },
      );
    }
    if (!keys.includes(ref)) {
      throw new DataError(
        'MISSING_COLUMN',
        {
          file: context.file,
          reason: `columns.${field} is ${excerpt(ref, 40)}, but the first object has no such key; its keys are ${describeColumns(keys, false)}`,
        },
        { line: context.line },
      );
    }
  }
}

/**
 * The data-source and shift options shared by `pipeline`, `prepare` and `evaluate`, turned into the pipeline's
 * `DataSource` and `ShiftStrategy`. Contradictions (a column mapping with a preset, both grade mappings, a
 * category shift without a category column) are usage errors here rather than surprises later.
 */
import { readFileSync } from 'node:fs';

import {
  DATASET_PRESETS,
  HOMEDEPOT_TAXONOMY,
  type ColumnMapping,
  type CurveOptions,
  type DataSource,
  type FarSource,
  type GradeMapping,
  type ShiftStrategy,
} from '@gradeshift/pipeline';

import type { OptionReader } from './option-reader';
import {
  parseColumnRef,
  parseList,
  parseNumber,
  parseRange,
  parseThresholds,
  parseValueGrades,
} from './value-parsers';

/** Options that name a file's format and columns. */
export const LAYOUT_OPTIONS = [
  'format',
  'query-col',
  'item-col',
  'label-col',
  'id-col',
  'category-col',
] as const;

/** Options that describe a file's layout, which a preset already fixes. */
const MAPPING_OPTIONS = [...LAYOUT_OPTIONS, 'thresholds', 'range', 'values'] as const;

const SHIFT_KINDS = ['department', 'query-cluster', 'category'] as const;

function readColumns(reader: OptionReader): ColumnMapping {
  const column = (name: string) => reader.parse(name, parseColumnRef);
  const required = (name: string) =>
    column(name) ??
    reader.fail(`--data needs --${name}: name the column (or 0-based index), or use --preset`);
  const id = column('id-col');
  const category = column('category-col');
  return {
    query: required('query-col'),
    item: required('item-col'),
    label: required('label-col'),
    ...(id === undefined ? {} : { id }),
    ...(category === undefined ? {} : { category }),
  };
}

function readGrades(reader: OptionReader): GradeMapping {
  const thresholds = reader.string('thresholds');
  const values = reader.has('values');
  if (thresholds !== undefined && values)
    reader.fail('give --thresholds (numeric labels) or --values (text labels), not both');
  if (reader.has('range') && thresholds === undefined)
    reader.fail('--range applies only with --thresholds');
  if (thresholds !== undefined)
    return (
      reader.parse('thresholds', (t) => parseThresholds(t, reader.parse('range', parseRange))) ??
      reader.fail('--thresholds needs a value')
    );
  return (
    reader.parse('values', parseValueGrades) ??
    reader.fail(
      "--data needs a grade mapping: --thresholds 1.75,2.33 (numeric labels) or --values '0:irrelevant,1:weak,2:strong'",
    )
  );
}

/**
 * The grade mapping of `evaluate --predictions`: `--thresholds` (with `--range`) or `--values`, or `undefined`
 * when neither is given (grade names or 0-based indices).
 * @throws UsageError for both mappings, or `--range` without `--thresholds`
 */
export function readOptionalGrades(reader: OptionReader): GradeMapping | undefined {
  if (!reader.has('thresholds') && !reader.has('values')) {
    if (reader.has('range')) reader.fail('--range applies only with --thresholds');
    return undefined;
  }
  return readGrades(reader);
}

/**
 * The data source: `--preset` (optionally with `--data` as its file), or `--data` with a full mapping.
 * @throws UsageError for an unknown preset, a mapping given with a preset, or a missing mapping
 */
export function readDataSource(reader: OptionReader): DataSource {
  const preset = reader.string('preset');
  const path = reader.string('data');
  if (preset !== undefined) {
    if (!Object.hasOwn(DATASET_PRESETS, preset))
      reader.fail(
        `unknown preset "${preset}" (presets: ${Object.keys(DATASET_PRESETS).join(', ')})`,
      );
    const clash = MAPPING_OPTIONS.find((name) => reader.has(name));
    if (clash !== undefined)
      reader.fail(`--${clash} cannot be combined with --preset, which fixes the file's mapping`);
    return path === undefined ? { preset } : { preset, path };
  }
  if (path === undefined) reader.fail('give --preset <name> or --data <file> with its mapping');
  const format = reader.has('format')
    ? reader.choice('format', ['csv', 'jsonl'] as const, 'csv')
    : undefined;
  return {
    path,
    columns: readColumns(reader),
    grades: readGrades(reader),
    ...(format === undefined ? {} : { format }),
  };
}

function hasCategoryColumn(data: DataSource): boolean {
  if ('columns' in data) return data.columns.category !== undefined;
  return DATASET_PRESETS[data.preset]?.columns.category !== undefined;
}

/**
 * The shift strategy, or `undefined` for the pipeline's default (department for Home Depot, else query-cluster).
 * @throws UsageError for an unknown department, a category shift without a category column or held-out values,
 *   or `--held-out` / `--clusters` without `--shift`
 */
export function readShift(reader: OptionReader, data: DataSource): ShiftStrategy | undefined {
  if (!reader.has('shift')) {
    const stray = ['held-out', 'clusters'].find((name) => reader.has(name));
    if (stray !== undefined) reader.fail(`--${stray} applies only with --shift`);
    return undefined;
  }
  const kind = reader.choice('shift', SHIFT_KINDS, 'department');
  if (kind !== 'query-cluster' && reader.has('clusters'))
    reader.fail('--clusters applies only with --shift query-cluster');
  switch (kind) {
    case 'department': {
      const heldOut = reader.list('held-out');
      const ids = HOMEDEPOT_TAXONOMY.departments.map((d) => d.id);
      const unknown = heldOut?.find((id) => !ids.includes(id));
      if (unknown !== undefined)
        reader.fail(`--held-out: unknown department "${unknown}" (departments: ${ids.join(', ')})`);
      return {
        kind,
        taxonomy: HOMEDEPOT_TAXONOMY,
        ...(heldOut === undefined ? {} : { heldOut }),
      };
    }
    case 'query-cluster': {
      const k = reader.integer('clusters', 8, { min: 2 });
      const heldOutClusters = reader.integerList('held-out', { min: 0, max: k - 1 }) ?? [0, 1];
      if (heldOutClusters.length >= k)
        reader.fail(`--held-out must leave at least one of the ${k} clusters in distribution`);
      return { kind, k, heldOutClusters };
    }
    case 'category': {
      if ('preset' in data && !hasCategoryColumn(data))
        reader.fail(
          `--shift category needs a category column, which the ${data.preset} preset has none of: use --data <file> with --category-col`,
        );
      if (!hasCategoryColumn(data))
        reader.fail('--shift category needs a category column: add --category-col <column>');
      const heldOut =
        reader.list('held-out') ??
        reader.fail('--shift category needs --held-out <values>: the categories to hold out');
      return { kind, heldOut };
    }
  }
}

/** The JSON of `--far-mapping`: a far file's columns and grade mapping. */
interface FarMappingJson {
  readonly columns: ColumnMapping;
  readonly grades: GradeMapping;
  readonly format?: 'csv' | 'jsonl';
}

function readFarMapping(reader: OptionReader, path: string): FarMappingJson {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return reader.fail(
      `--far-mapping ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const m = parsed as Partial<FarMappingJson> | null;
  const columns = m?.columns;
  if (
    typeof columns !== 'object' ||
    columns === null ||
    ['query', 'item', 'label'].some((k) => !(k in columns))
  )
    reader.fail(`--far-mapping ${path}: "columns" must name query, item and label`);
  const grades = m?.grades as { kind?: unknown } | undefined;
  if (grades?.kind !== 'thresholds' && grades?.kind !== 'values')
    reader.fail(
      `--far-mapping ${path}: "grades" must be {"kind": "thresholds", …} or {"kind": "values", …}`,
    );
  if (m?.format !== undefined && m.format !== 'csv' && m.format !== 'jsonl')
    reader.fail(`--far-mapping ${path}: "format" must be "csv" or "jsonl"`);
  return m as FarMappingJson;
}

/**
 * The far-OOD set: `--far <preset>` (optionally with `--far-data` as its file), `--far-data` with
 * `--far-mapping`, `--no-far`, or undefined for the data source's default.
 * @throws UsageError for contradictions, an unknown preset or a bad mapping file
 */
export function readFar(reader: OptionReader): FarSource | null | undefined {
  const preset = reader.string('far');
  const path = reader.string('far-data');
  const mapping = reader.string('far-mapping');
  const poolFraction = reader.has('far-pool')
    ? reader.number('far-pool', 0.5, { min: 0, max: 0.99, exclusiveMin: true })
    : undefined;
  const pool = poolFraction === undefined ? {} : { poolFraction };
  if (reader.flag('no-far')) {
    if (
      preset !== undefined ||
      path !== undefined ||
      mapping !== undefined ||
      poolFraction !== undefined
    )
      reader.fail('--no-far cannot be combined with another --far option');
    return null;
  }
  if (preset !== undefined) {
    if (!Object.hasOwn(DATASET_PRESETS, preset))
      reader.fail(
        `unknown --far preset "${preset}" (presets: ${Object.keys(DATASET_PRESETS).join(', ')})`,
      );
    if (mapping !== undefined)
      reader.fail('--far-mapping applies to --far-data without --far <preset>');
    return { source: { preset, ...(path === undefined ? {} : { path }) }, ...pool };
  }
  if (path !== undefined) {
    if (mapping === undefined)
      reader.fail('--far-data needs --far <preset> (its mapping) or --far-mapping <file.json>');
    const m = readFarMapping(reader, mapping);
    return {
      source: {
        path,
        columns: m.columns,
        grades: m.grades,
        ...(m.format === undefined ? {} : { format: m.format }),
      },
      ...pool,
    };
  }
  if (mapping !== undefined) reader.fail('--far-mapping needs --far-data <file>');
  return poolFraction === undefined
    ? undefined
    : reader.fail('--far-pool needs --far or --far-data');
}

/** The budget curve: `--no-curve`, or its budgets, seeds and replay. */
export function readCurve(reader: OptionReader): CurveOptions | null {
  if (reader.flag('no-curve')) return null;
  const budgets = reader.parse('curve-budgets', (t) =>
    parseList(t).map((s) => parseNumber(s, { min: 0, max: 1, exclusiveMin: true })),
  );
  const seeds = reader.integerList('curve-seeds', { min: 0 });
  const replay = reader.has('curve-replay')
    ? reader.integer('curve-replay', 8000, { min: 1 })
    : undefined;
  return {
    ...(budgets === undefined ? {} : { budgets }),
    ...(seeds === undefined ? {} : { seeds }),
    ...(replay === undefined ? {} : { replay }),
  };
}

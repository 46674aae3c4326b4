/**
 * Dataset presets: a named column mapping, grade mapping and default location for a known file.
 *
 * `homedepot`: the train split of the Kaggle "Home Depot Product Search Relevance" competition (74,067 rows,
 * UTF-8), read from `../shared/data/homedepot/train.csv` beside the repository. Labels are the mean of three or
 * more raters on 1–3; edges [1.75, 2.33] give irrelevant (≤ 1.75), weak (2–2.33) and strong (≥ 2.5), and the
 * declared range [1, 3] maps the mean onto the grade axis 0..2 for RMSE. The file has no category column.
 */
import { resolve } from 'node:path';

import type { ColumnMapping } from './column-mapping';
import type { Dataset, DatasetFormat } from './dataset';
import type { GradeMapping } from './grade-mapping';
import { loadDataset, type LoadDatasetOptions } from './load-dataset';

/** A named, ready-to-load dataset description. */
export interface DatasetPreset {
  readonly name: string;
  readonly description: string;
  /** Default location, relative to the repository root. */
  readonly path: string;
  readonly format: DatasetFormat;
  readonly columns: ColumnMapping;
  readonly grades: GradeMapping;
  /** The sha256 of the known file, to tell whether a given file is the expected one. */
  readonly sha256?: string;
  /** The known file's number of data rows. */
  readonly rows?: number;
}

/**
 * A frozen preset of a CSV file whose numeric ratings are cut into the three grades at `edges`, the declared
 * `range` mapping a rating onto the grade axis.
 */
function ratingCsvPreset(preset: {
  name: string;
  description: string;
  path: string;
  columns: ColumnMapping;
  edges: readonly [number, number];
  range: readonly [number, number];
  sha256: string;
  rows: number;
}): DatasetPreset {
  const { name, description, path, columns, edges, range, sha256, rows } = preset;
  return Object.freeze({
    ...{ name, description, path, format: 'csv' },
    columns: Object.freeze({ ...columns }),
    grades: Object.freeze({
      kind: 'thresholds',
      edges: Object.freeze([...edges]),
      range: Object.freeze<[number, number]>([range[0], range[1]]),
    }),
    ...{ sha256, rows },
  } satisfies DatasetPreset);
}

/** The Home Depot product search relevance preset. */
export const HOMEDEPOT_PRESET: DatasetPreset = ratingCsvPreset({
  name: 'homedepot',
  description:
    'Home Depot product search relevance (Kaggle 2016, train split): search_term × product_title, mean rating 1–3',
  path: '../shared/data/homedepot/train.csv',
  columns: { id: 'id', query: 'search_term', item: 'product_title', label: 'relevance' },
  edges: [1.75, 2.33],
  range: [1, 3],
  sha256: 'a1c57fc9cc5ad36e069289825b28cbcfe658bad26188ee4540407d39e1d22a1e',
  rows: 74_067,
});

/**
 * The Crowdflower search results relevance preset (part of the Kaggle 2015 train split, 5,087 rows, UTF-8): other
 * retailers' queries and product titles, the far-OOD set of a Home Depot model. Labels are the median of the
 * raters' 1–4 scores; edges [1.5, 3.5] give irrelevant (1), weak (2–3) and strong (4), the data's README mapping,
 * and the range [1, 4] maps the median onto the grade axis 0..2 for RMSE.
 */
export const CROWDFLOWER_PRESET: DatasetPreset = ratingCsvPreset({
  name: 'crowdflower',
  description:
    'Crowdflower search results relevance (Kaggle 2015, part of the train split): query × product_title, median rating 1–4',
  path: '../shared/data/crowdflower/judged.csv',
  columns: { id: 'id', query: 'query', item: 'product_title', label: 'median_relevance' },
  edges: [1.5, 3.5],
  range: [1, 4],
  sha256: '9ef057f30afca08c1aaf56919c540382dc6ffc7853d5e6d932eae5c6570c7b4e',
  rows: 5_087,
});

/** Every preset by name. */
export const DATASET_PRESETS: Readonly<Record<string, DatasetPreset>> = Object.freeze({
  homedepot: HOMEDEPOT_PRESET,
  crowdflower: CROWDFLOWER_PRESET,
});

/**
 * Looks a preset up by name.
 * @throws RangeError naming the presets that exist
 */
export function getDatasetPreset(name: string): DatasetPreset {
  const preset = Object.hasOwn(DATASET_PRESETS, name) ? DATASET_PRESETS[name] : undefined;
  if (preset === undefined)
    throw new RangeError(
      `unknown dataset preset "${name}" (presets: ${Object.keys(DATASET_PRESETS).join(', ')})`,
    );
  return preset;
}

/** The preset's default file, resolved against the repository root. */
export function resolvePresetPath(preset: DatasetPreset, repoRoot: string): string {
  return resolve(repoRoot, preset.path);
}

/** Options for {@link loadPreset}. */
export interface LoadPresetOptions extends Partial<
  Omit<LoadDatasetOptions, 'columns' | 'grades' | 'format'>
> {
  /** The repository root the preset's default path is relative to. */
  repoRoot: string;
  /** A file to read instead of the default location. @default the preset's path under `repoRoot` */
  path?: string;
}

/**
 * Loads a preset's file with its mappings (other loader options pass through).
 * @throws RangeError for an unknown preset; DataError as {@link loadDataset}
 */
export async function loadPreset(name: string, options: LoadPresetOptions): Promise<Dataset> {
  const preset = getDatasetPreset(name);
  const { repoRoot, path, ...rest } = options;
  return loadDataset(path ?? resolvePresetPath(preset, repoRoot), {
    ...rest,
    format: preset.format,
    columns: preset.columns,
    grades: preset.grades,
  });
}

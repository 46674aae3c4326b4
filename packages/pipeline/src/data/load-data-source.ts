/**
 * A {@link DataSource} (a preset, or a file with its column and grade mapping) loaded into a {@link Dataset},
 * with progress: the one loader behind the pipeline, the CLI and the API.
 */
import { resolve } from 'node:path';

import type { DataSource } from '../pipeline/types';
import type { ProgressSink } from '../stages/progress';
import type { Dataset } from './dataset';
import { loadDataset, type LoadDatasetOptions, type OnDataError } from './load-dataset';
import { getDatasetPreset, resolvePresetPath } from './presets';

/** Options for {@link loadDataSource}. */
export interface LoadDataSourceOptions {
  /** Against which preset paths resolve. */
  repoRoot: string;
  /** What to do with a malformed row of a mapped file. @default 'stop' */
  onError?: OnDataError;
  progress?: ProgressSink;
}

/** A data source as a file to read: its path and how {@link loadDataset} reads it. */
export interface DataSourceFile {
  readonly path: string;
  /** The mapping, format and the name the file goes by (without progress or error policy). */
  readonly options: LoadDatasetOptions;
  /** Rows of a preset at its own path, for progress. */
  readonly total?: number;
}

/**
 * Where a data source's rows are and how they are read, as {@link loadDataSource} reads them.
 * @param data - a preset (optionally at another path) or a file with its mapping
 * @param repoRoot - against which preset paths resolve
 * @throws RangeError for an unknown preset
 */
export function dataSourceFile(data: DataSource, repoRoot: string): DataSourceFile {
  if ('preset' in data) {
    const preset = getDatasetPreset(data.preset);
    const { format, columns, grades } = preset;
    return {
      path: data.path ?? resolvePresetPath(preset, repoRoot),
      options: { format, columns, grades },
      ...(data.path === undefined ? { total: preset.rows } : {}),
    };
  }
  // Errors and report.json name the file as it was given, not by its absolute path.
  return {
    path: resolve(data.path),
    options: {
      label: data.path,
      columns: data.columns,
      grades: data.grades,
      ...(data.format === undefined ? {} : { format: data.format }),
    },
  };
}

/**
 * Loads a data source.
 * @param data - a preset (optionally at another path) or a file with its mapping
 * @param options - repository root, error policy and progress sink
 * @returns the dataset
 * @throws DataError for a missing or malformed file (with its line); RangeError for an unknown preset
 */
export async function loadDataSource(
  data: DataSource,
  options: LoadDataSourceOptions,
): Promise<Dataset> {
  const file = dataSourceFile(data, options.repoRoot);
  const { progress } = options;
  const onProgress = (rows: number) =>
    progress?.({
      stage: 'load',
      message: 'reading rows',
      done: rows,
      ...(file.total === undefined ? {} : { total: file.total }),
    });
  return loadDataset(file.path, {
    ...file.options,
    onProgress,
    ...(options.onError === undefined ? {} : { onError: options.onError }),
  });
}

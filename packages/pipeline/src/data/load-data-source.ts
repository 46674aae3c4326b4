/**
 * A {@link DataSource} (a preset, or a file with its column and grade mapping) loaded into a {@link Dataset},
 * with progress: the one loader behind the pipeline, the CLI and the API.
 */
import { resolve } from 'node:path';

import type { DataSource } from '../pipeline/types';
import type { ProgressSink } from '../stages/progress';
import type { Dataset } from './dataset';
import { loadDataset, type OnDataError } from './load-dataset';
import { getDatasetPreset, loadPreset } from './presets';

/** Options for {@link loadDataSource}. */
export interface LoadDataSourceOptions {
  /** Against which preset paths resolve. */
  repoRoot: string;
  /** What to do with a malformed row of a mapped file. @default 'stop' */
  onError?: OnDataError;
  progress?: ProgressSink;
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
  const total =
    'preset' in data && data.path === undefined ? getDatasetPreset(data.preset).rows : undefined;
  const { progress } = options;
  const onProgress = (rows: number) =>
    progress?.({
      stage: 'load',
      message: 'reading rows',
      done: rows,
      ...(total === undefined ? {} : { total }),
    });
  if ('preset' in data)
    return loadPreset(data.preset, {
      repoRoot: options.repoRoot,
      onProgress,
      ...(data.path === undefined ? {} : { path: data.path }),
    });
  // Errors and report.json name the file as it was given, not by its absolute path.
  return loadDataset(resolve(data.path), {
    label: data.path,
    columns: data.columns,
    grades: data.grades,
    onProgress,
    ...(options.onError === undefined ? {} : { onError: options.onError }),
    ...(data.format === undefined ? {} : { format: data.format }),
  });
}

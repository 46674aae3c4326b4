/**
 * The start every run shares (`runPipeline`, `prepareRunFolder` and each single step reloading a run folder):
 * load a data source, then `prepareData` under the shift and seed with the word vectors from the cache; and the
 * matrix products they all run on.
 */
import { join } from 'node:path';

import { createOrtGemm } from '@gradeshift/core/node';

import type { Dataset } from '../data/dataset';
import { loadDataSource } from '../data/load-data-source';
import type { ShiftStrategy } from '../splits/types';
import { prepareData, type PreparedData } from '../stages/prepare';
import type { ProgressSink } from '../stages/progress';
import type { DataSource } from './types';

/** The pipeline's matrix products: onnxruntime-node Gemm in float64, one intra-op thread (dispose it after). */
export function createPipelineGemm(): ReturnType<typeof createOrtGemm> {
  return createOrtGemm({ dtype: 'float64', backendOptions: { intraOpNumThreads: 1 } });
}

/** Options of {@link prepareSource}. */
export interface PrepareSourceOptions {
  /** Against which preset paths resolve. */
  readonly repoRoot: string;
  readonly shift: ShiftStrategy;
  /** Split seed. */
  readonly seed: number;
  /** Cache folder; the word vectors live in `<cacheDir>/embeddings`. */
  readonly cacheDir: string;
  /** Called with the loaded dataset before the (longer) preparation, e.g. to check its fingerprint. */
  readonly check?: (dataset: Dataset) => void;
  readonly progress?: ProgressSink;
}

/**
 * Loads `source` and prepares it.
 * @throws DataError for a missing or malformed file; whatever `check` throws; RangeError for a shift the data
 * cannot satisfy
 */
export async function prepareSource(
  source: DataSource,
  options: PrepareSourceOptions,
): Promise<PreparedData> {
  const { progress } = options;
  const dataset = await loadDataSource(source, {
    repoRoot: options.repoRoot,
    ...(progress === undefined ? {} : { progress }),
  });
  options.check?.(dataset);
  return prepareData({
    dataset,
    splits: { shift: options.shift, seed: options.seed },
    cacheDir: join(options.cacheDir, 'embeddings'),
    ...(progress === undefined ? {} : { progress }),
  });
}

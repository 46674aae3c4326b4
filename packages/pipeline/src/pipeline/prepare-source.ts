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
import { checkFarScale } from '../splits/far-split';
import type { DataSource, FarSource } from './types';

/** The pipeline's matrix products: onnxruntime-node Gemm in float64, one intra-op thread (dispose it after). */
export function createPipelineGemm(): ReturnType<typeof createOrtGemm> {
  return createOrtGemm({ dtype: 'float64', backendOptions: { intraOpNumThreads: 1 } });
}

/**
 * Loads the far-OOD dataset of `options` (none without one) strictly, before any training.
 * @throws DataError for a missing or malformed file or a row its mapping refuses; RangeError for an empty file
 */
export async function loadFar(
  options: Pick<PrepareSourceOptions, 'repoRoot' | 'far' | 'checkFar' | 'progress'>,
): Promise<{ dataset: Dataset; poolFraction: number } | undefined> {
  const { far, progress } = options;
  if (far === undefined || far === null) return undefined;
  progress?.({ stage: 'load', message: 'reading the far-OOD data' });
  const dataset = await loadDataSource(far.source, { repoRoot: options.repoRoot, onError: 'stop' });
  if (dataset.pairs.length === 0)
    throw new RangeError(`the far-OOD data ${dataset.source.path} holds no pairs`);
  options.checkFar?.(dataset);
  return { dataset, poolFraction: far.poolFraction ?? DEFAULT_FAR_POOL_FRACTION };
}

/** Share of the far dataset's queries that join the pool unless told otherwise. */
export const DEFAULT_FAR_POOL_FRACTION = 0.5;

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
  /** The far-OOD set (read strictly: a row whose label does not fit its grade mapping stops the run). */
  readonly far?: FarSource | null | undefined;
  /** Called with the loaded far dataset, e.g. to check its fingerprint. */
  readonly checkFar?: (dataset: Dataset) => void;
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
  const far = await loadFar(options);
  if (far !== undefined) checkFarScale(dataset, far.dataset);
  return prepareData({
    dataset,
    splits: {
      shift: options.shift,
      seed: options.seed,
      ...(far === undefined ? {} : { far }),
    },
    cacheDir: join(options.cacheDir, 'embeddings'),
    ...(progress === undefined ? {} : { progress }),
  });
}

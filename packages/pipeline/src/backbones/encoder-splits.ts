/**
 * The data of an encoder run: the pipeline's own query-disjoint splits of a data source (same shift, split seed
 * and far-OOD set as `runPipeline`, so its figures are comparable with the default scorer's), and the term
 * statistics of the ID-train texts for the head's lexical features.
 */
import { buildTermStatistics, prepareText, type TermStatistics } from '@gradeshift/core';

import type { Dataset, LabeledPair } from '../data/dataset';
import { loadDataSource } from '../data/load-data-source';
import { defaultFar, defaultShift } from '../pipeline/default-shift';
import { loadFar } from '../pipeline/prepare-source';
import type { DataSource, FarSource } from '../pipeline/types';
import { createSplits, type Splits } from '../splits/create-splits';
import { checkFarScale } from '../splits/far-split';
import type { ShiftStrategy } from '../splits/types';
import type { ProgressSink } from '../stages/progress';

/** The splits an encoder run reads. */
export interface EncoderRunData {
  readonly dataset: Dataset;
  readonly splits: Splits;
  /** The labelled evaluation splits by report name (`far_test` with a far-OOD set). */
  readonly evaluated: ReadonlyMap<'id_test' | 'ood_test' | 'far_test', readonly LabeledPair[]>;
}

/**
 * Loads a data source and its far-OOD set, and splits them as the pipeline does.
 * @throws DataError for a missing or malformed file; RangeError for a shift the data cannot satisfy
 */
export async function loadEncoderRunData(options: {
  readonly data: DataSource;
  /** @default the data source's default (Crowdflower for the Home Depot preset) */
  readonly far?: FarSource | null;
  /** @default the data source's default (three departments held out for Home Depot) */
  readonly shift?: ShiftStrategy;
  readonly repoRoot: string;
  /** @default 0, the pipeline's */
  readonly splitSeed?: number;
  readonly progress?: ProgressSink;
}): Promise<EncoderRunData> {
  const { data, repoRoot, progress } = options;
  const dataset = await loadDataSource(data, {
    repoRoot,
    ...(progress === undefined ? {} : { progress }),
  });
  const far = await loadFar({
    repoRoot,
    far: options.far === undefined ? defaultFar(data) : options.far,
    ...(progress === undefined ? {} : { progress }),
  });
  if (far !== undefined) checkFarScale(dataset, far.dataset);
  progress?.({ stage: 'prepare', message: 'splitting (query-disjoint)' });
  const splits = createSplits(dataset, {
    shift: options.shift ?? defaultShift(data),
    seed: options.splitSeed ?? 0,
    ...(far === undefined ? {} : { far }),
  });
  const evaluated = new Map<'id_test' | 'ood_test' | 'far_test', readonly LabeledPair[]>([
    ['id_test', splits.idTest.pairs],
    ['ood_test', splits.oodTest.pairs],
  ]);
  if (splits.farTest !== undefined) evaluated.set('far_test', splits.farTest.pairs);
  return { dataset, splits, evaluated };
}

/** Document frequencies of the distinct ID-train queries and titles, as the default scorer's prepare stage builds them. */
export function trainingTermStatistics(pairs: readonly LabeledPair[]): TermStatistics {
  const tokensOf = new Map<string, readonly string[]>();
  for (const p of pairs)
    for (const text of [p.query, p.item])
      if (!tokensOf.has(text)) tokensOf.set(text, prepareText(text).tokens);
  return buildTermStatistics([...tokensOf.values()]);
}

/**
 * @file `gradeshift evaluate --queue`: a labelled file evaluated with a bundle whose scoring runs on the queue's
 * workers, exactly as `score --queue` runs it (same pass over the file, same chunk jobs and workers, same chunk
 * files, read back in input order), with each chunk line carrying its pair's exact values; the metrics, bootstrap
 * intervals, OOD flag rates, report.json, predictions.jsonl and run record are then those of the in-process
 * `evaluateBundle` on the same bundle and file. The producer's pass checks every label (a bad one stops it with
 * file:line: reason before anything is queued) and keeps each pair's grade, rating and query, never its texts.
 */
import { join, resolve } from 'node:path';

import type { BundleManifest } from '@gradeshift/core';

import { readBundleManifest } from '../bundle/read-bundle';
import type { LabeledPair } from '../data/dataset';
import { dataSourceFile } from '../data/load-data-source';
import type { LoadDatasetOptions } from '../data/load-dataset';
import {
  abortingProgress,
  evaluationRecord,
  finishBundleEvaluation,
  gradeOutsideBundle,
  measureScoredPairs,
  type BundleEvaluation,
  type EvaluatedSplit,
} from '../pipeline/evaluate-bundle';
import { withEvaluationRun } from '../pipeline/evaluation-run';
import type { DataSource } from '../pipeline/types';
import { ratingOf } from '../stages/prepare';
import type { ProgressSink } from '../stages/progress';
import type { ChunkLoadOptions } from './chunk-job';
import type { CutPairFile } from './cut-pair-file';
import { evaluatedPredictionRows, readEvaluatedChunks } from './evaluated-chunks';
import { runOnQueue, type QueuedChunks } from './queue-score-file';

/** Options of {@link queueEvaluateBundle}. */
export interface QueueEvaluateBundleOptions {
  /** The bundle folder (absolute path on the shared folder). */
  readonly modelDir: string;
  /** The labelled file and its mapping, or a preset (on the shared folder). */
  readonly data: DataSource;
  /** Against which preset paths resolve. */
  readonly repoRoot: string;
  /** `redis://host:port[/db]`. */
  readonly url: string;
  /** Pairs per chunk job, a multiple of 128. @default 16384 */
  readonly chunkPairs?: number;
  /** Where the chunk outputs go (a folder every worker can write). @default `<outDir>/parts` */
  readonly partsDir?: string;
  /** Query-bootstrap resamples. @default 1000 */
  readonly resamples?: number;
  /** Seed of the bootstrap. @default 0 */
  readonly seed?: number;
  /** Folder for report.json and predictions.jsonl. @default undefined (nothing written; needs `partsDir`) */
  readonly outDir?: string;
  /** Run store to record the evaluation in (requires `outDir`). */
  readonly storePath?: string;
  /** Name of the recorded run. @default the basename of `outDir` */
  readonly name?: string;
  readonly progress?: ProgressSink;
  /** Aborting removes the chunks not yet taken; the run is recorded `interrupted`. */
  readonly signal?: AbortSignal;
}

/** What {@link queueEvaluateBundle} returns: the evaluation, and the queue's share of it. */
export interface QueueBundleEvaluation extends BundleEvaluation {
  readonly chunks: number;
  /** Wall time from the first job queued to the last chunk back, in ms. */
  readonly queuedMs: number;
}

/** Each pair's grade, raw rating and query, kept as the producer's pass reads the file. */
class LabelColumns {
  readonly grades: number[] = [];
  readonly ratings: number[] = [];
  readonly queries: string[] = [];
  /** The first pair whose grade is not on the bundle's scale. */
  outside: LabeledPair | undefined;
  /** One string per distinct query (a file repeats its queries). */
  private readonly interned = new Map<string, string>();

  private readonly k: number;

  /** @param k - the bundle's number of grades */
  constructor(k: number) {
    this.k = k;
  }

  add(pair: LabeledPair): void {
    if (this.outside === undefined && !(pair.grade >= 0 && pair.grade < this.k))
      this.outside = pair;
    this.grades.push(pair.grade);
    this.ratings.push(pair.rating ?? Number.NaN);
    let query = this.interned.get(pair.query);
    if (query === undefined) this.interned.set(pair.query, (query = pair.query));
    this.queries.push(query);
  }

  /** The columns as a split, ratings on the grade axis of the file's scale. */
  split(file: CutPairFile): EvaluatedSplit {
    if (file.scale === undefined) throw new Error('the producer read no labels');
    const scale = file.scale;
    return {
      labels: Int32Array.from(this.grades),
      ratings: Float64Array.from(this.ratings, (rating) => ratingOf({ rating }, scale)),
      queries: this.queries,
    };
  }
}

/** How the workers read a labelled file: its pair columns (the label's is not theirs), format and limits. */
function pairLoad(options: LoadDatasetOptions): ChunkLoadOptions {
  const { columns, grades: _grades, label: _label, onProgress: _progress, ...rest } = options;
  const { label: _column, ...pairColumns } = columns;
  return { ...rest, columns: pairColumns };
}

/** The evaluation once the file is read: its run opened, the chunks queued, read back and measured. */
function evaluateQueued(
  options: QueueEvaluateBundleOptions & { manifest: BundleManifest; labels: LabelColumns },
  file: CutPairFile,
  queued: () => Promise<QueuedChunks>,
): Promise<QueueBundleEvaluation> {
  const t0 = Date.now();
  const { manifest, labels, resamples = 1000, seed = 0, signal } = options;
  const progress = abortingProgress(options.progress, signal);
  const outDir = options.outDir === undefined ? undefined : resolve(options.outDir);
  const target = { outDir, storePath: options.storePath, name: options.name, signal };
  const record = evaluationRecord(resolve(options.modelDir), file.source, { resamples, seed });
  // No run is recorded for an evaluation stopped while its file was read.
  signal?.throwIfAborted();
  return withEvaluationRun(target, record, async (run) => {
    const { partsDir, results, queuedMs } = await queued();
    const scored = readEvaluatedChunks(partsDir, results, { pairs: file.pairs, manifest });
    const split = labels.split(file);
    const measured = measureScoredPairs(split, scored, { manifest, resamples, seed, progress });
    const k = manifest.grades.length;
    const done = await finishBundleEvaluation(run, {
      t0,
      manifest,
      data: { source: file.source, rows: file.pairs, issues: file.issues.length },
      measured,
      rows: () => evaluatedPredictionRows(partsDir, results, { scored, grades: split.labels, k }),
    });
    return { ...done, chunks: results.length, queuedMs };
  });
}

/**
 * Evaluates a bundle on a labelled file, its pairs scored on the queue's workers.
 * @param options - bundle, data source, queue, bootstrap settings, output folder and run store
 * @returns what `evaluateBundle` returns (the same figures), with the chunks and the time on the queue
 * @throws BundleError for a bundle whose manifest does not read; DataError for a bad file or label, RangeError
 * for a grade outside the bundle's scale (each naming file and line, before anything is queued); Error when
 * Redis cannot be reached or a chunk fails for good
 */
export async function queueEvaluateBundle(
  options: QueueEvaluateBundleOptions,
): Promise<QueueBundleEvaluation> {
  const partsRoot =
    options.partsDir ?? (options.outDir === undefined ? undefined : join(options.outDir, 'parts'));
  if (partsRoot === undefined)
    throw new TypeError(
      'evaluating on a queue needs outDir or partsDir (a folder the workers share)',
    );
  const manifest = readBundleManifest(options.modelDir);
  const source = dataSourceFile(options.data, options.repoRoot);
  const labels = new LabelColumns(manifest.grades.length);
  return runOnQueue(
    {
      url: options.url,
      modelDir: options.modelDir,
      path: source.path,
      load: pairLoad(source.options),
      ...(options.chunkPairs === undefined ? {} : { chunkPairs: options.chunkPairs }),
      partsRoot: resolve(partsRoot),
      labels: { options: source.options, onPair: (pair) => labels.add(pair) },
      exactValues: true,
      progress: options.progress,
      signal: options.signal,
    },
    async (file, queued) => {
      const outside = gradeOutsideBundle(labels.outside, manifest, file.source.path);
      if (outside !== undefined) throw outside;
      return evaluateQueued({ ...options, manifest, labels }, file, queued);
    },
  );
}

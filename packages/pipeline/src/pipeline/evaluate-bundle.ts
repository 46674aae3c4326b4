/**
 * A model bundle on any labelled dataset, scored as one test split through the bundle's ONNX graph (the path the
 * API serves): graded metrics with query-bootstrap intervals, each OOD score's flag rate at the bundle's calibrated
 * threshold, predictions.jsonl and report.json in an output folder, and a run-store record of kind `evaluate`.
 */
import { resolve } from 'node:path';

import type { BundleManifest, BundleScorer } from '@gradeshift/core';

import type { Dataset, DatasetSource, LabeledPair } from '../data/dataset';
import { ratingOf } from '../stages/prepare';
import type { ProgressSink } from '../stages/progress';
import { computeSplitMetrics, type SplitMetrics } from '../stages/split-metrics';
import {
  evaluationReportOf,
  evaluationRunMetrics,
  summarizeOodScores,
  type EvaluatedData,
} from './evaluation-report';
import { withEvaluationRun, writeEvaluation, type EvaluationRun } from './evaluation-run';
import { openPairScorer } from './open-pair-scorer';
import { evaluationRows, gradeOutputsAt, oodAt } from './row-values';
import { scoreBundlePairs, type ScoredPairs } from './score-bundle-pairs';

/** Options for {@link evaluateBundle}. */
export interface EvaluateBundleOptions {
  /** The bundle folder, or a scorer already loaded (the API passes its live model). */
  model: string | BundleScorer;
  /** The labelled pairs (`loadDataset`), on the bundle's grade scale. */
  dataset: Dataset;
  /** Query-bootstrap resamples of the intervals. @default 1000 */
  resamples?: number;
  /** Seed of the bootstrap. @default 0 */
  seed?: number;
  /** Folder for report.json and predictions.jsonl. @default undefined (nothing written) */
  outDir?: string;
  /** Run store to record the evaluation in (requires `outDir`). @default undefined */
  storePath?: string;
  /** Name of the recorded run. @default the basename of `outDir` */
  name?: string;
  /** Pairs per progress event (and per scoring chunk). @default 8192 */
  progressEvery?: number;
  /**
   * Scoring threads for a bundle folder: the chunks are scored in that many worker threads when each gets at
   * least two; 0 (or a smaller dataset) scores on the calling thread, as does a scorer already loaded.
   * @default min(2, cores)
   */
  threads?: number;
  progress?: ProgressSink;
  /**
   * Stops the evaluation: checked at every progress point and once more after the bootstrap (the event loop is
   * let run first, so a signal that arrived during it is seen); the run is then recorded `interrupted` and
   * nothing more is written. @default undefined
   */
  signal?: AbortSignal;
}

/** Lets the event loop run once (signal handlers, messages), then throws if `signal` was aborted. */
export async function checkpoint(signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return;
  // Two turns: called from an I/O callback, the first immediate runs before the loop polls again.
  for (let turn = 0; turn < 2; turn++) await new Promise((done) => setImmediate(done));
  signal.throwIfAborted();
}

/** One OOD score of the evaluation. */
export interface BundleOodSummary {
  /** Fraction of pairs above the bundle's threshold. */
  readonly flag_rate: number;
  readonly threshold: number;
  /** Mean ID percentile of the pairs (≈ 0.5 on in-distribution data). */
  readonly mean_percentile: number;
}

/** What {@link evaluateBundle} returns. */
export interface BundleEvaluation {
  readonly pairs: number;
  readonly queries: number;
  readonly metrics: SplitMetrics;
  readonly ood: Readonly<Record<string, BundleOodSummary>>;
  readonly seconds: number;
  /** Set when `outDir` was given. */
  readonly reportPath?: string;
  readonly predictionsPath?: string;
  /** Set when `storePath` was given. */
  readonly runId?: string;
}

/**
 * predictions.jsonl of a bundle evaluation.
 * @param pairs - the evaluated pairs, `scored`'s row `i` being pair `i`'s
 */
export function predictionRows(
  pairs: readonly LabeledPair[],
  scored: Pick<ScoredPairs, 'probs' | 'expected' | 'predicted' | 'ood'>,
  k: number,
): Generator<string> {
  return evaluationRows(pairs, (i) => ({
    ...gradeOutputsAt(scored, i, k),
    predicted: scored.predicted[i] ?? 0,
    ...oodAt(scored.ood, i),
  }));
}

/** The labelled side of an evaluated split: each pair's grade, rating (on the grade axis) and query. */
export interface EvaluatedSplit {
  readonly labels: Int32Array;
  readonly ratings: Float64Array;
  readonly queries: readonly string[];
}

/** What an evaluation measured, ready for report.json and the run store. */
export interface MeasuredEvaluation {
  readonly metrics: SplitMetrics;
  readonly ood: Record<string, BundleOodSummary>;
  readonly queries: number;
}

/**
 * The scored pairs measured as one split: metrics with intervals, each OOD score's flag rate.
 * @param split - the pairs' grades, ratings and queries
 * @param scored - their probabilities, expected and decided grades and OOD scores, in the same order
 * @param options - the bundle's manifest (grades, decision rule) and the bootstrap's settings
 */
export function measureScoredPairs(
  split: EvaluatedSplit,
  scored: Pick<ScoredPairs, 'probs' | 'expected' | 'predicted' | 'ood'>,
  options: {
    manifest: BundleManifest;
    resamples: number;
    seed: number;
    progress?: ProgressSink | undefined;
  },
): MeasuredEvaluation {
  const { manifest, resamples, seed, progress } = options;
  const n = split.labels.length;
  const k = manifest.grades.length;
  progress?.({ stage: 'evaluate', message: `bootstrap intervals (${resamples} resamples)` });
  const metrics = computeSplitMetrics(
    split,
    {
      probs: { rows: n, cols: k, data: scored.probs },
      expected: scored.expected,
      predicted: scored.predicted,
    },
    {
      resamples,
      seed,
      grades: k,
      ...(manifest.decision === undefined ? {} : { decision: manifest.decision }),
    },
  );
  const ood = summarizeOodScores(scored.ood, n);
  return { metrics, ood, queries: new Set(split.queries).size };
}

/**
 * The first pair whose grade is not on the bundle's scale, as an error naming its line (`file:line:` when the
 * file is given).
 * @returns undefined when every grade is in range
 */
export function gradeOutsideBundle(
  pair: { readonly line: number; readonly grade: number } | undefined,
  manifest: BundleManifest,
  file?: string,
): RangeError | undefined {
  const k = manifest.grades.length;
  if (pair === undefined || (pair.grade >= 0 && pair.grade < k)) return undefined;
  return new RangeError(
    `${file === undefined ? `line ${pair.line}` : `${file}:${pair.line}`}: grade ${pair.grade} is outside the bundle's ${k} grades (${manifest.grades.map((g) => g.name).join(', ')}); map the labels onto that scale`,
  );
}

/** What the run store records of an evaluation before it starts: its configuration and data fingerprint. */
export function evaluationRecord(
  model: string,
  source: DatasetSource,
  bootstrap: { resamples: number; seed: number },
): { config: Record<string, unknown>; dataFingerprint: string } {
  return {
    config: { model, data: source.path, ...bootstrap },
    dataFingerprint: source.sha256,
  };
}

/**
 * The end of a bundle evaluation, once measured: a last look at the signal, then (with an output folder)
 * predictions.jsonl, report.json and the run's record.
 * @param run - the evaluation's open run
 * @param done - start time, manifest, the evaluated file and what was measured, and its prediction lines
 */
export async function finishBundleEvaluation(
  run: EvaluationRun,
  done: {
    t0: number;
    manifest: BundleManifest;
    data: EvaluatedData;
    measured: MeasuredEvaluation;
    rows: () => Iterable<string>;
  },
): Promise<BundleEvaluation> {
  const { target } = run;
  const { manifest, data, measured } = done;
  // A signal that arrived during the bootstrap (which holds the event loop) is seen here.
  await checkpoint(target.signal);
  const n = data.rows;
  const seconds = (Date.now() - done.t0) / 1000;
  if (target.outDir === undefined) return { pairs: n, ...measured, seconds };
  const written = await writeEvaluation(
    { ...run, target: { ...target, outDir: target.outDir } },
    {
      seconds,
      rows: done.rows(),
      report: (entry) => evaluationReportOf({ run: entry, manifest, data, ...measured }),
      metrics: evaluationRunMetrics(measured),
      pairs: n,
      queries: measured.queries,
    },
  );
  return { pairs: n, ...measured, seconds, ...written };
}

/** A dataset's labelled side as {@link measureScoredPairs} takes it. */
function splitOf(dataset: Dataset): EvaluatedSplit {
  return {
    labels: Int32Array.from(dataset.pairs, (p) => p.grade),
    ratings: Float64Array.from(dataset.pairs, (p) => ratingOf(p, dataset)),
    queries: dataset.pairs.map((p) => p.query),
  };
}

/**
 * Scores a labelled dataset with a bundle and measures it as one test split.
 * @param options - model, dataset, bootstrap settings, optional output folder and run store
 * @returns metrics with intervals, OOD flag rates and, when asked, the written files and run id
 * @throws BundleError for a bundle that does not load; RangeError for an empty dataset or grades outside the
 * bundle's scale
 */
export async function evaluateBundle(options: EvaluateBundleOptions): Promise<BundleEvaluation> {
  const t0 = Date.now();
  const { dataset, resamples = 1000, seed = 0, progressEvery = 8192, signal } = options;
  const progress = abortingProgress(options.progress, signal);
  if (dataset.pairs.length === 0)
    throw new RangeError(`the dataset ${dataset.source.path} has no labelled pairs to evaluate`);
  const opened =
    typeof options.model === 'string'
      ? await openPairScorer(options.model, {
          pairs: dataset.pairs.length,
          chunk: progressEvery,
          ...(options.threads === undefined ? {} : { threads: options.threads }),
        })
      : undefined;
  const scorer = opened?.model ?? (options.model as BundleScorer);
  const manifest = scorer.manifest;
  const k = manifest.grades.length;
  const outside = gradeOutsideBundle(
    dataset.pairs.find((p) => !(p.grade >= 0 && p.grade < k)),
    manifest,
  );
  if (outside !== undefined) {
    await opened?.close();
    throw outside;
  }
  const outDir = options.outDir === undefined ? undefined : resolve(options.outDir);
  const target = { outDir, storePath: options.storePath, name: options.name, signal };
  const model = typeof options.model === 'string' ? resolve(options.model) : manifest.model.sha256;
  try {
    return await withEvaluationRun(
      target,
      evaluationRecord(model, dataset.source, { resamples, seed }),
      async (run) => {
        const scored = await scoreBundlePairs(scorer, dataset.pairs, {
          progressEvery,
          ...(progress === undefined ? {} : { progress }),
        });
        const split = splitOf(dataset);
        const measured = measureScoredPairs(split, scored, { manifest, resamples, seed, progress });
        return finishBundleEvaluation(run, {
          t0,
          manifest,
          data: {
            source: dataset.source,
            rows: dataset.pairs.length,
            issues: dataset.issues.length,
          },
          measured,
          rows: () => predictionRows(dataset.pairs, scored, k),
        });
      },
    );
  } finally {
    await opened?.close();
  }
}

/** `progress` that first throws when `signal` was aborted (every progress point is a checkpoint). */
export function abortingProgress(
  progress: ProgressSink | undefined,
  signal: AbortSignal | undefined,
): ProgressSink | undefined {
  if (signal === undefined) return progress;
  return (event) => {
    signal.throwIfAborted();
    progress?.(event);
  };
}

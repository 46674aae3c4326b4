/**
 * @file What the CLI needs from the pipeline, as a small local interface. `DEFAULT_BACKENDS` wires what
 * `@gradeshift/pipeline` provides today; a subcommand whose backend is absent exits with code 70 and the
 * message in {@link MISSING_BACKENDS}, instead of pretending to work. Tests inject fakes through the same shape.
 */
import { dirname, join } from 'node:path';

import {
  evaluateBundle,
  evaluateCrossEncoder,
  evaluatePredictions,
  loadDataSource,
  queueEvaluateBundle,
  runChunkWorker,
  runPipeline,
  scoreFile,
  SPLIT_METRICS,
  type BundleEvaluation,
  type BundleOodSummary,
  type DataSource,
  type PipelineOptions,
  type PipelineResult,
  type PredictionsEvaluation,
  type ProgressSink,
} from '@gradeshift/pipeline';

import type {
  EvaluateCrossEncoderArgs,
  EvaluatePredictionsArgs,
  ExportArgs,
  ScoreArgs,
  ScoreQueueArgs,
  SelectArgs,
  TrainArgs,
} from './parsed-command';
import {
  queueScoreBackend,
  scoreLoadOptions,
  type QueuedScoreResult,
  type WorkerOptions,
} from './queue-backends';
import { exportStep, selectStep, trainStep } from './run-folder-backends';

/** What a single step reports back. */
export interface StepResult {
  /** Lines to print, e.g. `stage 1: best epoch 5, val macro-F1 0.61`. */
  readonly summary: readonly string[];
  /** Files written. */
  readonly files: readonly string[];
}

/** Options of a single step: the parsed arguments, absolute paths, and the progress sink. */
export type StepOptions<TArgs> = TArgs & { readonly progress?: ProgressSink };

/** Options of {@link CliBackends.evaluateFile}. */
export interface EvaluateFileOptions {
  /** A model bundle folder (absolute). */
  readonly modelDir: string;
  /** The labelled file and its mapping (absolute path). */
  readonly data: DataSource;
  /** Against which preset paths resolve. */
  readonly repoRoot: string;
  readonly resamples: number;
  readonly seed: number;
  /** Folder for report.json and predictions.jsonl; the run is recorded in its parent's runs.sqlite. */
  readonly outDir: string;
  /** The run store (SQLite path or PostgreSQL URL). @default runs.sqlite beside `outDir` */
  readonly storePath?: string;
  /** Scoring threads; `undefined` for the pipeline's default. */
  readonly threads?: number | undefined;
  readonly progress?: ProgressSink;
  /** Aborted on SIGINT / SIGTERM: the evaluation stops and its run is recorded `interrupted`. */
  readonly signal?: AbortSignal;
}

/** A metric value with its bootstrap interval. */
export interface MetricEstimate {
  readonly value: number;
  readonly lo?: number;
  readonly hi?: number;
}

/** What {@link CliBackends.evaluateFile} returns: the file scored as one test split. */
export interface EvaluateFileResult {
  /** Pairs scored. */
  readonly pairs: number;
  /** Metric name → estimate (accuracy, macro_f1, ndcg@10, ece, rmse…). */
  readonly metrics: Readonly<Record<string, MetricEstimate>>;
  /** OOD score name → share of pairs flagged at the bundle's threshold. @default {} */
  readonly ood?: Readonly<Record<string, BundleOodSummary>>;
  /** Files written. @default [] */
  readonly files?: readonly string[];
  /** The run-store record. @default undefined */
  readonly runId?: string;
}

/** What every evaluation against a reference file takes beside its inputs. */
interface ReferenceRunOptions {
  /** Folder for report.json and predictions.jsonl; the run is recorded in its parent's runs.sqlite. */
  readonly outDir: string;
  /** The run store (SQLite path or PostgreSQL URL). @default runs.sqlite beside `outDir` */
  readonly storePath?: string;
  readonly progress?: ProgressSink;
  readonly signal?: AbortSignal;
}

/** Options of {@link CliBackends.evaluatePredictions}: the parsed arguments with absolute paths. */
export type EvaluatePredictionsFileOptions = Omit<EvaluatePredictionsArgs, 'out' | 'json'> &
  ReferenceRunOptions;

/** Options of {@link CliBackends.evaluateCrossEncoder}: the parsed arguments with absolute paths. */
export type EvaluateCrossEncoderFileOptions = Omit<EvaluateCrossEncoderArgs, 'out' | 'json'> &
  ReferenceRunOptions & {
    /** Against which preset paths resolve. */
    readonly repoRoot: string;
  };

/** What {@link CliBackends.evaluatePredictions} returns: the evaluation, plus each OOD score's detection. */
export interface EvaluatePredictionsFileResult extends EvaluateFileResult {
  /** OOD score name → AUROC and FPR@95 of the reference's calibration half against the file. */
  readonly detection: Readonly<Record<string, { auroc: number; fprAtTpr: number }>>;
}

/** Options of {@link CliBackends.scoreFile}; `out` is a path or `-`, with `stdout` for the latter. */
export type ScoreFileOptions = StepOptions<ScoreArgs> & {
  readonly stdout: { write(text: string): unknown };
};

/** Options of {@link CliBackends.queueEvaluateFile}: `evaluate`'s, with the queue and the abort signal. */
export type QueuedEvaluateOptions = EvaluateFileOptions & {
  readonly queue: ScoreQueueArgs;
  readonly signal: AbortSignal;
};

/** What {@link CliBackends.queueEvaluateFile} returns: the evaluation, and the queue's share of it. */
export interface QueuedEvaluateResult extends EvaluateFileResult {
  readonly chunks: number;
  /** Wall time from the first job queued to the last chunk back, in ms. */
  readonly queuedMs: number;
}

/** Options of {@link CliBackends.queueScoreFile}: `score`'s, with the queue and the abort signal. */
export type QueuedScoreOptions = StepOptions<ScoreArgs> & {
  readonly queue: ScoreQueueArgs;
  readonly signal: AbortSignal;
};

/** The operations behind the subcommands. */
export interface CliBackends {
  /** `gradeshift pipeline`. */
  readonly runPipeline?: (options: PipelineOptions) => Promise<PipelineResult>;
  /** `gradeshift train`: one stage on a prepared run folder. */
  readonly train?: (options: StepOptions<TrainArgs>) => Promise<StepResult>;
  /** `gradeshift select`: one strategy at one budget on a run folder. */
  readonly select?: (options: StepOptions<SelectArgs>) => Promise<StepResult>;
  /** `gradeshift export`: the model bundle of a trained run folder. */
  readonly exportBundle?: (options: StepOptions<ExportArgs>) => Promise<StepResult>;
  /** `gradeshift evaluate`: a bundle on an external labelled file. */
  readonly evaluateFile?: (options: EvaluateFileOptions) => Promise<EvaluateFileResult>;
  /** `gradeshift evaluate --queue`: the same, the pairs scored on a queue's workers. */
  readonly queueEvaluateFile?: (options: QueuedEvaluateOptions) => Promise<QueuedEvaluateResult>;
  /** `gradeshift evaluate --predictions`: external model outputs against a reference file. */
  readonly evaluatePredictions?: (
    options: EvaluatePredictionsFileOptions,
  ) => Promise<EvaluatePredictionsFileResult>;
  /** `gradeshift evaluate --cross-encoder`: a cross-encoder on a labelled file against a reference file. */
  readonly evaluateCrossEncoder?: (
    options: EvaluateCrossEncoderFileOptions,
  ) => Promise<EvaluatePredictionsFileResult>;
  /** `gradeshift score`: a bundle on a file of pairs, JSONL out. */
  readonly scoreFile?: (options: ScoreFileOptions) => Promise<{ readonly pairs: number }>;
  /** `gradeshift score --queue`: the same on a queue's workers. */
  readonly queueScoreFile?: (options: QueuedScoreOptions) => Promise<QueuedScoreResult>;
  /** `gradeshift worker`. */
  readonly runWorker?: (options: WorkerOptions) => Promise<{ readonly chunks: number }>;
}

/** Why each backend is absent: what the pipeline still has to provide. */
export const MISSING_BACKENDS: Readonly<Record<keyof CliBackends, string>> = Object.freeze({
  runPipeline: 'the pipeline does not export runPipeline',
  train: 'no train backend was given to this CLI (the default one is trainRunStage)',
  select: 'no select backend was given to this CLI (the default one is selectRunFolder)',
  exportBundle: 'no export backend was given to this CLI (the default one is exportRunFolder)',
  evaluateFile: 'no evaluateFile backend was given to this CLI (the default one is evaluateBundle)',
  queueEvaluateFile:
    'no queueEvaluateFile backend was given to this CLI (the default one is queueEvaluateBundle)',
  evaluatePredictions:
    'no evaluatePredictions backend was given to this CLI (the default one is evaluatePredictions)',
  evaluateCrossEncoder:
    'no evaluateCrossEncoder backend was given to this CLI (the default one is evaluateCrossEncoder)',
  scoreFile: 'no scoreFile backend was given to this CLI (the default one is scoreFile)',
  queueScoreFile:
    'no queueScoreFile backend was given to this CLI (the default one is queueScoreFile)',
  runWorker: 'no runWorker backend was given to this CLI (the default one is runChunkWorker)',
});

/** An evaluation (bundle or external predictions) as the CLI prints it: metrics, OOD flags, files, run. */
function fileResult(result: BundleEvaluation | PredictionsEvaluation): EvaluateFileResult {
  return {
    pairs: result.pairs,
    metrics: Object.fromEntries(SPLIT_METRICS.map((m) => [m, result.metrics[m]])),
    ood: result.ood,
    files: [result.reportPath, result.predictionsPath].filter((f) => f !== undefined),
    ...(result.runId === undefined ? {} : { runId: result.runId }),
  };
}

/** `gradeshift evaluate` over `evaluateBundle`: the file scored as one split, recorded as a run. */
async function evaluateFile(options: EvaluateFileOptions): Promise<EvaluateFileResult> {
  const dataset = await loadDataSource(options.data, {
    repoRoot: options.repoRoot,
    ...(options.progress === undefined ? {} : { progress: options.progress }),
  });
  const result = await evaluateBundle({
    model: options.modelDir,
    dataset,
    resamples: options.resamples,
    seed: options.seed,
    outDir: options.outDir,
    storePath: options.storePath ?? join(dirname(options.outDir), 'runs.sqlite'),
    ...(options.threads === undefined ? {} : { threads: options.threads }),
    ...(options.progress === undefined ? {} : { progress: options.progress }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  return fileResult(result);
}

/** `gradeshift evaluate --queue` over `queueEvaluateBundle`: the same evaluation, scored on the workers. */
async function queueEvaluateFile(options: QueuedEvaluateOptions): Promise<QueuedEvaluateResult> {
  const result = await queueEvaluateBundle({
    modelDir: options.modelDir,
    data: options.data,
    repoRoot: options.repoRoot,
    url: options.queue.url,
    chunkPairs: options.queue.chunkPairs,
    resamples: options.resamples,
    seed: options.seed,
    outDir: options.outDir,
    storePath: options.storePath ?? join(dirname(options.outDir), 'runs.sqlite'),
    signal: options.signal,
    ...optional({ progress: options.progress }),
  });
  return { ...fileResult(result), chunks: result.chunks, queuedMs: result.queuedMs };
}

/** `gradeshift evaluate --predictions` over `evaluatePredictions`, recorded as a run. */
async function evaluatePredictionsFile(
  options: EvaluatePredictionsFileOptions,
): Promise<EvaluatePredictionsFileResult> {
  const result = await evaluatePredictions({
    predictions: options.predictions,
    reference: options.reference,
    ...(options.mapping === undefined ? {} : { mapping: options.mapping }),
    ...(options.embeddings === undefined ? {} : { embeddings: options.embeddings }),
    ...(options.referenceEmbeddings === undefined
      ? {}
      : { referenceEmbeddings: options.referenceEmbeddings }),
    resamples: options.resamples,
    seed: options.seed,
    outDir: options.outDir,
    storePath: options.storePath ?? join(dirname(options.outDir), 'runs.sqlite'),
    ...(options.progress === undefined ? {} : { progress: options.progress }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  return { ...fileResult(result), detection: result.detection };
}

/** `gradeshift evaluate --cross-encoder` over `evaluateCrossEncoder`: both files loaded alike, recorded as a run. */
async function evaluateCrossEncoderFile(
  options: EvaluateCrossEncoderFileOptions,
): Promise<EvaluatePredictionsFileResult> {
  const load = { repoRoot: options.repoRoot, ...optional({ progress: options.progress }) };
  const data = await loadDataSource(options.data, load);
  const reference = await loadDataSource({ ...options.data, path: options.reference }, load);
  const result = await evaluateCrossEncoder({
    model: options.crossEncoder,
    data,
    reference,
    resamples: options.resamples,
    seed: options.seed,
    outDir: options.outDir,
    storePath: join(dirname(options.outDir), 'runs.sqlite'),
    ...optional({
      maxLength: options.maxLength,
      threads: options.threads,
      bundleOut: options.bundleOut,
      progress: options.progress,
      signal: options.signal,
    }),
  });
  const evaluated = fileResult(result);
  const files = [
    ...(evaluated.files ?? []),
    ...(result.bundlePath === undefined ? [] : [result.bundlePath]),
  ];
  return { ...evaluated, files, detection: result.detection };
}

/** The entries of `values` that are defined (for options under exactOptionalPropertyTypes). */
function optional<T extends Record<string, unknown>>(
  values: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/** `gradeshift score` over `scoreFile`. */
async function scoreFileBackend(options: ScoreFileOptions): Promise<{ readonly pairs: number }> {
  return scoreFile({
    modelDir: options.modelDir,
    path: options.path,
    load: scoreLoadOptions(options),
    out: options.out === '-' ? options.stdout : options.out,
    ...(options.threads === undefined ? {} : { threads: options.threads }),
    ...(options.progress === undefined ? {} : { progress: options.progress }),
  });
}

/** The backends available in `@gradeshift/pipeline` today. */
export const DEFAULT_BACKENDS: CliBackends = Object.freeze({
  runPipeline,
  evaluateFile,
  queueEvaluateFile,
  evaluatePredictions: evaluatePredictionsFile,
  evaluateCrossEncoder: evaluateCrossEncoderFile,
  scoreFile: scoreFileBackend,
  queueScoreFile: queueScoreBackend,
  runWorker: runChunkWorker,
  train: trainStep,
  select: selectStep,
  exportBundle: exportStep,
});

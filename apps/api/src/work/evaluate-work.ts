/**
 * `evaluate` work: the labelled dataset scored through the served model with the pipeline's `evaluateBundle`
 * (metrics with query-bootstrap intervals, OOD flag rates), written as a run (report.json, predictions.jsonl)
 * in the runs folder and recorded in the run store, so `runs.get` / `runs.compare` see it at once.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import {
  evaluateBundle,
  evaluatePredictions,
  SPLIT_METRICS,
  type BundleEvaluation,
  type GradeMapping,
  type PredictionsEvaluation,
  type ProgressSink,
} from '@gradeshift/pipeline';

import {
  loadLabelledDataset,
  throwIfAborted,
  WorkInputError,
  type DatasetSource,
} from './dataset-source';
import type { WorkContext } from './job-work';

/** The files of an external-predictions evaluation (real paths, confined to the data folder). */
export interface PredictionsSource {
  readonly path: string;
  readonly reference: string;
  /** The paths as the client gave them. */
  readonly given: { readonly path: string; readonly reference: string };
  readonly mapping?: GradeMapping;
  /** `.npy` embeddings of the evaluated and of the reference pairs (real paths). */
  readonly embeddings?: string;
  readonly referenceEmbeddings?: string;
}

/** What `evaluate` was asked: a dataset scored through the model, or external predictions. */
export type EvaluateRequest = (
  { readonly dataset: DatasetSource } | { readonly predictions: PredictionsSource }
) & {
  /** The run's name and folder under the runs folder. */
  readonly name: string;
  /** Query-bootstrap resamples. */
  readonly resamples: number;
};

/** A metric with its 95% interval; null where it is undefined on this data. */
export interface IntervalFigure {
  readonly value: number | null;
  readonly lo: number | null;
  readonly hi: number | null;
}

/** What `evaluate` produced. */
export interface EvaluateResult {
  readonly runId: string;
  readonly name: string;
  readonly pairs: number;
  readonly queries: number;
  readonly metrics: Record<string, IntervalFigure>;
  readonly ood: Record<string, { flagRate: number; threshold: number; meanPercentile: number }>;
  /** External predictions: per OOD score, AUROC and FPR@95 of the reference against the file. */
  readonly detection?: Record<string, { auroc: number; fprAtTpr: number }>;
  readonly seconds: number;
}

const orNull = (x: number | undefined): number | null =>
  x !== undefined && Number.isFinite(x) ? x : null;

/** Settings of the evaluate work. */
export interface EvaluateWorkOptions {
  readonly runsDir: string;
  readonly runStorePath: string;
  readonly maxFilePairs: number;
}

/** Creates the run folder; not recursive, so creating it claims the name and two jobs never share one. */
function claimRunFolder(runsDir: string, name: string): string {
  const outDir = join(runsDir, name);
  mkdirSync(runsDir, { recursive: true });
  try {
    mkdirSync(outDir);
  } catch {
    throw new WorkInputError(`name: a run folder "${name}" already exists`);
  }
  return outDir;
}

/** The pipeline's progress events as job progress, stopping at the next one once cancelled. */
function progressOf(job: WorkContext['job']): ProgressSink {
  return (event) => {
    throwIfAborted(job.signal);
    job.progress({
      stage: 'scoring',
      ...(event.done === undefined ? {} : { done: event.done }),
      ...(event.total === undefined ? {} : { total: event.total }),
      ...(event.message === undefined ? {} : { message: event.message }),
    });
  };
}

/** An evaluation (bundle or external predictions) as the job's result. */
function resultOf(name: string, result: BundleEvaluation | PredictionsEvaluation): EvaluateResult {
  if (result.runId === undefined) throw new Error('the evaluation recorded no run');
  const metrics: Record<string, IntervalFigure> = {};
  for (const metric of SPLIT_METRICS) {
    const m = result.metrics[metric];
    metrics[metric] = { value: orNull(m.value), lo: orNull(m.lo), hi: orNull(m.hi) };
  }
  return {
    runId: result.runId,
    name,
    pairs: result.pairs,
    queries: result.queries,
    metrics,
    ood: Object.fromEntries(
      Object.entries(result.ood).map(([score, o]) => [
        score,
        { flagRate: o.flag_rate, threshold: o.threshold, meanPercentile: o.mean_percentile },
      ]),
    ),
    ...('detection' in result ? { detection: { ...result.detection } } : {}),
    seconds: result.seconds,
  };
}

/**
 * Creates the evaluate work.
 * @param options - where runs go and the file row limit
 */
export function createEvaluateWork(options: EvaluateWorkOptions) {
  return async (request: EvaluateRequest, context: WorkContext): Promise<EvaluateResult> => {
    const { model, job } = context;
    job.progress({ stage: 'reading' });
    const common = {
      storePath: options.runStorePath,
      name: request.name,
      resamples: request.resamples,
      signal: job.signal,
      progress: progressOf(job),
    };
    if ('predictions' in request) {
      // The served model is leased like any job's but not used: the files hold the outputs.
      const p = request.predictions;
      const outDir = claimRunFolder(options.runsDir, request.name);
      const result = await evaluatePredictions({
        predictions: p.path,
        reference: p.reference,
        ...(p.mapping === undefined ? {} : { mapping: p.mapping }),
        ...(p.embeddings === undefined ? {} : { embeddings: p.embeddings }),
        ...(p.referenceEmbeddings === undefined
          ? {}
          : { referenceEmbeddings: p.referenceEmbeddings }),
        maxPairs: options.maxFilePairs,
        outDir,
        ...common,
      });
      return resultOf(request.name, result);
    }
    const dataset = await loadLabelledDataset(request.dataset, {
      scale: { grades: model.manifest.grades },
      maxFilePairs: options.maxFilePairs,
      signal: job.signal,
    });
    const outDir = claimRunFolder(options.runsDir, request.name);
    const result = await evaluateBundle({ model: model.scorer, dataset, outDir, ...common });
    return resultOf(request.name, result);
  };
}

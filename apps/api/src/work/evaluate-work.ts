/**
 * `evaluate` work: the labelled dataset scored through the served model with the pipeline's `evaluateBundle`
 * (metrics with query-bootstrap intervals, OOD flag rates), written as a run (report.json, predictions.jsonl)
 * in the runs folder and recorded in the run store, so `runs.get` / `runs.compare` see it at once.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { evaluateBundle, SPLIT_METRICS } from '@gradeshift/pipeline';

import {
  loadLabelledDataset,
  throwIfAborted,
  WorkInputError,
  type DatasetSource,
} from './dataset-source';
import type { WorkContext } from './job-work';

/** What `evaluate` was asked. */
export interface EvaluateRequest {
  readonly dataset: DatasetSource;
  /** The run's name and folder under the runs folder. */
  readonly name: string;
  /** Query-bootstrap resamples. */
  readonly resamples: number;
}

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

/**
 * Creates the evaluate work.
 * @param options - where runs go and the file row limit
 */
export function createEvaluateWork(options: EvaluateWorkOptions) {
  return async (request: EvaluateRequest, context: WorkContext): Promise<EvaluateResult> => {
    const { model, job } = context;
    job.progress({ stage: 'reading' });
    const dataset = await loadLabelledDataset(request.dataset, {
      scale: { grades: model.manifest.grades },
      maxFilePairs: options.maxFilePairs,
      signal: job.signal,
    });
    const outDir = join(options.runsDir, request.name);
    mkdirSync(options.runsDir, { recursive: true });
    try {
      // Not recursive: creating the folder claims the name, so two jobs never share one.
      mkdirSync(outDir);
    } catch {
      throw new WorkInputError(`name: a run folder "${request.name}" already exists`);
    }
    const result = await evaluateBundle({
      model: model.scorer,
      dataset,
      outDir,
      storePath: options.runStorePath,
      name: request.name,
      resamples: request.resamples,
      signal: job.signal,
      progress: (event) => {
        throwIfAborted(job.signal);
        job.progress({
          stage: 'scoring',
          ...(event.done === undefined ? {} : { done: event.done }),
          ...(event.total === undefined ? {} : { total: event.total }),
          ...(event.message === undefined ? {} : { message: event.message }),
        });
      },
    });
    if (result.runId === undefined) throw new Error('evaluateBundle recorded no run');
    const metrics: Record<string, IntervalFigure> = {};
    for (const name of SPLIT_METRICS) {
      const m = result.metrics[name];
      metrics[name] = { value: orNull(m.value), lo: orNull(m.lo), hi: orNull(m.hi) };
    }
    return {
      runId: result.runId,
      name: request.name,
      pairs: result.pairs,
      queries: result.queries,
      metrics,
      ood: Object.fromEntries(
        Object.entries(result.ood).map(([name, o]) => [
          name,
          { flagRate: o.flag_rate, threshold: o.threshold, meanPercentile: o.mean_percentile },
        ]),
      ),
      seconds: result.seconds,
    };
  };
}

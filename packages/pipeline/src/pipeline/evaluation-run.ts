/**
 * The life of an evaluation run (`evaluateBundle`, `evaluatePredictions`): its run-store record, opened before
 * anything is measured and closed `failed` or `interrupted` when the evaluation throws, and its two files,
 * predictions.jsonl and report.json, written into the output folder.
 */
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';

import { writeRunReport, type ReportInput } from '../contract/read-report';
import type { EvaluationReport } from '../contract/report-schema';
import { writeLinesAtomic } from '../io/atomic-write';
import type { MetricRecord } from '../store/run-records';
import { openRunRecorder } from '../store/open-run-store-backend';
import type { RunRecorder } from '../store/run-store-backend';
import { failEvaluationRun, recordEvaluationRun } from './evaluation-report';

/** Where an evaluation goes: its output folder (absolute), the run store that records it, and its name. */
export interface EvaluationTarget {
  readonly outDir: string | undefined;
  readonly storePath?: string | undefined;
  /** @default the basename of `outDir` */
  readonly name?: string | undefined;
  /** Its abort marks a failed run `interrupted`. */
  readonly signal?: AbortSignal | undefined;
}

/** An evaluation's open run: the store and run id when it is recorded. */
export interface EvaluationRun {
  readonly target: EvaluationTarget;
  readonly store: RunRecorder | undefined;
  readonly runId: string | undefined;
}

/**
 * Runs `body` inside an evaluation's run-store record. With an output folder the folder is created; with a
 * store as well, a run of kind `evaluate` is created and its `evaluate` stage started. A throw from `body`
 * finishes the run `interrupted` (aborted signal) or `failed` and is rethrown; the store is closed either way.
 * @param record - the recorded run's configuration and data fingerprint
 */
export async function withEvaluationRun<T>(
  target: EvaluationTarget,
  record: { config: Record<string, unknown>; dataFingerprint: string },
  body: (run: EvaluationRun) => Promise<T>,
): Promise<T> {
  const { outDir, storePath } = target;
  let run: EvaluationRun = { target, store: undefined, runId: undefined };
  try {
    if (outDir !== undefined) {
      mkdirSync(outDir, { recursive: true });
      if (storePath !== undefined) {
        const store = await openRunRecorder(storePath);
        run = { target, store, runId: undefined };
        const { id: runId } = await store.createRun({
          name: target.name ?? basename(outDir),
          kind: 'evaluate',
          outDir,
          ...record,
        });
        run = { target, store, runId };
        await store.startStage(runId, 'evaluate');
      }
    }
    return await body(run);
  } catch (error) {
    await failEvaluationRun(run, error, target.signal);
    throw error;
  } finally {
    await run.store?.close();
  }
}

/** The files of a finished evaluation. */
export interface WrittenEvaluation {
  readonly reportPath: string;
  readonly predictionsPath: string;
  readonly runId?: string;
}

/**
 * Writes predictions.jsonl and report.json into the run's output folder and, when the run is recorded, records
 * it finished with its metrics and files.
 * @param outputs - the prediction lines, the report given the run's entry, the run-store metrics and counts
 */
export async function writeEvaluation(
  run: EvaluationRun & { target: { outDir: string } },
  outputs: {
    seconds: number;
    rows: Iterable<string>;
    report: (entry: EvaluationReport['run']) => ReportInput<EvaluationReport>;
    metrics: readonly MetricRecord[];
    pairs: number;
    queries: number;
  },
): Promise<WrittenEvaluation> {
  const { target, store, runId } = run;
  const predictionsPath = join(target.outDir, 'predictions.jsonl');
  writeLinesAtomic(predictionsPath, outputs.rows);
  const reportPath = join(target.outDir, 'report.json');
  const entry = {
    id: runId ?? null,
    name: target.name ?? basename(target.outDir),
    seconds: outputs.seconds,
  };
  writeRunReport<EvaluationReport>(reportPath, outputs.report(entry));
  if (store !== undefined && runId !== undefined)
    await recordEvaluationRun(store, runId, {
      metrics: outputs.metrics,
      reportPath,
      predictionsPath,
      pairs: outputs.pairs,
      queries: outputs.queries,
    });
  return { reportPath, predictionsPath, ...(runId === undefined ? {} : { runId }) };
}

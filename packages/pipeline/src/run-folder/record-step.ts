/**
 * Single steps recorded in the run store: a run folder made by `prepareRunFolder` (kind `steps`) or by
 * `runPipeline` (kind `pipeline`) names its run-store record in run.json; each later step records its stage
 * (start, end, summary), its metrics and artifacts, and leaves the run `succeeded` (the folder is consistent
 * after every step) or `failed` with the error. A run.json without a record, or a store that lost it, is not
 * recorded.
 */
import { join } from 'node:path';

import type { ModelEvaluation } from '../pipeline/evaluate-model';
import type { StageMetrics } from '../pipeline/fine-tune-on-selection';
import type { ArtifactRecord, MetricRecord } from '../store/run-records';
import { openRunRecorder } from '../store/open-run-store-backend';
import type { RunJson, StoredParams } from './run-json';

/** What a finished step adds to its run-store record. */
export interface StepRecord {
  readonly summary: unknown;
  readonly metrics?: readonly MetricRecord[];
  readonly artifacts?: readonly ArtifactRecord[];
}

/** A step's macro-F1 figures as run-store metrics of `stage`. */
export function stageMetricRecords(stage: string, metrics: StageMetrics): MetricRecord[] {
  return [
    { stage, split: 'id_validation', name: 'macro_f1', value: metrics.id_validation_macro_f1 },
    { stage, split: 'id_test', name: 'macro_f1', value: metrics.id_test_macro_f1 },
    { stage, split: 'ood_test', name: 'macro_f1', value: metrics.ood_test_macro_f1 },
  ].filter((m) => Number.isFinite(m.value));
}

/**
 * The run-store record of a step that wrote one stage's weights (`params/<stage>.bin`): its summary, the stage's
 * macro-F1 figures and the weights as an artifact (none of them when run.json has no record of the stage).
 */
export function paramsStepRecord(
  dir: string,
  stage: string,
  written: {
    readonly record: { readonly params: StoredParams; readonly metrics: StageMetrics } | undefined;
    readonly summary: unknown;
  },
): StepRecord {
  const { record, summary } = written;
  if (record === undefined) return { summary, metrics: [], artifacts: [] };
  const { file, sha256 } = record.params;
  return {
    summary,
    metrics: stageMetricRecords(stage, record.metrics),
    artifacts: [{ kind: `params:${stage}`, path: join(dir, file), sha256 }],
  };
}

/** A model evaluation as run-store metrics of stage `final`: test metrics with intervals, detector AUROCs. */
export function evaluationMetricRecords(evaluation: ModelEvaluation): MetricRecord[] {
  const metrics: MetricRecord[] = [];
  for (const split of ['id_test', 'ood_test', 'far_test'] as const) {
    for (const [name, m] of Object.entries(evaluation.splits[split] ?? {})) {
      if (typeof m === 'object' && m !== null && 'value' in m)
        metrics.push({ stage: 'final', split, name, value: m.value, lo: m.lo, hi: m.hi });
    }
  }
  for (const [name, e] of Object.entries(evaluation.oodDetection))
    metrics.push({ stage: 'final', split: 'ood_detection', name: `${name}.auroc`, value: e.auroc });
  for (const [name, e] of Object.entries(evaluation.farDetection ?? {}))
    metrics.push({ stage: 'final', split: 'far_detection', name: `${name}.auroc`, value: e.auroc });
  return metrics;
}

/**
 * Runs `work` as stage `stage` of a run-store record (run.json's `store`; nothing is recorded for `null`).
 * @returns what `work` returns
 * @throws what `work` throws, after recording the run as failed
 */
export async function recordStep<TResult>(
  record: RunJson['store'],
  step: { stage: string; work: () => Promise<TResult>; done: (result: TResult) => StepRecord },
): Promise<TResult> {
  if (record === null) return step.work();
  const { path, run_id: id } = record;
  const store = await openRunRecorder(path);
  try {
    // A store that no longer holds the record (deleted, replaced) does not stop the step.
    if ((await store.getRun(id)) === undefined) return await step.work();
    await store.startStage(id, step.stage);
    let result: TResult;
    try {
      result = await step.work();
    } catch (error) {
      await store.finishRun(id, {
        status: 'failed',
        error: `${step.stage}: ${error instanceof Error ? error.message : String(error)}`,
      });
      throw error;
    }
    const record = step.done(result);
    await store.finishStage(id, step.stage, record.summary);
    if (record.metrics !== undefined) await store.putMetrics(id, record.metrics);
    if (record.artifacts !== undefined) await store.putArtifacts(id, record.artifacts);
    await store.finishRun(id, { status: 'succeeded' });
    return result;
  } finally {
    await store.close();
  }
}

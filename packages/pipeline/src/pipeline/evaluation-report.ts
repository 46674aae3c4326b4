/**
 * report.json and the run-store metrics of an evaluation run (`evaluateBundle`): the labelled file as one split,
 * `external`, and each OOD score's flag rate at the bundle's threshold.
 */
import type { BundleManifest } from '@gradeshift/core';

import type { ReportInput } from '../contract/read-report';
import { REPORT_FORMATS, REPORT_VERSION, type EvaluationReport } from '../contract/report-schema';
import type { DatasetSource } from '../data/dataset';
import { SPLIT_METRICS, type SplitMetrics } from '../stages/split-metrics';
import type { MetricRecord } from '../store/run-records';
import type { RunRecorder } from '../store/run-store-backend';
import type { BundleOodSummary } from './evaluate-bundle';

/** What an evaluation measured. */
interface Measured {
  readonly metrics: SplitMetrics;
  readonly ood: Readonly<Record<string, BundleOodSummary>>;
  readonly queries: number;
}

/** The evaluated file as report.json describes it: where it came from, its pairs and the issues skipped. */
export interface EvaluatedData {
  readonly source: DatasetSource;
  /** Pairs evaluated. */
  readonly rows: number;
  /** Rows skipped for an issue. */
  readonly issues: number;
}

/** report.json of an evaluation run. */
export function evaluationReportOf(
  inputs: Measured & {
    run: EvaluationReport['run'];
    manifest: BundleManifest;
    data: EvaluatedData;
  },
): ReportInput<EvaluationReport> {
  const { manifest, data, ood } = inputs;
  return {
    format: REPORT_FORMATS.evaluation,
    version: REPORT_VERSION,
    kind: 'evaluation',
    run: inputs.run,
    model: {
      sha256: manifest.model.sha256,
      created_at: manifest.createdAt,
      gradeshift_version: manifest.gradeshiftVersion,
      training_data_sha256: manifest.training.dataSha256,
    },
    data: {
      source: data.source,
      rows: data.rows,
      queries: inputs.queries,
      issues: data.issues,
      same_data_as_training: data.source.sha256 === manifest.training.dataSha256,
    },
    splits: { external: inputs.metrics },
    ood_thresholds: Object.fromEntries(Object.entries(ood).map(([name, o]) => [name, o.threshold])),
    ood_spaces: Object.fromEntries(
      Object.keys(ood).map((name) => [name, manifest.ood[name]?.space ?? 'relevance']),
    ),
    ood_flag_rate: ood,
  };
}

/** An evaluation as run-store metrics of stage `final`, split `external`: metrics and OOD flag rates. */
export function evaluationRunMetrics(measured: Measured): MetricRecord[] {
  const { metrics } = measured;
  const records: MetricRecord[] = SPLIT_METRICS.map((name) => ({
    stage: 'final',
    split: 'external',
    name,
    value: metrics[name].value,
    lo: metrics[name].lo,
    hi: metrics[name].hi,
  }));
  for (const [name, o] of Object.entries(measured.ood))
    records.push({
      stage: 'final',
      split: 'external',
      name: `${name}.flag_rate`,
      value: o.flag_rate,
    });
  return records;
}

/** One OOD score over n pairs: a flag and an ID percentile per pair, and the threshold. */
interface OodColumns {
  readonly flag: ArrayLike<number>;
  readonly percentile: ArrayLike<number>;
  readonly threshold: number;
}

/** Each OOD score's flag rate, threshold and mean ID percentile over its n pairs. */
export function summarizeOodScores(
  scores: Iterable<readonly [string, OodColumns]>,
  n: number,
): Record<string, BundleOodSummary> {
  const out: Record<string, BundleOodSummary> = {};
  for (const [name, o] of scores) {
    let flagged = 0;
    let percentile = 0;
    for (let i = 0; i < n; i++) {
      flagged += o.flag[i] ?? 0;
      percentile += o.percentile[i] ?? 0;
    }
    out[name] = { flag_rate: flagged / n, threshold: o.threshold, mean_percentile: percentile / n };
  }
  return out;
}

/** What a finished evaluation records in the run store. */
export interface FinishedEvaluation {
  readonly metrics: readonly MetricRecord[];
  readonly reportPath: string;
  readonly predictionsPath: string;
  readonly pairs: number;
  readonly queries: number;
}

/** Records a finished evaluation run: its metrics, its two files, the `evaluate` stage and the run. */
export async function recordEvaluationRun(
  store: RunRecorder,
  runId: string,
  done: FinishedEvaluation,
): Promise<void> {
  await store.putMetrics(runId, [...done.metrics]);
  await store.putArtifacts(runId, [
    { kind: 'report', path: done.reportPath },
    { kind: 'predictions', path: done.predictionsPath },
  ]);
  await store.finishStage(runId, 'evaluate', { pairs: done.pairs, queries: done.queries });
  await store.finishRun(runId, { status: 'succeeded' });
}

/** Records an evaluation run that threw: `interrupted` when its signal was aborted, else `failed`. */
export async function failEvaluationRun(
  run: { store: RunRecorder | undefined; runId: string | undefined },
  error: unknown,
  signal: AbortSignal | undefined,
): Promise<void> {
  if (run.store === undefined || run.runId === undefined) return;
  const message = error instanceof Error ? error.message : String(error);
  const interrupted = signal?.aborted === true;
  await run.store.finishRun(run.runId, {
    status: interrupted ? 'interrupted' : 'failed',
    // An abort's own text ("This operation was aborted") does not say who stopped the run.
    error: interrupted ? `interrupted (stopped by a signal or a cancel: ${message})` : message,
  });
}

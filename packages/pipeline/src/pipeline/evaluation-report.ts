/**
 * report.json and the run-store metrics of an evaluation run (`evaluateBundle`): the labelled file as one split,
 * `external`, and each OOD score's flag rate at the bundle's threshold.
 */
import type { BundleManifest } from '@gradeshift/core';

import type { ReportInput } from '../contract/read-report';
import { REPORT_FORMATS, REPORT_VERSION, type EvaluationReport } from '../contract/report-schema';
import type { Dataset } from '../data/dataset';
import { SPLIT_METRICS, type SplitMetrics } from '../stages/split-metrics';
import type { MetricRecord } from '../store/run-store';
import type { BundleOodSummary } from './evaluate-bundle';

/** What an evaluation measured. */
interface Measured {
  readonly metrics: SplitMetrics;
  readonly ood: Readonly<Record<string, BundleOodSummary>>;
  readonly queries: number;
}

/** report.json of an evaluation run. */
export function evaluationReportOf(
  inputs: Measured & {
    run: EvaluationReport['run'];
    manifest: BundleManifest;
    dataset: Dataset;
  },
): ReportInput<EvaluationReport> {
  const { manifest, dataset, ood } = inputs;
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
      source: dataset.source,
      rows: dataset.pairs.length,
      queries: inputs.queries,
      issues: dataset.issues.length,
      same_data_as_training: dataset.source.sha256 === manifest.training.dataSha256,
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

/**
 * What an external-predictions evaluation writes: predictions.jsonl rows, report.json with its `external`
 * section, and the run-store metrics.
 */
import type { GradeDecision } from '@gradeshift/core';

import type { ReportInput } from '../contract/read-report';
import { REPORT_FORMATS, REPORT_VERSION, type EvaluationReport } from '../contract/report-schema';
import type { DecisionFit } from '../pipeline/decision-rule';
import { evaluationRunMetrics, summarizeOodScores } from '../pipeline/evaluation-report';
import { evaluationRows, gradeOutputsAt, oodAt } from '../pipeline/row-values';
import type { SplitOutputs } from '../stages/infer';
import type { SplitMetrics } from '../stages/split-metrics';
import type { MetricRecord } from '../store/run-records';
import { PIPELINE_VERSION } from '../version';
import type { ExternalScore } from './external-detectors';
import type { PredictionFile } from './read-predictions';
import type { ReferenceHalves } from './split-reference';

/** How the reference split is described in the report. */
export const REFERENCE_SPLIT_METHOD =
  'by query: distinct normalised queries sorted by the 32-bit FNV-1a hash of "<seed>:<query>"; the first half (rounded up) fits the detectors, the rest calibrates their thresholds (95% ID kept) and percentiles';

/** Everything an external-predictions evaluation measured, before anything is written. */
export interface MeasuredPredictions {
  readonly reference: PredictionFile;
  readonly evaluated: PredictionFile;
  readonly outputs: SplitOutputs;
  readonly halves: ReferenceHalves;
  readonly decision: { rule: GradeDecision; fit: DecisionFit | null };
  readonly decided: Int32Array;
  readonly metrics: SplitMetrics;
  readonly queries: number;
  readonly scores: Map<string, ExternalScore>;
  readonly knnK: number | null;
}

/** predictions.jsonl of the evaluated file: one row per pair, split `external`. */
export function predictionRows(
  m: Pick<MeasuredPredictions, 'evaluated' | 'outputs' | 'decided' | 'scores'>,
): Generator<string> {
  const { evaluated: file, outputs, decided, scores } = m;
  const k = file.shape.grades;
  return evaluationRows(file.dataset.pairs, (i) => ({
    ...gradeOutputsAt({ probs: outputs.probs.data, expected: outputs.expected }, i, k),
    predicted: decided[i] ?? 0,
    argmax: outputs.predicted[i] ?? 0,
    ...oodAt(scores, i),
  }));
}

/** Each score's flag rate, threshold and mean ID percentile on the evaluated file. */
export const oodSummaries = (scores: ReadonlyMap<string, ExternalScore>) =>
  summarizeOodScores(scores, [...scores.values()][0]?.score.length ?? 0);

/** report.json of an external-predictions evaluation. */
export function reportOf(
  m: MeasuredPredictions,
  run: EvaluationReport['run'],
  seed: number,
): ReportInput<EvaluationReport> {
  const ood = oodSummaries(m.scores);
  const ref = m.reference.dataset.source;
  return {
    format: REPORT_FORMATS.evaluation,
    version: REPORT_VERSION,
    kind: 'evaluation',
    run,
    // No bundle: the fitted parts of this evaluation (decision rule, detectors) come from the reference file.
    model: {
      sha256: ref.sha256,
      created_at: new Date().toISOString(),
      gradeshift_version: PIPELINE_VERSION,
      training_data_sha256: ref.sha256,
    },
    data: {
      source: m.evaluated.dataset.source,
      rows: m.evaluated.dataset.pairs.length,
      queries: m.queries,
      issues: 0,
      same_data_as_training: m.evaluated.dataset.source.sha256 === ref.sha256,
    },
    splits: { external: m.metrics },
    ood_thresholds: Object.fromEntries(Object.entries(ood).map(([name, o]) => [name, o.threshold])),
    // Every score reads the external model's own outputs or embedding, as the bundle's relevance space does.
    ood_spaces: Object.fromEntries(Object.keys(ood).map((name) => [name, 'relevance'])),
    ood_flag_rate: ood,
    external: {
      output: m.reference.shape.output,
      embedding_width: m.reference.shape.embeddingWidth,
      reference: ref,
      reference_split: {
        method: REFERENCE_SPLIT_METHOD,
        seed,
        fit: { pairs: m.halves.fit.length, queries: m.halves.fitQueries },
        calibration: { pairs: m.halves.calibration.length, queries: m.halves.calibrationQueries },
      },
      decision: {
        rule: m.decision.rule,
        fit: m.decision.fit === null ? null : { ...m.decision.fit, split: 'reference' },
      },
      knn_k: m.knnK,
      ood_detection: Object.fromEntries([...m.scores].map(([name, o]) => [name, o.detection])),
    },
  };
}

/** Run-store metrics: the bundle evaluation's, plus each score's AUROC and FPR@95 against the reference. */
export function runMetrics(m: MeasuredPredictions): MetricRecord[] {
  const records = evaluationRunMetrics({
    metrics: m.metrics,
    ood: oodSummaries(m.scores),
    queries: m.queries,
  });
  for (const [name, o] of m.scores)
    records.push(
      { stage: 'final', split: 'external', name: `${name}.auroc`, value: o.detection.auroc },
      { stage: 'final', split: 'external', name: `${name}.fpr95`, value: o.detection.fprAtTpr },
    );
  return records;
}

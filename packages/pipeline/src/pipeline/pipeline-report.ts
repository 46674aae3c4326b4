/**
 * report.json of a pipeline run, assembled from what each step recorded: the data and splits (prepare), the
 * stages (run.json, written by the training steps), the selection comparison, the exported model's evaluation
 * and bundle (export), the ablation.
 */
import type { ReportInput } from '../contract/read-report';
import { REPORT_FORMATS, REPORT_VERSION, type PipelineReport } from '../contract/report-schema';
import type { BudgetCurve } from '../contract/shift-schema';
import type { WrittenBundle } from '../bundle/write-bundle';
import type { RunJson } from '../run-folder/run-json';
import type { PreparedData } from '../stages/prepare';
import type { ModelEvaluation } from './evaluate-model';
import { DETECTOR_SPACES } from './model-detectors';
import type { StrategyRun } from './compare-strategies';
import { oodSetsOf } from './ood-sets';
import { comparisonOf } from './selection-comparison';

/** What {@link pipelineReportOf} assembles. */
export interface PipelineReportInputs {
  readonly record: { readonly id: string; readonly name: string; readonly createdAt: string };
  readonly seconds: number;
  readonly data: PreparedData;
  /** run.json after the last step. */
  readonly run: RunJson;
  readonly loss: string;
  readonly bundle: WrittenBundle;
  readonly evaluation: ModelEvaluation;
  readonly runs: Record<string, StrategyRun[]>;
  readonly budgetFraction: number;
  readonly ablation: ReportInput<PipelineReport>['ablation'];
  /** The selection budget curve (null without a far set or when skipped). */
  readonly curve?: BudgetCurve | null;
  /** The map file beside report.json (null without one). */
  readonly map?: string | null;
}

/** report.json of a pipeline run. */
export function pipelineReportOf(inputs: PipelineReportInputs): ReportInput<PipelineReport> {
  const { data, run, bundle, evaluation, runs } = inputs;
  const { stage1, stage2, stage3 } = run.stages;
  if (stage1 === undefined) throw new Error('stage 1 is recorded before the report');
  const { manifest } = bundle;
  return {
    format: REPORT_FORMATS.pipeline,
    version: REPORT_VERSION,
    kind: 'pipeline',
    run: {
      id: inputs.record.id,
      name: inputs.record.name,
      created_at: inputs.record.createdAt,
      seconds: inputs.seconds,
    },
    data: {
      source: data.dataset.source,
      rows: data.dataset.pairs.length,
      issues: data.dataset.issues.length,
      shift: run.shift,
      seed: run.split_seed,
      split_report: data.splits.report,
    },
    model: {
      config: data.config,
      vocabulary: data.vocabulary.size,
      embeddings: data.embeddingStats,
      loss: inputs.loss,
      bundle: {
        path: bundle.dir,
        sha256: manifest.model.sha256,
        bytes: manifest.model.bytes,
        ood_scores: Object.keys(manifest.ood),
      },
    },
    splits: evaluation.splits,
    gap: evaluation.gap,
    ood_detection: evaluation.oodDetection,
    ood_thresholds: evaluation.thresholds,
    ood_spaces: DETECTOR_SPACES,
    decision: { rule: evaluation.decision, fit: evaluation.decisionFit },
    stages: {
      stage1: stage1.metrics,
      stage2: stage2?.metrics ?? null,
      stage3: stage3?.metrics ?? null,
      alpha: stage3?.alpha ?? null,
      alpha_sweep: stage3?.alpha_sweep ?? null,
    },
    selection: Object.fromEntries(
      Object.entries(runs).map(([name, list]) => [
        name,
        list.map((r) => ({
          seed: r.selection.seed,
          budget: r.selection.budget,
          picked: r.selection.picked.length,
          alpha: r.alpha,
          stage2: r.metrics.stage2,
          stage3: r.metrics.stage3,
        })),
      ]),
    ),
    selection_comparison: comparisonOf(runs, stage1.metrics),
    ablation: inputs.ablation,
    slices: evaluation.slices,
    budget: {
      fraction: inputs.budgetFraction,
      pool: data.pool.pairs.length,
      revealed_per_run: run.selection?.budget ?? null,
    },
    ood_sets: oodSetsOf(data, evaluation),
    budget_curve: inputs.curve ?? null,
    map: inputs.map ?? null,
  };
}

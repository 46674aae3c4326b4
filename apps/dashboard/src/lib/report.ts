/**
 * The sections of a run's report.json the views read. The report's types are the run contract's, as the API's
 * `runs.get` returns them (`RouterOutputs`): the dashboard declares only the labels it shows. A section the run
 * kind does not have (an evaluation run has no selection) is `null`, and its view says so.
 */
import type { RouterOutputs } from '@gradeshift/api';

/** report.json of any run kind (checked and upgraded by the API). */
export type Report = NonNullable<RouterOutputs['runs']['get']['report']>;
/** report.json of a pipeline run. */
export type PipelineReport = Extract<Report, { kind: 'pipeline' }>;

/** A split's metrics. */
export type SplitMetrics = PipelineReport['splits']['id_test'];
/** A metric with its 95% query-bootstrap interval. */
export type Interval = SplitMetrics['accuracy'];
/** One bin of a reliability diagram. */
export type ReliabilityBin = SplitMetrics['reliability'][number];
/** The graded metrics of a split (the contract's list). */
export type MetricName = keyof PipelineReport['gap'];
/** One OOD score's separation of ID and OOD test pairs. */
export type Detection = PipelineReport['ood_detection'][string];
/** A stage's macro-F1 figures. */
export type StageScores = PipelineReport['stages']['stage1'];
/** One strategy × seed of the selection comparison. */
export type SelectionRun = PipelineReport['selection'][string][number];
/** The selection comparison. */
export type SelectionComparison = PipelineReport['selection_comparison'];
/** One slice of the test data. */
export type Slice = PipelineReport['slices'][number];

/** One OOD set of a run (near: held-out departments; far: another retailer's traffic). */
export type OodSet = NonNullable<PipelineReport['ood_sets']>[keyof NonNullable<
  PipelineReport['ood_sets']
>] & {};
/** The selection budget curve measured on the far set. */
export type BudgetCurve = NonNullable<PipelineReport['budget_curve']>;
/** A representation the OOD scores read (`relevance`, `content`, `fused`). */
export type OodSpace = NonNullable<PipelineReport['ood_spaces']>[string];

/** How probabilities become the predicted grade (report.json `decision`: the rule and how it was fitted). */
export type Decision = PipelineReport['decision'];

/** The ID splits; every other split of a report is an OOD split. */
export const ID_SPLITS: readonly string[] = ['id_test', 'id_val', 'id_validation'];

/** The OOD splits of a report (every split that is not an ID split), in report order. */
export const oodSplitNames = (report: { testSplits: Record<string, unknown> }): string[] =>
  Object.keys(report.testSplits).filter((name) => !ID_SPLITS.includes(name));

/** Labels and direction of each metric, in display order (the type makes it list every metric). */
export const METRIC_INFO: Readonly<Record<MetricName, { label: string; higherIsBetter: boolean }>> =
  {
    accuracy: { label: 'Accuracy', higherIsBetter: true },
    macro_f1: { label: 'Macro-F1', higherIsBetter: true },
    'ndcg@10': { label: 'NDCG@10', higherIsBetter: true },
    ece: { label: 'ECE', higherIsBetter: false },
    rmse: { label: 'RMSE', higherIsBetter: false },
    over_recall: { label: 'Over-recall', higherIsBetter: false },
  };

/** The metrics shown side by side, in display order. */
export const METRICS = Object.keys(METRIC_INFO) as MetricName[];

/** The stages of the main model, when the run trained all three. */
interface Stages {
  readonly stage1: StageScores;
  readonly stage2: StageScores;
  readonly stage3: StageScores;
  readonly alpha: number;
}

/** The report as the views read it; each section is null when the run kind or the run does not have it. */
export interface RunReport {
  readonly name: string | null;
  /** Grade names by index (0 = lowest). */
  readonly gradeNames: string[];
  readonly splits: { id: SplitMetrics; ood: SplitMetrics } | null;
  /** Every split of report.json `splits`, by name (`id_test`, `ood_test`, and any others; `external` for an evaluation run). */
  readonly testSplits: Record<string, SplitMetrics>;
  readonly gap: Partial<Record<MetricName, number>> | null;
  readonly detection: Record<string, Detection> | null;
  readonly thresholds: Record<string, number> | null;
  readonly stages: Stages | null;
  readonly selection: Record<string, SelectionRun[]> | null;
  readonly comparison: SelectionComparison | null;
  readonly slices: Slice[] | null;
  readonly budget: { fraction: number; pool: number; revealed_per_run: number } | null;
  readonly decision: Decision | null;
  /** The run's OOD sets in display order (near, far); empty for reports written before they were told apart. */
  readonly oodSets: OodSet[];
  /** The space each OOD score reads, by score; null in reports from before the content space. */
  readonly spaces: Record<string, OodSpace> | null;
  /** The selection budget curve on the far set, when the run measured one. */
  readonly budgetCurve: BudgetCurve | null;
  /** Whether the run stored a 2-D map (`runs.map`). */
  readonly hasMap: boolean;
  /** The training data file (near OOD comes from it; another file was judged under other guidelines). */
  readonly sourcePath: string | null;
}

const DEFAULT_GRADES = ['irrelevant', 'weak', 'strong'];

function stagesOf(stages: PipelineReport['stages']): Stages | null {
  const { stage1, stage2, stage3, alpha } = stages;
  return stage2 === null || stage3 === null || alpha === null
    ? null
    : { stage1, stage2, stage3, alpha };
}

/** The views' sections of report.json (as `runs.get` returns it). */
export function parseReport(report: Report | null): RunReport {
  if (report?.kind !== 'pipeline')
    return {
      name: report?.run.name ?? null,
      gradeNames: DEFAULT_GRADES,
      splits: null,
      testSplits: report?.splits ?? {},
      gap: null,
      detection: null,
      thresholds: report?.ood_thresholds ?? null,
      stages: null,
      selection: null,
      comparison: null,
      slices: null,
      budget: null,
      decision: null,
      oodSets: [],
      spaces: report?.ood_spaces ?? null,
      budgetCurve: null,
      hasMap: false,
      sourcePath: null,
    };
  const { budget } = report;
  return {
    name: report.run.name,
    gradeNames: report.data.split_report.gradeNames,
    splits: { id: report.splits.id_test, ood: report.splits.ood_test },
    testSplits: report.splits,
    gap: report.gap,
    detection: report.ood_detection,
    thresholds: report.ood_thresholds,
    stages: stagesOf(report.stages),
    selection: report.selection,
    comparison: report.selection_comparison,
    slices: report.slices,
    budget:
      budget.revealed_per_run === null
        ? null
        : {
            fraction: budget.fraction,
            pool: budget.pool,
            revealed_per_run: budget.revealed_per_run,
          },
    decision: report.decision,
    oodSets: (['near', 'far'] as const).flatMap((kind) => {
      const set = report.ood_sets?.[kind];
      return set === undefined ? [] : [set];
    }),
    spaces: report.ood_spaces ?? null,
    budgetCurve: report.budget_curve ?? null,
    hasMap: typeof report.map === 'string' && report.map !== '',
    sourcePath: report.data.source.path,
  };
}

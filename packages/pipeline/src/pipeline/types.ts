/**
 * Options and results of the whole DaRL-style loop (`runPipeline`).
 */
import type { PipelineReport } from '../contract/report-schema';
import type { StrategyName } from '../contract/strategy-names';
import type { ColumnMapping } from '../data/column-mapping';
import type { GradeMapping } from '../data/grade-mapping';
import type { ShiftStrategy } from '../splits/types';
import type { LossName } from '../stages/losses';
import type { ProgressSink } from '../stages/progress';
import type { StageHyperparameters } from '../stages/train-stage';

/** Where the data comes from: a preset (e.g. `homedepot`) or a file with its mappings. */
export type DataSource =
  | { readonly preset: string; readonly path?: string }
  | {
      readonly path: string;
      readonly columns: ColumnMapping;
      readonly grades: GradeMapping;
      readonly format?: 'csv' | 'jsonl';
    };

export type { StrategyName } from '../contract/strategy-names';

/**
 * A far-OOD set: a second dataset (another retailer's judged traffic) split by query into an unlabeled part that
 * joins the selection pool and a far-OOD test set. Its grade mapping must give the training data's grades.
 */
export interface FarSource {
  readonly source: DataSource;
  /** Share of its queries that join the pool; the rest is the far-OOD test set. @default 0.5 */
  readonly poolFraction?: number;
}

/** The selection budget curve: every strategy × budget × seed through stages 2 and 3, judged on the far set. */
export interface CurveOptions {
  /** Budgets as fractions of the pool. @default [0.01, 0.02, 0.05, 0.1, 0.2] */
  readonly budgets?: readonly number[];
  /** Seeds per strategy and budget. @default [0, 1, 2, 3, 4] */
  readonly seeds?: readonly number[];
  /** ID-train pairs replayed in each curve run's stage 2 (a seeded sample). @default 8000 */
  readonly replay?: number;
}

/** Options of {@link runPipeline}. */
export interface PipelineOptions {
  /** The data. */
  readonly data: DataSource;
  /** Output folder of this run (created; must not already hold a finished run unless `overwrite`). */
  readonly outDir: string;
  /** The repository root, against which preset paths resolve. */
  readonly repoRoot: string;
  /** The run store file. @default `<outDir>/../runs.sqlite` */
  readonly storePath?: string;
  /** Cache folder (word vectors). @default `<outDir>/../.cache` */
  readonly cacheDir?: string;
  /** Run name. @default the basename of outDir */
  readonly name?: string;
  /** How the shifted side is chosen. @default the preset's default (Home Depot: department shift) */
  readonly shift?: ShiftStrategy;
  /**
   * The far-OOD set, or null for none. @default with the `homedepot` preset, the `crowdflower` preset (another
   * retailer's traffic); else none
   */
  readonly far?: FarSource | null;
  /** The selection budget curve on the far set, or null to skip it. @default {} (the defaults of CurveOptions) */
  readonly curve?: CurveOptions | null;
  /** Split and training seed. @default 0 */
  readonly seed?: number;
  /** Annotation budget as a fraction of the pool. @default 0.02 */
  readonly budgetFraction?: number;
  /** Seeds of the selection comparison (each strategy runs stages 2–3 once per seed). @default [0, 1, 2] */
  readonly selectionSeeds?: readonly number[];
  /** Strategies compared. @default all three */
  readonly strategies?: readonly StrategyName[];
  /** Run the cross-entropy ablation of stage 1. @default true */
  readonly ablation?: boolean;
  /** Run the de-biasing step (negatives, DPO, temperature) on the main model. @default true */
  readonly debias?: boolean;
  /** With the step, its none / negatives / DPO / both ablation. @default true */
  readonly debiasAblation?: boolean;
  /** Loss of the main model. @default 'graded' */
  readonly loss?: LossName;
  /** Stage 1 hyperparameters. */
  readonly stage1?: StageHyperparameters;
  /** Stage 2 hyperparameters. */
  readonly stage2?: StageHyperparameters;
  /** Bootstrap resamples for the intervals. @default 1000 */
  readonly resamples?: number;
  /** Replace an existing run in outDir. @default false */
  readonly overwrite?: boolean;
  /** Progress events. */
  readonly progress?: ProgressSink;
}

/** What {@link runPipeline} returns (the same as report.json plus paths). */
export interface PipelineResult {
  readonly runId: string;
  readonly outDir: string;
  readonly reportPath: string;
  readonly predictionsPath: string;
  readonly bundleDir: string;
  readonly storePath: string;
  readonly seconds: number;
  readonly report: PipelineReport;
}

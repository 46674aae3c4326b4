/**
 * The typed result of parsing a command line: one arguments object per subcommand (see `args.ts`).
 */
import type {
  DataSource,
  EncoderRunOptions,
  FarSource,
  GradeMapping,
  LossName,
  PipelineOptions,
  ShiftStrategy,
  StageHyperparameters,
  StrategyName,
} from '@gradeshift/pipeline';

import type { CommandName } from './option-table';

/** `gradeshift pipeline`: the pipeline's options (without the repository root and progress sink). */
export interface PipelineArgs {
  readonly options: Omit<PipelineOptions, 'repoRoot' | 'progress'>;
  readonly json: boolean;
  /** Keep a finished run in `--out` and print its summary instead of running again. */
  readonly ifMissing: boolean;
}

/** `gradeshift encoder`. */
export interface EncoderArgs {
  readonly options: Omit<EncoderRunOptions, 'repoRoot' | 'progress' | 'signal' | 'cacheDir'>;
  /** Embedding cache folder; `undefined` for `<out>/../.cache`. */
  readonly cacheDir: string | undefined;
  readonly json: boolean;
}

/** `gradeshift prepare`. */
export interface PrepareArgs {
  readonly data: DataSource;
  readonly shift: ShiftStrategy | undefined;
  /** The far-OOD set; null for none, undefined for the data source's default. */
  readonly far: FarSource | null | undefined;
  readonly seed: number;
  readonly json: boolean;
  /** Write a run folder here (run.json), for the single steps. */
  readonly out: string | undefined;
  /** Word-vector cache folder; `undefined` for `<out>/../.cache`. */
  readonly cacheDir: string | undefined;
  /** Replace a run already in `out`. */
  readonly overwrite: boolean;
}

/** `gradeshift train`. */
export interface TrainArgs {
  readonly runDir: string;
  /** 1, 2 (and 3), the de-biasing step on the latest of them, or the distilled student. */
  readonly stage: 1 | 2 | 'debias' | 'distill';
  /** With stage `debias`: run its none / negatives / DPO / both ablation. @default true */
  readonly debiasAblation?: boolean;
  /** With stage `distill`: the teacher file. */
  readonly teacher?: string | undefined;
  /** With stage `distill`: write the pairs the teacher must label to this file instead of distilling. */
  readonly teacherPairs?: string | undefined;
  /** With stage `distill`: the α grid (weight of the gold loss). */
  readonly alphas?: readonly number[] | undefined;
  /** With stage `distill`: the distillation temperature. */
  readonly temperature?: number | undefined;
  readonly loss: LossName;
  /** Only the values given on the command line; the others are the pipeline's defaults of the stage. */
  readonly hyperparameters: StageHyperparameters;
  readonly seed: number;
  /** Annotators' labels for the selection: stage 2/3 train on them in a new run folder. */
  readonly labels?: string | undefined;
  /** With `labels`: the new run folder. */
  readonly out?: string | undefined;
}

/** `gradeshift select`. */
export interface SelectArgs {
  readonly runDir: string;
  readonly strategy: StrategyName;
  readonly budgetFraction: number;
  readonly seed: number;
}

/** `gradeshift export`. */
export interface ExportArgs {
  readonly runDir: string;
  /** `undefined` for `<run>/bundle`. */
  readonly outDir: string | undefined;
  readonly overwrite: boolean;
  /** Bootstrap resamples of the bundle's metrics. */
  readonly resamples: number;
  /** Export the annotation queue in this format instead of the bundle. */
  readonly queue?: 'csv' | 'jsonl' | 'labelstudio' | undefined;
  /** Export these weights instead of the latest stage's. */
  readonly stage?: 'stage1' | 'stage2' | 'stage3' | 'debias' | 'distill' | undefined;
}

/** `gradeshift evaluate`. */
export interface EvaluateArgs {
  readonly modelDir: string;
  readonly data: DataSource;
  readonly resamples: number;
  readonly seed: number;
  readonly out: string | undefined;
  readonly json: boolean;
  /** Scoring threads; `undefined` for the pipeline's default (min(2, cores)). */
  readonly threads: number | undefined;
  /** With `--queue`: the pairs scored on the queue's workers (the chunks go to `<out>/parts`). */
  readonly queue?: ScoreQueueArgs | undefined;
}

/** `gradeshift evaluate --predictions`: a model that runs elsewhere, judged from its outputs. */
export interface EvaluatePredictionsArgs {
  /** The JSONL predictions file to evaluate. */
  readonly predictions: string;
  /** The in-distribution reference file, same format. */
  readonly reference: string;
  /** How `grade` values become grades; `undefined` for grade names or 0-based indices. */
  readonly mapping: GradeMapping | undefined;
  /** `.npy` embeddings of the evaluated pairs, one row per line. */
  readonly embeddings?: string | undefined;
  /** `.npy` embeddings of the reference pairs. */
  readonly referenceEmbeddings?: string | undefined;
  readonly resamples: number;
  readonly seed: number;
  readonly out: string | undefined;
  readonly json: boolean;
}

/** `gradeshift evaluate --cross-encoder`: a cross-encoder folder scores a labelled file and its reference. */
export interface EvaluateCrossEncoderArgs {
  /** The folder: model.onnx, tokenizer.json, optional config.json. */
  readonly crossEncoder: string;
  /** The labelled file to evaluate and its mapping. */
  readonly data: DataSource;
  /** The in-distribution reference file, read with the same mapping. */
  readonly reference: string;
  /** Truncation length of a pair; `undefined` for the tokenizer's (capped by config.json). */
  readonly maxLength: number | undefined;
  /** Intra-op threads of onnxruntime; `undefined` for 1. */
  readonly threads: number | undefined;
  /** Folder to write the cross-encoder bundle into; `undefined` for none. */
  readonly bundleOut?: string | undefined;
  readonly resamples: number;
  readonly seed: number;
  readonly out: string | undefined;
  readonly json: boolean;
}

/** `gradeshift score`. */
export interface ScoreArgs {
  readonly modelDir: string;
  readonly path: string;
  readonly format: 'csv' | 'jsonl' | undefined;
  readonly columns: {
    readonly query: string | number;
    readonly item: string | number;
    readonly id?: string | number;
  };
  /** `-` for stdout. */
  readonly out: string;
  /** Scoring threads; `undefined` for the pipeline's default (min(2, cores)). */
  readonly threads: number | undefined;
  /** With `--queue`: score on the queue's workers. */
  readonly queue?: ScoreQueueArgs | undefined;
}

/** `gradeshift score --queue`. */
export interface ScoreQueueArgs {
  /** `redis://host:port[/db]`. */
  readonly url: string;
  /** Pairs per chunk job. */
  readonly chunkPairs: number;
}

/** `gradeshift worker`. */
export interface WorkerArgs {
  readonly url: string;
  /** Scoring threads; 0 for the main thread. */
  readonly threads: number;
  readonly timing: { readonly lockMs: number; readonly stalledMs: number };
}

/** `gradeshift runs`. */
export interface RunsArgs {
  readonly action: 'list' | 'show';
  /** The run id or id prefix (`show`). */
  readonly id: string | undefined;
  /** `--store`: an SQLite file or a PostgreSQL URL; undefined for `GRADESHIFT_STORE`, else runs/runs.sqlite. */
  readonly store: string | undefined;
  readonly limit: number;
  readonly kind: string | undefined;
  readonly json: boolean;
}

/** A parsed command line. `help` covers `help`, `--help`, `<command> --help` and no arguments at all. */
export type ParsedCommand =
  | { readonly command: 'help'; readonly topic: CommandName | undefined }
  | { readonly command: 'pipeline'; readonly args: PipelineArgs }
  | { readonly command: 'prepare'; readonly args: PrepareArgs }
  | { readonly command: 'encoder'; readonly args: EncoderArgs }
  | { readonly command: 'train'; readonly args: TrainArgs }
  | { readonly command: 'select'; readonly args: SelectArgs }
  | { readonly command: 'export'; readonly args: ExportArgs }
  | {
      readonly command: 'evaluate';
      readonly args: EvaluateArgs | EvaluatePredictionsArgs | EvaluateCrossEncoderArgs;
    }
  | { readonly command: 'score'; readonly args: ScoreArgs }
  | { readonly command: 'worker'; readonly args: WorkerArgs }
  | { readonly command: 'runs'; readonly args: RunsArgs };

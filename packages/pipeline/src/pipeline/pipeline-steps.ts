/**
 * The pipeline's steps in groups, each step recorded as a stage of the run: prepare and stage 1; the strategy
 * comparison and the budget curve; the main model's stages 2–3, de-biasing, export and the ablation of stage 1.
 */
import { dirname, join } from 'node:path';

import type { ScorerParams } from '@gradeshift/core';
import type { Gemm } from '@gradeshift/core/math';

import { DEFAULT_STRATEGY, STRATEGY_NAMES, type StrategyName } from '../contract/strategy-names';
import { exportOnRun } from '../run-folder/export-run-folder';
import type { OpenRun } from '../run-folder/open-run';
import { absoluteDataSource, prepareRun } from '../run-folder/prepare-run-folder';
import { RUN_FILES } from '../run-folder/run-json';
import { selectOnRun } from '../run-folder/select-run-folder';
import { trainStage1OnRun, trainStage2OnRun } from '../run-folder/train-run-stage';
import type { ShiftStrategy } from '../splits/types';
import type { PreparedData } from '../stages/prepare';
import type { SelectionOutcome } from '../stages/select-stage';
import { runAblation } from './ablation';
import { runBudgetCurve } from './budget-curve';
import { compareStrategies } from './compare-strategies';
import { debiasOnRun } from './debias-run';
import { defaultFar } from './default-shift';
import { DEFAULT_BUDGET_FRACTION, selectionInputsOf } from './selection-inputs';
import type { PipelineOptions } from './types';

/** What the export step returns. */
export type ExportedRun = Awaited<ReturnType<typeof exportOnRun>>;

/** The main model's select and stage-2 steps: the default strategy at the first seed, when it was compared. */
async function mainStages(
  open: OpenRun,
  options: { strategies: readonly StrategyName[]; seed: number; budgetFraction: number } & Pick<
    PipelineOptions,
    'loss' | 'stage2'
  >,
): Promise<{ open: OpenRun; selection: SelectionOutcome | undefined }> {
  if (!options.strategies.includes(DEFAULT_STRATEGY)) return { open, selection: undefined };
  const { seed } = options;
  const main = await selectOnRun(open, {
    strategy: DEFAULT_STRATEGY,
    budgetFraction: options.budgetFraction,
    seed,
  });
  const stage2 = await trainStage2OnRun(
    { ...open, run: main.run },
    {
      loss: options.loss ?? 'graded',
      seed,
      label: `stage2 ${DEFAULT_STRATEGY} seed ${seed}`,
      hyperparameters: options.stage2 ?? {},
    },
  );
  return { open: { ...open, run: stage2.run }, selection: main.selection };
}

/** A pipeline run under way: its options resolved, its run-store record and its kernels. */
export interface PipelineRun {
  readonly options: PipelineOptions;
  readonly outDir: string;
  readonly storePath: string;
  readonly shift: ShiftStrategy;
  readonly record: { readonly id: string; readonly name: string; readonly createdAt: string };
  readonly gemm: Gemm;
  readonly t0: number;
  readonly step: <TResult>(
    stage: string,
    work: () => Promise<TResult>,
    summary?: (result: TResult) => unknown,
  ) => Promise<TResult>;
}

/** The pipeline options with their defaults filled in. */
export function settingsOf(options: PipelineOptions) {
  return {
    seed: options.seed ?? 0,
    loss: options.loss ?? 'graded',
    budgetFraction: options.budgetFraction ?? DEFAULT_BUDGET_FRACTION,
    strategies: options.strategies ?? STRATEGY_NAMES,
    seeds: options.selectionSeeds ?? [0, 1, 2],
    resamples: options.resamples ?? 1000,
    hyperparameters: options.stage1 ?? {},
  };
}
export type Settings = ReturnType<typeof settingsOf>;

/** The prepare and stage-1 steps. */
export async function prepareAndStage1(ctx: PipelineRun, settings: Settings) {
  const { options, outDir, gemm, step, record } = ctx;
  const { progress, repoRoot } = options;
  const { seed, loss, hyperparameters } = settings;
  const source = absoluteDataSource(options.data, options.repoRoot);
  const cacheDir = options.cacheDir ?? join(dirname(outDir), '.cache');
  const store = { path: ctx.storePath, run_id: record.id };
  const prepared = await step(
    'prepare',
    () =>
      prepareRun(outDir, {
        ...{ source, shift: ctx.shift, seed, cacheDir, store, repoRoot, progress },
        far: options.far === undefined ? defaultFar(options.data) : options.far,
      }),
    ({ data: d }) => ({
      report: d.splits.report,
      embeddings: d.embeddingStats,
      vocabulary: d.vocabulary.size,
    }),
  );
  const stage1 = await step(
    'stage1',
    () => trainStage1OnRun({ ...prepared, gemm, progress }, { loss, seed, hyperparameters }),
    (r) => ({ bestEpoch: r.bestEpoch, seconds: r.seconds, ...r.metrics }),
  );
  return { prepared, stage1 };
}

/** The strategy comparison and the budget curve, from one stage-1 model's selection inputs. */
export async function selectionSteps(
  ctx: PipelineRun,
  settings: Settings,
  from: { data: PreparedData; stage1: ScorerParams },
) {
  const { options, gemm, step } = ctx;
  const { progress } = options;
  const { data, stage1 } = from;
  const { strategies, seeds, budgetFraction, loss, resamples } = settings;
  const inputs = await selectionInputsOf(data, stage1, gemm);
  const compare = { data, stage1, gemm, strategies, seeds, budgetFraction, loss };
  const runs = await step(
    'select',
    () => compareStrategies({ ...compare, inputs, hyperparameters: options.stage2, progress }),
    () => ({ strategies, seeds }),
  );
  const curveOptions = options.curve === undefined ? {} : options.curve;
  const curve =
    curveOptions === null || data.farTest === undefined
      ? null
      : await step(
          'curve',
          () =>
            runBudgetCurve({
              ...{ data, stage1, gemm, inputs, strategies, loss, progress },
              ...{ hyperparameters: options.stage2, resamples },
              ...curveOptions,
            }),
          (c) => ({ seconds: c?.seconds, goal: c?.goal }),
        );
  return { runs, curve };
}

/** The main model: stages 2–3, de-biasing, export (evaluation and bundle), and the ablation of stage 1. */
export async function mainModelSteps(
  ctx: PipelineRun,
  settings: Settings,
  from: Awaited<ReturnType<typeof prepareAndStage1>>,
) {
  const { options, outDir, gemm, step } = ctx;
  const { progress } = options;
  const { prepared, stage1 } = from;
  const { seed, loss, resamples, hyperparameters, strategies, seeds, budgetFraction } = settings;
  const main = await step('stage2', () =>
    mainStages(
      { ...prepared, run: stage1.run, gemm, progress },
      { ...options, strategies, seed: seeds[0] ?? 0, budgetFraction },
    ),
  );
  const debiased =
    options.debias === false
      ? undefined
      : await step(
          'debias',
          () => debiasOnRun(main.open, { loss, seed, ablation: options.debiasAblation !== false }),
          ({ report: r }) => ({ temperature: r.temperature, negatives: r.negatives, dpo: r.dpo }),
        );
  const bundleDir = join(outDir, RUN_FILES.bundle);
  const exported = await step(
    'export',
    () => exportOnRun(debiased?.open ?? main.open, { outDir: bundleDir, resamples }),
    ({ stage, bundle: { manifest } }) => ({ stage, bundle: bundleDir, ...manifest.model }),
  );
  const ablation =
    options.ablation === false
      ? null
      : await step('evaluate', () =>
          runAblation({
            ...{ data: prepared.data, stage1: stage1.params, seed, gemm, resamples },
            ...{ hyperparameters, progress },
          }),
        );
  return { main, debiased, exported, ablation, bundleDir };
}

/**
 * @file The whole DaRL-style loop, made measurable, as a composition of the steps the CLI's step commands run on
 * a run folder (`prepare`, `train`, `select`, `train --stage 2`, `export`), each writing its section of run.json:
 * 1. prepare: splits, vocabulary, word vectors;
 * 2. stage 1 trains the scorer on in-distribution data;
 * 3. every selection strategy × seed goes through stages 2–3 from the same stage-1 model (the comparison);
 * 4. the main model's selection (distribution-aware, first seed), stage 2 fine-tunes on ID ∪ selected and stage 3
 *    interpolates stage-1 and stage-2 weights, α chosen on validation (ID validation + held-out picks);
 * 5. debias: negatives, LREF's DPO stage and temperature scaling on the main model (`pipeline/debias.ts`), with
 *    the none / negatives / DPO / both ablation;
 * 6. export evaluates the latest stage with intervals and writes the bundle;
 * plus the cross-entropy ablation of stage 1, predictions.jsonl, report.json and the run-store record. The OOD
 * test split is never used for any choice.
 */
import { mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

import type { ScorerParams } from '@gradeshift/core';
import type { Gemm } from '@gradeshift/core/math';

import { writeRunReport } from '../contract/read-report';
import type { PipelineReport } from '../contract/report-schema';
import { DEFAULT_STRATEGY, STRATEGY_NAMES, type StrategyName } from '../contract/strategy-names';
import { exportOnRun } from '../run-folder/export-run-folder';
import type { OpenRun } from '../run-folder/open-run';
import { absoluteDataSource, prepareRun } from '../run-folder/prepare-run-folder';
import { evaluationMetricRecords } from '../run-folder/record-step';
import { RUN_FILES, storeShift } from '../run-folder/run-json';
import { selectOnRun } from '../run-folder/select-run-folder';
import { trainStage1OnRun, trainStage2OnRun } from '../run-folder/train-run-stage';
import type { ShiftStrategy } from '../splits/types';
import { inferSplit } from '../stages/infer';
import type { PreparedData } from '../stages/prepare';
import type { SelectionOutcome } from '../stages/select-stage';
import { openRunStore, type RunStore } from '../store/run-store';
import { runAblation } from './ablation';
import { compareStrategies } from './compare-strategies';
import { debiasOnRun } from './debias-run';
import { defaultFar, defaultShift } from './default-shift';
import type { ModelEvaluation } from './evaluate-model';
import { scoreEverySpace } from './model-detectors';
import { pipelineReportOf } from './pipeline-report';
import { nearestTrainingPairs } from './nearest-training';
import { writeRunMap } from './run-map';
import { createPipelineGemm } from './prepare-source';
import { runBudgetCurve } from './budget-curve';
import { DEFAULT_BUDGET_FRACTION, selectionInputsOf } from './selection-inputs';
import type { PipelineOptions, PipelineResult } from './types';
import { writePredictions } from './write-predictions';

export { defaultShift };
export type { StrategyRun } from './compare-strategies';

/** What the export step returns. */
type ExportedRun = Awaited<ReturnType<typeof exportOnRun>>;

/** Runs `step.work` as stage `step.stage` of the run-store record `id`, with its summary. */
async function storeStage<TResult>(
  store: RunStore,
  id: string,
  step: { stage: string; work: () => Promise<TResult>; summary?: (result: TResult) => unknown },
): Promise<TResult> {
  store.startStage(id, step.stage);
  const result = await step.work();
  store.finishStage(id, step.stage, step.summary?.(result) ?? {});
  return result;
}

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

/**
 * predictions.jsonl of the exported model (test splits from its evaluation, the pool scored here) and the map.
 * @returns the map's file name (null without one)
 */
async function writeRunPredictions(
  path: string,
  inputs: {
    open: OpenRun;
    exported: ExportedRun;
    selection: SelectionOutcome | undefined;
    seed: number;
  },
): Promise<string | null> {
  const { data, gemm } = inputs.open;
  const { evaluation, params } = inputs.exported;
  const pool = await inferSplit(params, data.pool.frozen, { gemm });
  const scores = await scoreEverySpace(
    { relevance: evaluation.detectors, content: evaluation.contentDetectors },
    { outputs: pool, prepared: data.pool },
    { kernels: { gemm }, reference: evaluation.scores.id_validation },
  );
  const splits = [
    data.idTest,
    data.oodTest,
    ...(data.farTest === undefined ? [] : [data.farTest]),
    data.pool,
  ];
  const neighbours = await nearestTrainingPairs(data.idTrain, splits, inputs.seed);
  writePredictions(path, {
    data,
    evaluation,
    pool: { outputs: pool, scores },
    selection: inputs.selection,
    neighbours,
  });
  return writeRunMap(dirname(path), { data, evaluation, poolScores: scores, seed: inputs.seed });
}

/** A pipeline run under way: its options resolved, its run-store record and its kernels. */
interface PipelineRun {
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
function settingsOf(options: PipelineOptions) {
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
type Settings = ReturnType<typeof settingsOf>;

/** The prepare and stage-1 steps. */
async function prepareAndStage1(ctx: PipelineRun, settings: Settings) {
  const { options, outDir, gemm, step, record } = ctx;
  const { progress, repoRoot } = options;
  const { seed, loss, hyperparameters } = settings;
  const source = absoluteDataSource(options.data, options.repoRoot);
  const cacheDir = options.cacheDir ?? join(dirname(outDir), '.cache');
  const store = { path: resolve(ctx.storePath), run_id: record.id };
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
async function selectionSteps(
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
async function mainModelSteps(
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

/** The loop's steps in order, each recorded as a stage of the run; then predictions and report.json. */
async function runSteps(
  ctx: PipelineRun,
): Promise<Omit<PipelineResult, 'seconds'> & { readonly evaluation: ModelEvaluation }> {
  const { outDir, record, storePath } = ctx;
  const settings = settingsOf(ctx.options);
  const { seed, loss, budgetFraction } = settings;
  const first = await prepareAndStage1(ctx, settings);
  const { data } = first.prepared;
  const { runs, curve } = await selectionSteps(ctx, settings, {
    data,
    stage1: first.stage1.params,
  });
  const { main, debiased, exported, ablation, bundleDir } = await mainModelSteps(
    ctx,
    settings,
    first,
  );
  const predictionsPath = join(outDir, 'predictions.jsonl');
  const map = await writeRunPredictions(predictionsPath, { ...main, exported, seed });
  const reportPath = join(outDir, 'report.json');
  const report = writeRunReport<PipelineReport>(reportPath, {
    ...pipelineReportOf({
      record,
      seconds: (Date.now() - ctx.t0) / 1000,
      ...{ data, loss, runs, budgetFraction, ablation, run: exported.run },
      ...{ bundle: exported.bundle, evaluation: exported.evaluation, curve, map },
    }),
    ...(debiased === undefined ? {} : { debias: debiased.report }),
  });
  const { evaluation } = exported;
  return {
    runId: record.id,
    outDir,
    reportPath,
    predictionsPath,
    bundleDir,
    storePath,
    report,
    evaluation,
  };
}

/**
 * Runs the whole loop and writes `report.json`, `predictions.jsonl` and the run-store record.
 * @throws DataError for bad input data; Error naming the path for an unusable output folder
 */
export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const t0 = Date.now();
  const outDir = resolve(options.outDir);
  const storePath = options.storePath ?? join(dirname(outDir), 'runs.sqlite');
  const shift = options.shift ?? defaultShift(options.data);
  mkdirSync(outDir, { recursive: true });
  const store = openRunStore(storePath);
  const name = options.name ?? basename(outDir);
  const config = { ...options, progress: undefined, shift: storeShift(shift) };
  const { id, createdAt } = store.createRun({ name, kind: 'pipeline', outDir, config });
  const gemm = createPipelineGemm();
  try {
    const { evaluation, ...result } = await runSteps({
      ...{ options, outDir, storePath, shift, gemm, t0 },
      record: { id, name, createdAt },
      step: (stage, work, summary) =>
        storeStage(store, id, { stage, work, ...(summary === undefined ? {} : { summary }) }),
    });
    store.putMetrics(id, evaluationMetricRecords(evaluation));
    store.putArtifacts(id, [
      { kind: 'report', path: result.reportPath },
      { kind: 'predictions', path: result.predictionsPath },
      { kind: 'bundle', path: result.bundleDir },
    ]);
    store.finishRun(id, { status: 'succeeded' });
    return { ...result, seconds: (Date.now() - t0) / 1000 };
  } catch (error) {
    store.finishRun(id, {
      status: 'failed',
      error: error instanceof Error ? error.message : String(error),
    });
    throw error;
  } finally {
    await gemm.dispose();
    store.close();
  }
}

/**
 * `trainRunStage`: one training stage on a run folder.
 * - Stage 1 trains from seeded initial weights on ID train (early stopping on ID validation) and writes
 *   `params/stage1.bin`; the selection and stages 2–3 made from an earlier stage 1 are cleared.
 * - Stage 2 needs stage 1 and a selection made with it: it fine-tunes on ID ∪ held-in picks and sweeps α of
 *   the stage-1 → stage-2 interpolation (`fineTuneOnSelection`, the code `runPipeline` runs), then writes
 *   `params/stage2.bin` and `params/stage3.bin`.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { initParams, type ScorerParams } from '@gradeshift/core';
import { createRng } from '@gradeshift/core/math';

import {
  fineTuneOnSelection,
  STAGE2_DEFAULTS,
  stageMetrics,
  type StageMetrics,
} from '../pipeline/fine-tune-on-selection';
import { createLoss, type LossName } from '../stages/losses';
import { createPipelineGemm } from '../pipeline/prepare-source';
import type { ProgressSink } from '../stages/progress';
import { runTrainStage, trainingSetOf, type StageHyperparameters } from '../stages/train-stage';
import { sha256Hex } from '@gradeshift/core/node';
import { loadRunData } from './load-run-data';
import type { OpenRun } from './open-run';
import { readStageParams, writeStageParams } from './params-io';
import { RunFolderError } from './run-folder-error';
import {
  readRunJson,
  RUN_FILES,
  runJsonPath,
  writeRunJson,
  type RunJson,
  type SelectionRecord,
  type TrainedStageRecord,
} from './run-json';
import { recordStep, stageMetricRecords } from './record-step';
import { readSelectionFile } from './selection-file';

/** Options of {@link trainRunStage}. */
export interface TrainRunStageOptions {
  readonly stage: 1 | 2;
  /** @default 'graded' */
  readonly loss?: LossName;
  /** Stage 1: `runTrainStage`'s defaults; stage 2: `STAGE2_DEFAULTS`. */
  readonly hyperparameters?: StageHyperparameters;
  /** Initialisation (stage 1) and batch-order seed. @default 0 */
  readonly seed?: number;
  /** Stage name of the stage-2 progress events. @default 'stage2' (and 'stage3' for its metrics) */
  readonly label?: string;
  readonly progress?: ProgressSink;
}

/** What {@link trainRunStage} returns. */
export interface TrainRunStageResult {
  readonly run: RunJson;
  readonly stage: 1 | 2;
  readonly bestEpoch: number;
  /** Epochs run (early stopping may end before the maximum). */
  readonly epochs: number;
  readonly seconds: number;
  readonly metrics: StageMetrics;
  /** Stage 2 only: the stage-3 α and metrics. */
  readonly stage3?: { readonly alpha: number; readonly metrics: StageMetrics };
  /** Files written (absolute). */
  readonly files: readonly string[];
  /** Later steps cleared because they were made from the replaced stage 1. */
  readonly cleared: readonly string[];
}

function requireStep(dir: string, what: string, hint: string): never {
  throw new RunFolderError('STEP_MISSING', { path: dir, reason: what }, { hint });
}

/** Stage 2's inputs: stage 1 and a selection made with that stage 1 (checked before the data is reloaded). @internal */
export function stage2Inputs(
  dir: string,
  run: RunJson,
): { stage1: TrainedStageRecord; selection: SelectionRecord } {
  const { stage1 } = run.stages;
  if (stage1 === undefined)
    return requireStep(
      dir,
      'stage 2 needs stage 1 and a selection',
      'run gradeshift train --run <dir> --stage 1, then gradeshift select --run <dir>',
    );
  const { selection } = run;
  if (selection === null)
    return requireStep(dir, 'stage 2 needs a selection', 'run gradeshift select --run <dir>');
  if (selection.stage1_sha256 !== stage1.params.sha256)
    return requireStep(
      dir,
      'the selection was made with an earlier stage 1',
      'run gradeshift select --run <dir> again, with the current stage 1',
    );
  return { stage1, selection };
}

/**
 * Trains one stage of a run folder.
 * @param dir - the run folder (absolute)
 * @throws RunFolderError (`STEP_MISSING` when stage 2 lacks stage 1 or a selection made with it; the errors of
 * `loadRunData`; `INVALID_PARAMS`, `INVALID_SELECTION` for damaged files)
 */
export async function trainRunStage(
  dir: string,
  options: TrainRunStageOptions,
): Promise<TrainRunStageResult> {
  const early = readRunJson(dir);
  if (options.stage === 2) stage2Inputs(dir, early);
  return recordStep(early.store, {
    stage: `stage${options.stage}`,
    work: () => trainStage(dir, options),
    done: (result) => ({
      summary: {
        loss: options.loss ?? 'graded',
        seed: options.seed ?? 0,
        hyperparameters: options.hyperparameters ?? {},
        best_epoch: result.bestEpoch,
        seconds: result.seconds,
        metrics: result.metrics,
        ...(result.stage3 === undefined ? {} : { stage3: result.stage3 }),
      },
      metrics: [
        ...stageMetricRecords(`stage${result.stage}`, result.metrics),
        ...(result.stage3 === undefined ? [] : stageMetricRecords('stage3', result.stage3.metrics)),
      ],
      artifacts: (['stage1', 'stage2', 'stage3'] as const).flatMap((name) => {
        const params = result.run.stages[name]?.params;
        return params === undefined
          ? []
          : [{ kind: `params:${name}`, path: join(dir, params.file), sha256: params.sha256 }];
      }),
    }),
  });
}

async function trainStage(
  dir: string,
  options: TrainRunStageOptions,
): Promise<TrainRunStageResult> {
  const loaded = await loadRunData(dir, options.progress);
  const gemm = createPipelineGemm();
  try {
    const open = { ...loaded, gemm, progress: options.progress };
    return options.stage === 1
      ? await trainStage1OnRun(open, options)
      : await trainStage2OnRun(open, options);
  } finally {
    await gemm.dispose();
  }
}

/**
 * Stage 1 on an open run: trains from seeded initial weights, writes `params/stage1.bin` and run.json, and clears
 * the selection and stages 2–3 of an earlier stage 1.
 * @returns the step's result, with the weights as stored (float32, what every later step reads)
 */
export async function trainStage1OnRun(
  open: OpenRun,
  options: Omit<TrainRunStageOptions, 'stage' | 'progress'>,
): Promise<TrainRunStageResult & { readonly params: ScorerParams }> {
  const { dir, data, gemm, progress } = open;
  const loss = options.loss ?? 'graded';
  const seed = options.seed ?? 0;
  const hyperparameters = options.hyperparameters ?? {};
  const s1 = await runTrainStage({
    stage: 'stage1',
    params: initParams(data.config, data.embeddings, createRng(seed)),
    train: trainingSetOf(data.idTrain),
    validation: trainingSetOf(data.idValidation),
    loss: createLoss(loss),
    seed,
    gemm,
    ...hyperparameters,
    ...(progress === undefined ? {} : { progress }),
  });
  progress?.({ stage: 'stage1', message: 'metrics' });
  const metrics = await stageMetrics(s1.params, data, gemm);
  const { run: before } = open;
  const cleared = [
    ...(before.selection === null ? [] : ['selection']),
    ...(before.stages.stage2 === undefined ? [] : ['stage 2']),
    ...(before.stages.stage3 === undefined ? [] : ['stage 3']),
    ...(before.stages.distill === undefined ? [] : ['the distilled student']),
  ];
  const params = writeStageParams(dir, 'stage1', { params: s1.params, metadata: { loss, seed } });
  const run = writeRunJson(dir, {
    ...before,
    stages: {
      stage1: {
        params,
        loss,
        hyperparameters,
        seed,
        best_epoch: s1.bestEpoch,
        seconds: s1.seconds,
        metrics,
        finished_at: new Date().toISOString(),
      },
    },
    selection: null,
  });
  // Stale files go only after run.json stopped naming them: an interrupt leaves a consistent folder.
  for (const later of ['stage2', 'stage3', 'debias', 'distill'] as const)
    rmSync(join(dir, RUN_FILES.params(later)), { force: true });
  rmSync(join(dir, RUN_FILES.selection), { force: true });
  return {
    run,
    stage: 1,
    bestEpoch: s1.bestEpoch,
    epochs: s1.history.length,
    seconds: s1.seconds,
    metrics,
    files: [join(dir, params.file), runJsonPath(dir)],
    cleared,
    params: readStageParams(dir, 'stage1', { stored: params, ...data }),
  };
}

/**
 * Stages 2 and 3 on an open run: fine-tunes stage 1 (as stored) on ID ∪ the held-in picks of selection.jsonl,
 * sweeps α, writes `params/stage2.bin`, `params/stage3.bin` and run.json.
 * @throws RunFolderError `STEP_MISSING` without stage 1 or a selection made with it
 */
export async function trainStage2OnRun(
  open: OpenRun,
  options: Omit<TrainRunStageOptions, 'stage' | 'progress'>,
): Promise<TrainRunStageResult> {
  const { dir, data, gemm, progress } = open;
  const loss = options.loss ?? 'graded';
  const seed = options.seed ?? 0;
  const hyperparameters = options.hyperparameters ?? {};
  const { stage1, selection } = stage2Inputs(dir, open.run);
  const s1Params = readStageParams(dir, 'stage1', { stored: stage1.params, ...data });
  const selectionPath = join(dir, selection.file);
  const selectionSha = sha256Hex(readFileSync(selectionPath));
  const picked = readSelectionFile(selectionPath, data.pool.pairs, data.config.grades);
  const tuned = await fineTuneOnSelection({
    data,
    stage1: s1Params,
    picked,
    loss,
    seed,
    gemm,
    hyperparameters,
    ...(options.label === undefined ? {} : { stage: options.label }),
    ...(progress === undefined ? {} : { progress }),
  });
  progress?.({ stage: options.label ?? 'stage3', message: 'metrics' });
  const metrics2 = await stageMetrics(tuned.stage2.params, data, gemm);
  const metrics3 = await stageMetrics(tuned.stage3, data, gemm);
  const p2 = writeStageParams(dir, 'stage2', {
    params: tuned.stage2.params,
    metadata: { loss, seed },
  });
  const p3 = writeStageParams(dir, 'stage3', {
    params: tuned.stage3,
    metadata: { alpha: tuned.alpha },
  });
  const finishedAt = new Date().toISOString();
  const run = writeRunJson(dir, {
    ...open.run,
    stages: {
      stage1,
      ...(open.run.stages.distill === undefined ? {} : { distill: open.run.stages.distill }),
      stage2: {
        params: p2,
        loss,
        hyperparameters: { ...STAGE2_DEFAULTS, ...hyperparameters },
        seed,
        best_epoch: tuned.stage2.bestEpoch,
        seconds: tuned.stage2.seconds,
        metrics: metrics2,
        finished_at: finishedAt,
        selection_sha256: selectionSha,
      },
      stage3: {
        params: p3,
        alpha: tuned.alpha,
        alpha_sweep: tuned.alphaSweep,
        metrics: metrics3,
        finished_at: finishedAt,
      },
    },
  });
  return {
    run,
    stage: 2,
    bestEpoch: tuned.stage2.bestEpoch,
    epochs: tuned.stage2.history.length,
    seconds: tuned.stage2.seconds,
    metrics: metrics2,
    stage3: { alpha: tuned.alpha, metrics: metrics3 },
    files: [join(dir, p2.file), join(dir, p3.file), runJsonPath(dir)],
    cleared: [],
  };
}

/**
 * Stages 2 and 3 from a selection, shared by `runPipeline` (once per strategy × seed) and the single-step
 * `trainRunStage` on a run folder: fine-tune the stage-1 weights on ID train ∪ the held-in picks (oversampled),
 * then sweep α of the stage-1 → stage-2 weight interpolation and keep the α with the best mean of ID-validation
 * and held-out-pick macro-F1. The OOD test split is never used for any choice.
 */
import type { StageMetrics } from '../contract/metrics-schema';
import { interpolateParams, type ScorerParams } from '@gradeshift/core';
import type { Gemm } from '@gradeshift/core/math';

import type { LabeledPair } from '../data/dataset';
import { createLoss, type LossName } from '../stages/losses';
import { featurizeSplit, type PreparedData } from '../stages/prepare';
import type { ProgressSink } from '../stages/progress';
import type { SelectedPair } from '../stages/select-stage';
import {
  runTrainStage,
  trainingSetOf,
  type StageHyperparameters,
  type TrainStageResult,
} from '../stages/train-stage';
import { quickMetrics, validationDecision } from './decision-rule';

/** The α grid of stage 3 (0 = stage 1, 1 = stage 2). */
export const ALPHAS: readonly number[] = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
/**
 * Each held-in pick is repeated up to this many times in stage 2, so ~200 picks are not drowned by ~40k ID pairs;
 * fewer times when more repeats would outweigh the replayed ID pairs (large budgets, small replays).
 */
export const STAGE2_OVERSAMPLE = 10;

/** How many times each held-in pick is repeated: {@link STAGE2_OVERSAMPLE}, at most as many pairs as the replay. */
export function oversampleOf(picks: number, replay: number): number {
  if (picks === 0) return 0;
  return Math.min(STAGE2_OVERSAMPLE, Math.max(1, Math.floor(replay / picks)));
}
/** Stage-2 hyperparameters unless overridden (a short, gentle fine-tune; the others as `runTrainStage`). */
export const STAGE2_DEFAULTS: Readonly<StageHyperparameters> = Object.freeze({
  epochs: 3,
  learningRate: 1e-3,
  patience: 3,
});

/** Macro-F1 of a model on ID validation, ID test and OOD test (arg-max decisions; the per-stage figures). */
export type { StageMetrics };

/** {@link StageMetrics} of `params`. */
export async function stageMetrics(
  params: ScorerParams,
  data: PreparedData,
  gemm: Gemm,
): Promise<StageMetrics> {
  // The final evaluation's rule: cut points fitted on ID validation (the validation figure is in-sample).
  const { decision, macro_f1 } = await validationDecision(params, data.idValidation, gemm);
  return {
    id_validation_macro_f1: macro_f1,
    id_test_macro_f1: (await quickMetrics(params, data.idTest, { gemm, decision })).macro_f1,
    ood_test_macro_f1: (await quickMetrics(params, data.oodTest, { gemm, decision })).macro_f1,
  };
}

/** One point of the α sweep. */
export interface AlphaPoint {
  alpha: number;
  id_validation_macro_f1: number;
  ood_validation_macro_f1: number;
}

/** Options of {@link fineTuneOnSelection}. */
export interface FineTuneOptions {
  readonly data: PreparedData;
  /** The stage-1 weights (the start of stage 2 and the α = 0 end of stage 3). */
  readonly stage1: ScorerParams;
  /** The picks with revealed labels: role `train` joins stage 2, role `validation` chooses α. */
  readonly picked: readonly SelectedPair[];
  readonly loss: LossName;
  readonly seed: number;
  readonly gemm: Gemm;
  /** Stage name in progress events. @default 'stage2' */
  readonly stage?: string;
  /** Overrides of {@link STAGE2_DEFAULTS}. */
  readonly hyperparameters?: StageHyperparameters;
  /** The ID-train pairs stage 2 replays beside the picks. @default all of ID train */
  readonly replay?: readonly LabeledPair[];
  /** The α grid of stage 3. @default ALPHAS */
  readonly alphas?: readonly number[];
  readonly progress?: ProgressSink;
}

/** What {@link fineTuneOnSelection} returns. */
export interface FineTuneResult {
  readonly stage2: TrainStageResult;
  readonly stage3: ScorerParams;
  readonly alpha: number;
  readonly alphaSweep: AlphaPoint[];
}

/**
 * Stage 2 (fine-tune on ID ∪ held-in picks) and stage 3 (α sweep on ID validation + held-out picks).
 * @param options - prepared data, stage-1 weights, picks, loss, seed and hyperparameters
 * @returns the stage-2 training result, the interpolated stage-3 weights, α and the sweep
 */
export async function fineTuneOnSelection(options: FineTuneOptions): Promise<FineTuneResult> {
  const { data, stage1, picked, gemm, progress } = options;
  const heldIn = picked.filter((p) => p.role === 'train').map((p) => p.pair);
  const heldOut = picked.filter((p) => p.role === 'validation').map((p) => p.pair);
  const context = {
    featurizer: data.featurizer,
    model: { config: data.config, embeddings: data.embeddings },
    dataset: data.dataset,
  };
  const replay = options.replay ?? data.idTrain.pairs;
  const repeated = Array.from(
    { length: oversampleOf(heldIn.length, replay.length) },
    () => heldIn,
  ).flat();
  const stage2Train = featurizeSplit('stage2_train', [...replay, ...repeated], context);
  const oodValidation = featurizeSplit('ood_validation', heldOut, context);
  const stage2 = await runTrainStage({
    stage: options.stage ?? 'stage2',
    params: stage1,
    train: trainingSetOf(stage2Train),
    validation: trainingSetOf(data.idValidation),
    loss: createLoss(options.loss),
    seed: options.seed,
    gemm,
    ...STAGE2_DEFAULTS,
    ...options.hyperparameters,
    ...(progress === undefined ? {} : { progress }),
  });
  const alphaSweep: AlphaPoint[] = [];
  let best = { alpha: 1, score: -Infinity };
  for (const alpha of options.alphas ?? ALPHAS) {
    const p = interpolateParams(stage1, stage2.params, alpha);
    // Each α is judged under its own cut points fitted on ID validation, as the final model will be.
    const { decision, macro_f1: idF1 } = await validationDecision(p, data.idValidation, gemm);
    const oodF1 =
      heldOut.length > 0
        ? (await quickMetrics(p, oodValidation, { gemm, decision })).macro_f1
        : idF1;
    alphaSweep.push({ alpha, id_validation_macro_f1: idF1, ood_validation_macro_f1: oodF1 });
    const score = (idF1 + oodF1) / 2;
    if (score > best.score) best = { alpha, score };
  }
  return {
    stage2,
    stage3: interpolateParams(stage1, stage2.params, best.alpha),
    alpha: best.alpha,
    alphaSweep,
  };
}

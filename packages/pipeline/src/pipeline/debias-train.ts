/**
 * Saying "irrelevant" when it is (issue 12): the model's extra de-biasing step after stage 3.
 * 1. negatives: easy and hard negatives built once from ID-train text (`buildNegatives`), mixed into a short
 *    fine-tune of the model on ID train ∪ negatives;
 * 2. DPO: LREF's preference stage against the model before it (`runDpoStage`);
 * 3. temperature scaling fitted on ID validation and folded into the head (W3, b3 divided by T), so every
 *    consumer of the weights (the ONNX bundle, the detectors, the decision rule fitted afterwards) sees
 *    calibrated probabilities.
 * The negatives' share and β were chosen on ID validation (see {@link DEBIAS_DEFAULTS}); the epochs are fixed (up to 2
 * for the negatives fine-tune, early-stopped on the ID validation loss; 1 for DPO); T is fitted on ID validation. Test
 * splits are read only by the ablation's figures, never for a choice.
 */
import {
  cloneParams,
  expectedCalibrationError,
  fitTemperature,
  type ScorerParams,
} from '@gradeshift/core';

import type { LabeledPair } from '../data/dataset';
import { runDpoStage, type DpoStageHyperparameters } from '../stages/dpo-stage';
import { inferSplit } from '../stages/infer';
import { createLoss } from '../stages/losses';
import { buildNegatives, type NegativePair } from '../stages/negatives';
import { featurizeSplit, type PreparedData, type PreparedSplit } from '../stages/prepare';
import { runTrainStage, trainingSetOf } from '../stages/train-stage';
import {
  DEBIAS_DEFAULTS,
  DEFAULT_DEBIAS_SETTINGS,
  type DebiasContext,
  type DebiasSettings,
  type NegativeSettings,
} from './debias-settings';

/** The featuriser context of the prepared data. */
export function featurizeContext(data: PreparedData) {
  return {
    featurizer: data.featurizer,
    model: { config: data.config, embeddings: data.embeddings },
    dataset: data.dataset,
  };
}

/** The lowest raw rating of the data (the rating of a generated irrelevant pair), when it has ratings. */
function irrelevantRating(data: PreparedData): number | undefined {
  return data.dataset.ratingRange?.[0];
}

/**
 * ID train ∪ negatives made from ID-train text, featurised once.
 * @returns the mixed split and the negatives
 */
export function negativeMix(
  ctx: DebiasContext,
  settings: NegativeSettings = DEBIAS_DEFAULTS.negatives,
): { mix: PreparedSplit; negatives: NegativePair[] } {
  const { data } = ctx;
  const rating = irrelevantRating(data);
  const negatives = buildNegatives(data.idTrain.pairs, {
    ...settings,
    seed: ctx.seed,
    ...(ctx.departmentOf === undefined ? {} : { departmentOf: ctx.departmentOf }),
    ...(rating === undefined ? {} : { rating }),
  });
  const pairs: LabeledPair[] = [...data.idTrain.pairs, ...negatives];
  return { mix: featurizeSplit('id_train_negatives', pairs, featurizeContext(data)), negatives };
}

/** A short fine-tune of `params` on `mix` (the stage loss, early stopping on the ID validation loss). */
export async function trainOnNegatives(
  ctx: DebiasContext,
  params: ScorerParams,
  mix: PreparedSplit,
): Promise<ScorerParams> {
  const result = await runTrainStage({
    stage: 'negatives',
    params,
    train: trainingSetOf(mix),
    validation: trainingSetOf(ctx.data.idValidation),
    loss: createLoss(ctx.loss),
    seed: ctx.seed,
    gemm: ctx.gemm,
    epochs: DEBIAS_DEFAULTS.negativeEpochs,
    learningRate: DEBIAS_DEFAULTS.negativeLearningRate,
    ...(ctx.progress === undefined ? {} : { progress: ctx.progress }),
  });
  return result.params;
}

/** LREF's DPO stage from `params` on `split` (ID train, or ID train ∪ negatives). */
export async function debiasWithDpo(
  ctx: DebiasContext,
  from: {
    params: ScorerParams;
    split: PreparedSplit;
    hyperparameters?: DpoStageHyperparameters | undefined;
  },
): Promise<{ params: ScorerParams; pairs: number; steps: number }> {
  const { params, split, hyperparameters = DEBIAS_DEFAULTS.dpo } = from;
  const result = await runDpoStage({
    ...hyperparameters,
    params,
    train: { ...trainingSetOf(split), batch: split.frozen },
    sft: createLoss(ctx.loss),
    seed: ctx.seed,
    gemm: ctx.gemm,
    ...(ctx.progress === undefined ? {} : { progress: ctx.progress }),
  });
  return { params: result.params, pairs: result.pairs, steps: result.steps };
}

/**
 * The weights with the temperature folded into the head: logits W3·h + b3 become (W3·h + b3) / T.
 * @throws RangeError for T ≤ 0
 */
export function withTemperature(params: ScorerParams, temperature: number): ScorerParams {
  if (!(temperature > 0) || !Number.isFinite(temperature))
    throw new RangeError(`temperature must be a positive finite number (got ${temperature})`);
  const out = cloneParams(params);
  for (const name of ['W3', 'b3'] as const) {
    const d = out[name].data;
    for (let i = 0; i < d.length; i++) d[i] = (d[i] ?? 0) / temperature;
  }
  return out;
}

/** Temperature scaling fitted on ID validation, with the validation ECE before and after. */
export async function calibrateTemperature(
  ctx: DebiasContext,
  params: ScorerParams,
): Promise<{ params: ScorerParams; temperature: number; ece_before: number; ece_after: number }> {
  const { idValidation } = ctx.data;
  const outputs = await inferSplit(params, idValidation.frozen, { gemm: ctx.gemm });
  const fit = fitTemperature(outputs.logits, idValidation.labels);
  const calibrated = withTemperature(params, fit.temperature);
  const after = await inferSplit(calibrated, idValidation.frozen, { gemm: ctx.gemm });
  return {
    params: calibrated,
    temperature: fit.temperature,
    ece_before: expectedCalibrationError(outputs.probs, idValidation.labels).ece,
    ece_after: expectedCalibrationError(after.probs, idValidation.labels).ece,
  };
}
/** The models along the step: after the negatives, after DPO, and calibrated. */
export interface DebiasOutcome {
  readonly negatives: {
    readonly params: ScorerParams;
    readonly pairs: NegativePair[];
    readonly seconds: number;
  };
  readonly mix: PreparedSplit;
  /** Null when the settings leave DPO out. */
  readonly dpo: {
    readonly params: ScorerParams;
    readonly pairs: number;
    readonly steps: number;
    readonly seconds: number;
  } | null;
  readonly calibrated: Awaited<ReturnType<typeof calibrateTemperature>>;
}

/**
 * The de-biasing step on `params`: negatives fine-tune, DPO on ID train ∪ negatives (when the settings have it),
 * temperature scaling.
 * @returns every intermediate model (the ablation reuses them) and the calibrated final one
 */
export async function debiasModel(
  ctx: DebiasContext,
  params: ScorerParams,
  settings: DebiasSettings = DEFAULT_DEBIAS_SETTINGS,
): Promise<DebiasOutcome> {
  let t = Date.now();
  const { mix, negatives } = negativeMix(ctx, settings.negatives);
  const negParams = await trainOnNegatives(ctx, params, mix);
  const negSeconds = (Date.now() - t) / 1000;
  t = Date.now();
  const dpo =
    settings.dpo === null
      ? null
      : await debiasWithDpo(ctx, { params: negParams, split: mix, hyperparameters: settings.dpo });
  const dpoSeconds = (Date.now() - t) / 1000;
  return {
    negatives: { params: negParams, pairs: negatives, seconds: negSeconds },
    mix,
    dpo: dpo === null ? null : { ...dpo, seconds: dpoSeconds },
    calibrated: await calibrateTemperature(ctx, dpo?.params ?? negParams),
  };
}

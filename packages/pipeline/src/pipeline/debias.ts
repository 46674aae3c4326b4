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
  classificationReport,
  cloneParams,
  confusionMatrix,
  decideGrades,
  expectedCalibrationError,
  fitTemperature,
  overRecall,
  type GradeDecision,
  type ScorerParams,
} from '@gradeshift/core';
import type { Gemm } from '@gradeshift/core/math';

import type { ReportInput } from '../contract/read-report';
import type { PipelineReport } from '../contract/report-schema';
import type { LabeledPair } from '../data/dataset';
import { runDpoStage, type DpoStageHyperparameters } from '../stages/dpo-stage';
import { inferSplit } from '../stages/infer';
import { createLoss, type LossName } from '../stages/losses';
import { buildNegatives, type NegativePair } from '../stages/negatives';
import { featurizeSplit, type PreparedData, type PreparedSplit } from '../stages/prepare';
import type { ProgressSink } from '../stages/progress';
import { computeSplitMetrics } from '../stages/split-metrics';
import { runTrainStage, trainingSetOf } from '../stages/train-stage';
import { DEFAULT_DECISION_RULE, fitDecision, type DecisionConstraint } from './evaluate-model';

/** The de-biasing variants of the ablation. */
export const DEBIAS_VARIANTS = ['none', 'negatives', 'dpo', 'both'] as const;
export type DebiasVariant = (typeof DEBIAS_VARIANTS)[number];

/** Settings of the negatives. */
export interface NegativeSettings {
  /** Negatives per ID-train pair. */
  readonly ratio: number;
  /** Share of hard negatives. */
  readonly hardShare: number;
}

/**
 * The default settings, chosen on ID validation (Home Depot, department shift, seed 0, from the stage-1 model):
 * among negatives per ID-train pair r ∈ {0.1, 0.25, 0.5} (half hard) and β ∈ {0.1, 0.5, 2} (one epoch), the
 * setting whose random (validation query, other-department item) pairs were least often decided strong, among those
 * keeping ≥ 99% of them irrelevant and validation macro-F1 within 0.005 of the model without the step
 * (r = 0.25, β = 2: 0.04% strong, macro-F1 0.5094 against 0.5134; r = 0.5 lost more than 0.005). BENCHMARKS.md,
 * quality section, has the sweep.
 */
export const DEBIAS_DEFAULTS: Readonly<{
  negatives: NegativeSettings;
  dpo: Required<DpoStageHyperparameters>;
  negativeEpochs: number;
  negativeLearningRate: number;
}> = Object.freeze({
  negatives: Object.freeze({ ratio: 0.25, hardShare: 0.5 }),
  dpo: Object.freeze({ beta: 2, epochs: 1, learningRate: 5e-4, sftWeight: 1, batchSize: 256 }),
  negativeEpochs: 2,
  negativeLearningRate: 1e-3,
});

/** What the de-biasing step needs. */
export interface DebiasContext {
  readonly data: PreparedData;
  readonly loss: LossName;
  readonly seed: number;
  readonly gemm: Gemm;
  /** Department of an item title (the shift's taxonomy), for "another department". @default undefined */
  readonly departmentOf?: ((item: string) => string) | undefined;
  readonly progress?: ProgressSink | undefined;
}

/** The featuriser context of the prepared data. */
function featurizeContext(data: PreparedData) {
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

/** Grade shares of a model's decisions on some pairs. */
export interface GradeShares {
  readonly pairs: number;
  /** Share of pairs per decided grade, lowest grade first. */
  readonly shares: number[];
  /** The same under arg-max (the most probable grade). */
  readonly argmax_shares: number[];
}

function sharesOf(grades: Int32Array, k: number): number[] {
  const counts = new Array<number>(k).fill(0);
  for (const g of grades) counts[g] = (counts[g] ?? 0) + 1;
  return counts.map((c) => c / Math.max(1, grades.length));
}

/**
 * Random (query, other-department item) pairs from the queries of `split`: every one should be graded irrelevant.
 * @param options - how many pairs (at least), the seed, the decision rule and the item catalogue
 */
export async function randomPairCheck(
  ctx: DebiasContext,
  params: ScorerParams,
  options: {
    split: PreparedSplit;
    pairs: number;
    decision: GradeDecision;
    catalogue: readonly string[];
  },
): Promise<GradeShares> {
  const { split, decision, catalogue } = options;
  const negatives = buildNegatives(split.pairs, {
    ratio: options.pairs / split.pairs.length,
    hardShare: 0,
    seed: ctx.seed + 1,
    catalogue,
    ...(ctx.departmentOf === undefined ? {} : { departmentOf: ctx.departmentOf }),
  });
  const prepared = featurizeSplit('random_pairs', negatives, featurizeContext(ctx.data));
  const outputs = await inferSplit(params, prepared.frozen, { gemm: ctx.gemm });
  const k = params.config.grades;
  return {
    pairs: negatives.length,
    shares: sharesOf(decideGrades(outputs.probs, decision, { expected: outputs.expected }), k),
    argmax_shares: sharesOf(outputs.predicted, k),
  };
}

/** Validation figures of a candidate: macro-F1 and over-recall under its own fitted rule, ECE. */
export async function validationFigures(
  ctx: DebiasContext,
  params: ScorerParams,
  constraint: DecisionConstraint = {},
): Promise<{ macro_f1: number; over_recall: number; ece: number; decision: GradeDecision }> {
  const { idValidation } = ctx.data;
  const outputs = await inferSplit(params, idValidation.frozen, { gemm: ctx.gemm });
  const { decision } = fitDecision(
    { labels: idValidation.labels, outputs, grades: params.config.grades },
    DEFAULT_DECISION_RULE,
    constraint,
  );
  const predicted = decideGrades(outputs.probs, decision, { expected: outputs.expected });
  const cm = confusionMatrix(idValidation.labels, predicted, params.config.grades);
  return {
    macro_f1: classificationReport(cm).macroF1,
    over_recall: overRecall(cm).overRecallRate,
    ece: expectedCalibrationError(outputs.probs, idValidation.labels).ece,
    decision,
  };
}

/** Settings of the whole step. */
export interface DebiasSettings {
  readonly negatives: NegativeSettings;
  readonly dpo: DpoStageHyperparameters;
  /** The over-recall cap of the capped operating point, on ID validation. */
  readonly maxOverRecall: number;
}

/** The over-recall cap of the capped operating point (issue 12's target, applied on ID validation). */
export const DEFAULT_MAX_OVER_RECALL = 0.35;

/** The default settings of the step. */
export const DEFAULT_DEBIAS_SETTINGS: DebiasSettings = Object.freeze({
  negatives: DEBIAS_DEFAULTS.negatives,
  dpo: DEBIAS_DEFAULTS.dpo,
  maxOverRecall: DEFAULT_MAX_OVER_RECALL,
});

/** The models along the step: after the negatives, after DPO, and calibrated. */
export interface DebiasOutcome {
  readonly negatives: {
    readonly params: ScorerParams;
    readonly pairs: NegativePair[];
    readonly seconds: number;
  };
  readonly mix: PreparedSplit;
  readonly dpo: {
    readonly params: ScorerParams;
    readonly pairs: number;
    readonly steps: number;
    readonly seconds: number;
  };
  readonly calibrated: Awaited<ReturnType<typeof calibrateTemperature>>;
}

/**
 * The de-biasing step on `params`: negatives fine-tune, DPO on ID train ∪ negatives, temperature scaling.
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
  const dpo = await debiasWithDpo(ctx, {
    params: negParams,
    split: mix,
    hyperparameters: settings.dpo,
  });
  const dpoSeconds = (Date.now() - t) / 1000;
  return {
    negatives: { params: negParams, pairs: negatives, seconds: negSeconds },
    mix,
    dpo: { ...dpo, seconds: dpoSeconds },
    calibrated: await calibrateTemperature(ctx, dpo.params),
  };
}

/** One row of the ablation, as report.json's `debias.ablation` holds it. */
export type DebiasVariantFigures = NonNullable<
  ReportInput<PipelineReport>['debias']
>['ablation'] extends readonly (infer R)[] | null
  ? R
  : never;

/** Test splits of the ablation: name → prepared split. */
export type AblationSplits = Readonly<Record<string, PreparedSplit>>;

/** One variant's figures on one split. */
async function variantSplitFigures(
  ctx: DebiasContext,
  model: {
    raw: ScorerParams;
    calibrated: ScorerParams;
    decision: GradeDecision;
    capped: GradeDecision;
  },
  split: PreparedSplit,
) {
  const k = model.raw.config.grades;
  const outputs = await inferSplit(model.calibrated, split.frozen, { gemm: ctx.gemm });
  const raw = await inferSplit(model.raw, split.frozen, { gemm: ctx.gemm });
  const metrics = computeSplitMetrics(split, outputs, {
    resamples: 20,
    seed: ctx.seed,
    grades: k,
    decision: model.decision,
  });
  const capped = confusionMatrix(
    split.labels,
    decideGrades(outputs.probs, model.capped, { expected: outputs.expected }),
    k,
  );
  return {
    macro_f1: metrics.macro_f1.value,
    over_recall: metrics.over_recall.value,
    'ndcg@10': metrics['ndcg@10'].value,
    ece: metrics.ece.value,
    ece_raw: expectedCalibrationError(raw.probs, split.labels).ece,
    capped_macro_f1: classificationReport(capped).macroF1,
    capped_over_recall: overRecall(capped).overRecallRate,
  };
}

/**
 * One variant of the ablation: temperature-scaled on ID validation, both rules fitted there (macro-F1 and capped),
 * then scored on every test split and on random pairs of the first split's queries.
 */
export async function evaluateVariant(
  ctx: DebiasContext,
  variant: { name: DebiasVariant; params: ScorerParams; trainSeconds: number },
  options: { splits: AblationSplits; maxOverRecall: number; randomPairs: number },
): Promise<DebiasVariantFigures> {
  const calibrated = await calibrateTemperature(ctx, variant.params);
  const free = await validationFigures(ctx, calibrated.params);
  const capped = await validationFigures(ctx, calibrated.params, {
    maxOverRecall: options.maxOverRecall,
  });
  const model = {
    raw: variant.params,
    calibrated: calibrated.params,
    decision: free.decision,
    capped: capped.decision,
  };
  const splits: Record<string, Awaited<ReturnType<typeof variantSplitFigures>>> = {};
  for (const [name, split] of Object.entries(options.splits))
    splits[name] = await variantSplitFigures(ctx, model, split);
  const first = Object.values(options.splits)[0];
  if (first === undefined) throw new RangeError('the ablation needs at least one test split');
  const random = await randomPairCheck(ctx, calibrated.params, {
    split: first,
    pairs: options.randomPairs,
    decision: free.decision,
    catalogue: [...new Set(ctx.data.dataset.pairs.map((p) => p.item))],
  });
  return {
    variant: variant.name,
    temperature: calibrated.temperature,
    decision: free.decision,
    capped_decision: capped.decision,
    train_seconds: variant.trainSeconds,
    splits,
    random_pairs: random,
  };
}

/**
 * The none / negatives / DPO / both ablation from the model before the step (`none`), reusing the step's own
 * models for negatives and both; only DPO alone is trained here.
 */
export async function debiasAblation(
  ctx: DebiasContext,
  options: {
    start: ScorerParams;
    outcome: DebiasOutcome;
    splits: AblationSplits;
    maxOverRecall: number;
    randomPairs: number;
    dpo: DpoStageHyperparameters;
  },
): Promise<DebiasVariantFigures[]> {
  const t = Date.now();
  const { start, outcome } = options;
  const dpoOnly = await debiasWithDpo(ctx, {
    params: start,
    split: ctx.data.idTrain,
    hyperparameters: options.dpo,
  });
  const dpoSeconds = (Date.now() - t) / 1000;
  const variants = [
    { name: 'none' as const, params: start, trainSeconds: 0 },
    {
      name: 'negatives' as const,
      params: outcome.negatives.params,
      trainSeconds: outcome.negatives.seconds,
    },
    { name: 'dpo' as const, params: dpoOnly.params, trainSeconds: dpoSeconds },
    {
      name: 'both' as const,
      params: outcome.dpo.params,
      trainSeconds: outcome.negatives.seconds + outcome.dpo.seconds,
    },
  ];
  const rows = [];
  for (const v of variants) {
    ctx.progress?.({ stage: 'debias', message: `ablation: ${v.name}` });
    rows.push(await evaluateVariant(ctx, v, options));
  }
  return rows;
}

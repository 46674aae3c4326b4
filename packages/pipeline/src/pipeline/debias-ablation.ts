/**
 * The none / negatives / DPO / both ablation of the de-biasing step: every variant temperature-scaled on ID
 * validation, its decision rules fitted there, then scored on the test splits and on random pairs.
 */
import { expectedCalibrationError, type GradeDecision, type ScorerParams } from '@gradeshift/core';

import type { ReportInput } from '../contract/read-report';
import type { PipelineReport } from '../contract/report-schema';
import type { DpoStageHyperparameters } from '../stages/dpo-stage';
import { inferSplit } from '../stages/infer';
import type { PreparedSplit } from '../stages/prepare';
import { computeSplitMetrics } from '../stages/split-metrics';
import { randomPairCheck, validationFigures } from './debias-checks';
import { figuresUnderRule, fitMarginOperatingPoint } from './debias-operating-point';
import type { DebiasContext, DebiasVariant } from './debias-settings';
import { calibrateTemperature, debiasWithDpo, type DebiasOutcome } from './debias-train';

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
    margin: GradeDecision;
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
  const capped = figuresUnderRule(split.labels, outputs, model.capped);
  const margin = figuresUnderRule(split.labels, outputs, model.margin);
  return {
    macro_f1: metrics.macro_f1.value,
    over_recall: metrics.over_recall.value,
    'ndcg@10': metrics['ndcg@10'].value,
    ece: metrics.ece.value,
    ece_raw: expectedCalibrationError(raw.probs, split.labels).ece,
    capped_macro_f1: capped.macro_f1,
    capped_over_recall: capped.over_recall,
    margin_macro_f1: margin.macro_f1,
    margin_over_recall: margin.over_recall,
  };
}

/**
 * One variant of the ablation: temperature-scaled on ID validation, three rules fitted there (best macro-F1, capped
 * at the over-recall target, and the margin operating point whose bootstrap bound meets it), then scored on every
 * test split and on random pairs of the first split's queries.
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
  const { idValidation } = ctx.data;
  const margin = fitMarginOperatingPoint(
    {
      labels: idValidation.labels,
      outputs: await inferSplit(calibrated.params, idValidation.frozen, { gemm: ctx.gemm }),
      queries: idValidation.queries,
      grades: variant.params.config.grades,
    },
    { target: options.maxOverRecall, seed: ctx.seed },
  );
  const model = {
    raw: variant.params,
    calibrated: calibrated.params,
    decision: free.decision,
    capped: capped.decision,
    margin: margin.decision,
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
    margin_decision: margin.decision,
    margin_validation: margin.validation,
    train_seconds: variant.trainSeconds,
    splits,
    random_pairs: random,
  };
}

/**
 * The none / negatives / DPO / both ablation from the model before the step (`none`), reusing the step's own
 * models for negatives (and for both when the step ran DPO); DPO alone, and both when the step left DPO out, are
 * trained here with `options.dpo`.
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
  const { start, outcome } = options;
  const timedDpo = async (params: ScorerParams, split: PreparedSplit) => {
    const t = Date.now();
    const r = await debiasWithDpo(ctx, { params, split, hyperparameters: options.dpo });
    return { params: r.params, seconds: (Date.now() - t) / 1000 };
  };
  const dpoOnly = await timedDpo(start, ctx.data.idTrain);
  const both = outcome.dpo ?? (await timedDpo(outcome.negatives.params, outcome.mix));
  const variants = [
    { name: 'none' as const, params: start, trainSeconds: 0 },
    {
      name: 'negatives' as const,
      params: outcome.negatives.params,
      trainSeconds: outcome.negatives.seconds,
    },
    { name: 'dpo' as const, params: dpoOnly.params, trainSeconds: dpoOnly.seconds },
    {
      name: 'both' as const,
      params: both.params,
      trainSeconds: outcome.negatives.seconds + both.seconds,
    },
  ];
  const rows = [];
  for (const v of variants) {
    ctx.progress?.({ stage: 'debias', message: `ablation: ${v.name}` });
    rows.push(await evaluateVariant(ctx, v, options));
  }
  return rows;
}

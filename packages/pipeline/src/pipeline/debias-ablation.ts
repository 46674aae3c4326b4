/**
 * The none / negatives / DPO / both ablation of the de-biasing step: every variant temperature-scaled on ID
 * validation, its decision rules fitted there, then scored on the test splits and on random pairs.
 */
import {
  classificationReport,
  confusionMatrix,
  decideGrades,
  expectedCalibrationError,
  overRecall,
  type GradeDecision,
  type ScorerParams,
} from '@gradeshift/core';

import type { ReportInput } from '../contract/read-report';
import type { PipelineReport } from '../contract/report-schema';
import type { DpoStageHyperparameters } from '../stages/dpo-stage';
import { inferSplit } from '../stages/infer';
import type { PreparedSplit } from '../stages/prepare';
import { computeSplitMetrics } from '../stages/split-metrics';
import { randomPairCheck, validationFigures } from './debias-checks';
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

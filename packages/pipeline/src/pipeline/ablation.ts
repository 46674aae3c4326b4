/**
 * The cross-entropy ablation of `runPipeline`: stage 1 trained again with cross-entropy instead of the graded
 * loss (same data, sizes, seed and schedule), both stage-1 models evaluated side by side.
 */
import { initParams, type ScorerParams } from '@gradeshift/core';
import { createRng, type Gemm } from '@gradeshift/core/math';

import type { ReportInput } from '../contract/read-report';
import type { PipelineReport } from '../contract/report-schema';
import { createLoss } from '../stages/losses';
import type { PreparedData } from '../stages/prepare';
import type { ProgressSink } from '../stages/progress';
import { runTrainStage, trainingSetOf, type StageHyperparameters } from '../stages/train-stage';
import { evaluateModel, type ModelEvaluation } from './evaluate-model';

/** Bootstrap resamples of the ablation's intervals at most (a side figure, not the headline). */
const ABLATION_RESAMPLES = 200;

/** Options of {@link runAblation}. */
export interface AblationOptions {
  readonly data: PreparedData;
  /** The graded stage 1 as stored. */
  readonly stage1: ScorerParams;
  readonly seed: number;
  readonly gemm: Gemm;
  readonly resamples: number;
  readonly hyperparameters?: StageHyperparameters | undefined;
  readonly progress?: ProgressSink | undefined;
}

const summary = (e: ModelEvaluation) => ({
  id_test: e.splits.id_test,
  ood_test: e.splits.ood_test,
  ood_detection: e.oodDetection,
});

/**
 * Trains the cross-entropy stage 1 and evaluates both stage-1 models.
 * @returns report.json's `ablation` section
 */
export async function runAblation(
  options: AblationOptions,
): Promise<NonNullable<ReportInput<PipelineReport>['ablation']>> {
  const { data, seed, gemm, progress } = options;
  const ce = await runTrainStage({
    stage: 'ablation (cross-entropy)',
    params: initParams(data.config, data.embeddings, createRng(seed)),
    train: trainingSetOf(data.idTrain),
    validation: trainingSetOf(data.idValidation),
    loss: createLoss('ce'),
    seed,
    gemm,
    ...options.hyperparameters,
    ...(progress === undefined ? {} : { progress }),
  });
  const resamples = Math.min(ABLATION_RESAMPLES, options.resamples);
  const crossEntropy = await evaluateModel(ce.params, data, { gemm, resamples, seed });
  const graded = await evaluateModel(options.stage1, data, { gemm, resamples, seed });
  return {
    note: 'stage 1 only, same data, sizes, seed and schedule; only the loss differs',
    graded: summary(graded),
    cross_entropy: summary(crossEntropy),
  };
}

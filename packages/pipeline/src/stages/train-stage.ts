/**
 * One training stage: `trainScorer` on prepared splits with the pipeline's defaults and progress events.
 */
import {
  trainScorer,
  type EpochInfo,
  type ScorerLoss,
  type ScorerParams,
  type TrainingSet,
} from '@gradeshift/core';
import type { Gemm } from '@gradeshift/core/math';

import type { PreparedSplit } from './prepare';
import type { ProgressSink } from './progress';

/** Hyperparameters of a stage. */
export interface StageHyperparameters {
  /** @default 8 */
  epochs?: number;
  /** @default 2e-3 */
  learningRate?: number;
  /** @default 256 */
  batchSize?: number;
  /** @default 2 */
  patience?: number;
  /** `'head'` trains W3/b3 only (linear probing). @default 'all' */
  trainable?: 'all' | 'head';
}

/** Options for {@link runTrainStage}. */
export interface TrainStageOptions extends StageHyperparameters {
  stage: string;
  params: ScorerParams;
  train: TrainingSet;
  validation: TrainingSet;
  loss: ScorerLoss;
  seed: number;
  gemm?: Gemm;
  progress?: ProgressSink;
}

/** What a stage returns. */
export interface TrainStageResult {
  readonly params: ScorerParams;
  readonly history: readonly EpochInfo[];
  readonly bestEpoch: number;
  readonly seconds: number;
}

/** The training set of a prepared split (ratings as loss targets when every pair has one, query groups). */
export function trainingSetOf(split: PreparedSplit): TrainingSet {
  const hasRatings = split.ratings.every((r) => Number.isFinite(r));
  return {
    batch: split.frozen,
    labels: split.labels,
    ...(hasRatings ? { ratings: split.ratings } : {}),
    groups: split.queries,
  };
}

/** Runs a training stage. */
export async function runTrainStage(options: TrainStageOptions): Promise<TrainStageResult> {
  const {
    stage,
    progress,
    epochs = 8,
    learningRate = 2e-3,
    batchSize = 256,
    patience = 2,
    trainable = 'all',
  } = options;
  const t0 = Date.now();
  progress?.({ stage, message: 'training', done: 0, total: epochs });
  const result = await trainScorer({
    params: options.params,
    train: options.train,
    validation: options.validation,
    loss: options.loss,
    epochs,
    learningRate,
    batchSize,
    patience,
    trainable,
    seed: options.seed,
    ...(options.gemm === undefined ? {} : { gemm: options.gemm }),
    onEpoch: (e) =>
      progress?.({
        stage,
        message: `epoch ${e.epoch}: loss ${e.trainLoss.toFixed(4)}, val macro-F1 ${e.valMetric?.toFixed(4) ?? '–'}`,
        done: e.epoch,
        total: epochs,
        etaSeconds: e.etaSeconds,
      }),
  });
  return {
    params: result.params,
    history: result.history,
    bestEpoch: result.bestEpoch,
    seconds: (Date.now() - t0) / 1000,
  };
}

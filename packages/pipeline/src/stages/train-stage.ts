/**
 * One training stage: `trainScorer` on prepared splits with the pipeline's defaults and progress events.
 */
import {
  trainScorer,
  type EpochInfo,
  type IndexedScorerLoss,
  type ScorerLoss,
  type ScorerParams,
  type TrainingSet,
} from '@gradeshift/core';
import type { Gemm } from '@gradeshift/core/math';

import type { PreparedSplit } from './prepare';
import type { ProgressSink } from './progress';

/**
 * Hyperparameters of a stage. The defaults are those of the default model, chosen on ID validation (macro-F1
 * under cut points fitted on one half of the validation queries and scored on the other, mean over seeds): the
 * scorer overfits within a few epochs, so the weights are averaged (Polyak) and early stopping watches the
 * validation loss, which tracks the expected grade the decision rule cuts, not the arg-max macro-F1.
 */
export interface StageHyperparameters {
  /** @default 10 */
  epochs?: number;
  /** @default 2e-3 */
  learningRate?: number;
  /** @default 256 */
  batchSize?: number;
  /** @default 3 */
  patience?: number;
  /** What early stopping watches. @default 'loss' */
  monitor?: 'loss' | 'macroF1';
  /** Decay of the weight average (`trainScorer`'s `averageDecay`; 0 turns it off). @default 0.999 */
  averageDecay?: number;
  /** `'head'` trains W3/b3 only (linear probing). @default 'all' */
  trainable?: 'all' | 'head';
}

/** The default model's stage hyperparameters (stage 1; stage 2 overrides some, see `STAGE2_DEFAULTS`). */
export const STAGE_DEFAULTS: Readonly<Required<StageHyperparameters>> = Object.freeze({
  epochs: 10,
  learningRate: 2e-3,
  batchSize: 256,
  patience: 3,
  monitor: 'loss',
  averageDecay: 0.999,
  trainable: 'all',
});

/** Options for {@link runTrainStage}. */
export interface TrainStageOptions extends StageHyperparameters {
  stage: string;
  params: ScorerParams;
  train: TrainingSet;
  validation: TrainingSet;
  loss: ScorerLoss;
  /** The loss of the training batches when it reads their row indices (`loss` is then read on validation only). */
  trainLoss?: IndexedScorerLoss;
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
    epochs = STAGE_DEFAULTS.epochs,
    learningRate = STAGE_DEFAULTS.learningRate,
    batchSize = STAGE_DEFAULTS.batchSize,
    patience = STAGE_DEFAULTS.patience,
    trainable = STAGE_DEFAULTS.trainable,
    monitor = STAGE_DEFAULTS.monitor,
    averageDecay = STAGE_DEFAULTS.averageDecay,
  } = options;
  const t0 = Date.now();
  progress?.({ stage, message: 'training', done: 0, total: epochs });
  const result = await trainScorer({
    params: options.params,
    train: options.train,
    validation: options.validation,
    loss: options.loss,
    ...(options.trainLoss === undefined ? {} : { trainLoss: options.trainLoss }),
    epochs,
    learningRate,
    batchSize,
    patience,
    trainable,
    monitor,
    averageDecay,
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

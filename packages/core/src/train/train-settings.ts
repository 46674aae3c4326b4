/**
 * The hyperparameters of `trainScorer`, with their defaults applied and checked once before training starts.
 */
import { assertInteger } from '../math/check';
import type { Gemm } from '../math/gemm';
import type { EpochInfo, TrainScorerOptions } from './trainer';

/** The options with their defaults, checked. */
export type TrainSettings = Required<
  Omit<TrainScorerOptions, 'params' | 'train' | 'validation' | 'gemm' | 'onEpoch' | 'trainLoss'>
> & {
  readonly trainLoss: TrainScorerOptions['trainLoss'];
  readonly gemm: Gemm | undefined;
  readonly onEpoch: ((info: EpochInfo) => void) | undefined;
};

/** Applies the defaults and checks the hyperparameters (not the sets: see {@link prepareSet}). */
export function resolveSettings(options: TrainScorerOptions): TrainSettings {
  const {
    loss,
    epochs = 10,
    batchSize = 256,
    learningRate = 1e-3,
    weightDecay = 0.01,
    maxGradNorm = 1,
    seed = 0,
    patience = 3,
  } = options;
  const { monitor = 'macroF1', trainable = 'all', gemm, onEpoch, now = () => Date.now() } = options;
  const { averageDecay = 0 } = options;
  if (!(averageDecay >= 0 && averageDecay < 1))
    throw new RangeError(`options.averageDecay must be in [0, 1) (got ${String(averageDecay)})`);
  assertInteger(epochs, 'options.epochs', { min: 1 });
  assertInteger(batchSize, 'options.batchSize', { min: 1 });
  if (!(patience >= 1))
    throw new RangeError(`options.patience must be ≥ 1 (got ${String(patience)})`);
  if (!(maxGradNorm > 0))
    throw new RangeError(`options.maxGradNorm must be > 0 (got ${String(maxGradNorm)})`);
  return {
    loss,
    trainLoss: options.trainLoss,
    epochs,
    batchSize,
    learningRate,
    weightDecay,
    maxGradNorm,
    seed,
    patience,
    monitor,
    trainable,
    gemm,
    onEpoch,
    now,
    averageDecay,
  };
}

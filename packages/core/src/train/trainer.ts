/**
 * Mini-batch training of the scorer with Adam(W), seeded shuffling, early stopping on a validation metric
 * (restoring the best weights) and a head-only mode for the linear-probing stage of LP-FT.
 */
import type { Gemm } from '../math/gemm';
import { createRng, type Rng } from '../math/prng';
import {
  HEAD_PARAM_NAMES,
  TRAINABLE_PARAM_NAMES,
  type TrainableParamName,
} from '../scorer/param-names';
import { cloneParams, type ScorerParams } from '../scorer/params';
import { clipGradientNormInPlace, createAdam, type AdamOptimizer } from './adam';
import { epochOrder } from './epoch-order';
import {
  evaluateSet,
  type IndexedScorerLoss,
  type ScorerLoss,
  type SetEvaluation,
} from './evaluate';
import { averageDecayAt, averageParamsInPlace } from './polyak-average';
import { createFullStep, createHeadStep, type StepModel } from './step-model';
import { resolveSettings, type TrainSettings } from './train-settings';
import { prepareSet, selectTargets, type PreparedSet, type TrainingSet } from './training-set';

/** What one epoch did, passed to `onEpoch` and kept in the history. */
export interface EpochInfo {
  /** 1-based epoch number. */
  readonly epoch: number;
  /** Mean training loss of the epoch's mini-batches (weighted by batch size). */
  readonly trainLoss: number;
  /** Validation loss (see `evaluateSet`), or `undefined` without a validation set. */
  readonly valLoss: number | undefined;
  /** Validation macro-F1, or `undefined` without a validation set. */
  readonly valMetric: number | undefined;
  /** `true` when this epoch is the best so far on the monitored quantity. */
  readonly improved: boolean;
  /** Wall time of the epoch (training and validation). */
  readonly seconds: number;
  /** Estimated time left for the remaining epochs at the mean pace so far (0 after the last). */
  readonly etaSeconds: number;
}

/** Options for {@link trainScorer}. */
export interface TrainScorerOptions {
  /** Initial parameters (not modified; training works on a copy). */
  params: ScorerParams;
  /** Training pairs with labels (and optional ratings and query groups). */
  train: TrainingSet;
  /** Held-out pairs for early stopping. @default undefined (train all epochs, keep the last weights) */
  validation?: TrainingSet;
  /** Batch loss returning its value and ∂/∂logits, e.g. `softmaxCrossEntropy` or `gradedLoss`. */
  loss: ScorerLoss;
  /**
   * The loss of the training batches, when it reads per-pair data of the training set (the batch's row indices);
   * `loss` is then read on the validation set only. @default undefined (`loss` on both)
   */
  trainLoss?: IndexedScorerLoss;
  /** Maximum number of epochs. @default 10 */
  epochs?: number;
  /** Pairs per mini-batch. @default 256 */
  batchSize?: number;
  /** Adam step size. @default 1e-3 */
  learningRate?: number;
  /** Decoupled (AdamW) weight decay on P, W1, W2, W3 and gateW (not on biases or gate scalars). @default 0.01 */
  weightDecay?: number;
  /** Clip the global gradient norm to this value (`Infinity` turns clipping off). @default 1 */
  maxGradNorm?: number;
  /** Seed of the shuffles: the same seed and inputs give bit-identical weights. @default 0 */
  seed?: number;
  /** Stop after this many epochs without improvement on the validation set. @default 3 */
  patience?: number;
  /** What early stopping watches: validation macro-F1 (higher is better) or validation loss (lower). @default 'macroF1' */
  monitor?: 'macroF1' | 'loss';
  /**
   * Decay d of an exponential moving average of the weights (Polyak averaging): after every step
   * θ̄ ← d_t·θ̄ + (1 − d_t)·θ with d_t = min(d, (1 + t)/(10 + t)) (t = steps taken, so early steps are not
   * dominated by the initial weights). Validation, early stopping and the returned weights then use θ̄.
   * 0 turns averaging off; ignored when `trainable` is `'head'`. @default 0
   */
  averageDecay?: number;
  /** `'all'`: every trainable tensor; `'head'`: W3 and b3 only (linear probing, LP-FT stage 1). @default 'all' */
  trainable?: 'all' | 'head';
  /**
   * Matrix-product kernel. Node callers inject onnxruntime's (`createOrtGemm({ dtype: 'float64' })` with one intra-op
   * thread): ≈ 0.65 s instead of ≈ 2.2 s per epoch of 52k pairs at the default size.
   * @default undefined (built-in loops)
   */
  gemm?: Gemm;
  /** Called after every epoch. @default undefined */
  onEpoch?: (info: EpochInfo) => void;
  /** Clock in milliseconds, for the timings. @default Date.now */
  now?: () => number;
}

/** Result of {@link trainScorer}. */
export interface TrainScorerResult {
  /** The weights of the best validation epoch (the last epoch without a validation set). */
  readonly params: ScorerParams;
  readonly history: readonly EpochInfo[];
  /** 1-based epoch whose weights were returned. */
  readonly bestEpoch: number;
  /** `true` when early stopping ended training before `epochs`. */
  readonly stoppedEarly: boolean;
}

const DECAYED: ReadonlySet<TrainableParamName> = new Set(['gateW', 'P', 'W1', 'W2', 'W3']);

/**
 * Trains the scorer. Each epoch visits the training pairs in a seeded shuffled order (whole query groups when
 * groups are given), takes an Adam(W) step per mini-batch with the global gradient norm clipped, then scores the
 * validation set; training stops after `patience` epochs without improvement and returns the best weights.
 * @param options - data, loss and hyperparameters
 * @returns the best parameters and the per-epoch history
 * @throws RangeError for inconsistent sets (see {@link TrainingSet}), bad hyperparameters, or a non-finite loss gradient
 * @example
 * const probe = await trainScorer({ params, train, validation, loss, trainable: 'head' }); // LP
 * const tuned = await trainScorer({ params: probe.params, train: trainPlusOod, validation, loss, learningRate: 3e-4 }); // FT
 * @see https://arxiv.org/abs/2202.10054 (Kumar et al. 2022, LP-FT)
 * @see https://arxiv.org/abs/2412.12504 (DaRL: LP-FT then weight interpolation)
 */
export async function trainScorer(options: TrainScorerOptions): Promise<TrainScorerResult> {
  const settings = resolveSettings(options);
  const { epochs, patience, onEpoch, now } = settings;
  const run = await startRun(options, settings);
  const rng = createRng(settings.seed);
  const history: EpochInfo[] = [];
  let best = run.params;
  let bestEpoch = 0;
  let bestScore = -Infinity;
  let elapsed = 0;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const started = now();
    const lossSum = await trainEpoch(run, { rng, epoch });
    const evaluation =
      run.validation === undefined
        ? undefined
        : await evaluateSet(run.evalStep, run.validation, {
            loss: settings.loss,
            batchSize: settings.batchSize,
          });
    const score = epochScore(evaluation, { epoch, monitor: settings.monitor });
    const improved = score > bestScore;
    if (improved) {
      bestScore = score;
      bestEpoch = epoch;
      best = cloneParams(run.averaged);
    }
    const seconds = (now() - started) / 1000;
    elapsed += seconds;
    const info: EpochInfo = {
      epoch,
      trainLoss: lossSum / run.train.size,
      valLoss: evaluation?.loss,
      valMetric: evaluation?.macroF1,
      improved,
      seconds,
      etaSeconds: (elapsed / epoch) * (epochs - epoch),
    };
    history.push(info);
    onEpoch?.(info);
    if (epoch - bestEpoch >= patience && epoch < epochs)
      return { params: best, history, bestEpoch, stoppedEarly: true };
  }
  return { params: best, history, bestEpoch, stoppedEarly: false };
}

/** The state of one training run: the weights being trained, the prepared sets, the optimizer and step models. */
interface TrainingRun {
  readonly settings: TrainSettings;
  /** The trained weights (a copy of the initial ones). */
  readonly params: ScorerParams;
  readonly train: PreparedSet;
  readonly validation: PreparedSet | undefined;
  /** The tensors trained, in the optimizer's order. */
  readonly names: readonly TrainableParamName[];
  readonly adam: AdamOptimizer;
  /** Forward/backward pass on the trained weights. */
  readonly step: StepModel;
  /** θ̄ under Polyak averaging, else `params` itself. */
  readonly averaged: ScorerParams;
  /** Forward pass on `averaged`, for validation. */
  readonly evalStep: StepModel;
  /** Optimizer steps taken so far. */
  steps: number;
}

/** Copies the weights, prepares the sets and builds the optimizer and step models. */
async function startRun(
  options: TrainScorerOptions,
  settings: TrainSettings,
): Promise<TrainingRun> {
  const { trainable, gemm, batchSize, learningRate, weightDecay, averageDecay } = settings;
  const params = cloneParams(options.params);
  const train = prepareSet(params, options.train, 'train');
  const validation =
    options.validation === undefined
      ? undefined
      : prepareSet(params, options.validation, 'validation');
  const names = trainable === 'head' ? HEAD_PARAM_NAMES : TRAINABLE_PARAM_NAMES;
  const adam = createAdam(
    names.map((name) => ({ size: params[name].data.length, decay: DECAYED.has(name) })),
    { learningRate, weightDecay },
  );
  const step =
    trainable === 'head'
      ? await createHeadStep(params, validation === undefined ? [train] : [train, validation], {
          ...(gemm === undefined ? {} : { gemm }),
          chunk: Math.max(batchSize, 1024),
        })
      : createFullStep(params, gemm);
  // θ̄ and a step model that reads it; without averaging both are the trained weights themselves.
  const averaged = averageDecay > 0 && trainable === 'all' ? cloneParams(params) : params;
  const evalStep = averaged === params ? step : createFullStep(averaged, gemm);
  return { settings, params, train, validation, names, adam, step, averaged, evalStep, steps: 0 };
}

/**
 * One pass over the training pairs in a seeded shuffled order (whole query groups when groups are given).
 * @returns the sum over mini-batches of loss × batch size
 */
async function trainEpoch(
  run: TrainingRun,
  at: { readonly rng: Rng; readonly epoch: number },
): Promise<number> {
  const { train } = run;
  const { batchSize } = run.settings;
  const { rng } = at;
  const order = epochOrder(
    train.size,
    train.groups === undefined ? { rng } : { rng, groups: train.groups },
  );
  let lossSum = 0;
  for (let start = 0; start < train.size; start += batchSize) {
    const rows = order.subarray(start, Math.min(train.size, start + batchSize));
    lossSum += (await trainBatch(run, rows, { epoch: at.epoch, start })) * rows.length;
  }
  return lossSum;
}

/**
 * One Adam(W) step on a mini-batch with the global gradient norm clipped, then the weight average updated.
 * @returns the batch loss
 * @throws RangeError when the loss is not finite
 */
async function trainBatch(
  run: TrainingRun,
  rows: Int32Array,
  where: { readonly epoch: number; readonly start: number },
): Promise<number> {
  const { params, names, train } = run;
  const { loss, trainLoss, maxGradNorm, averageDecay } = run.settings;
  const { logits, backward } = await run.step(train, rows);
  const { targets, groups } = selectTargets(train, rows);
  const result =
    trainLoss === undefined
      ? loss(logits, targets, groups)
      : trainLoss(logits, { labels: targets, groups, rows });
  if (!Number.isFinite(result.value))
    throw new RangeError(
      `the loss must be finite (got ${result.value} at epoch ${where.epoch}, batch starting at ${where.start})`,
    );
  const grads = await backward(result.grad);
  const gradList = names.map((name) => grads[name] ?? new Float64Array(params[name].data.length));
  if (maxGradNorm !== Infinity) clipGradientNormInPlace(gradList, maxGradNorm);
  run.adam.updateInPlace(
    names.map((name) => params[name].data),
    gradList,
  );
  run.steps++;
  if (run.averaged !== params)
    averageParamsInPlace(run.averaged, params, {
      names,
      decay: averageDecayAt(averageDecay, run.steps),
    });
  return result.value;
}

/**
 * What early stopping maximizes: validation macro-F1 as is, the validation loss negated; without a validation
 * set the epoch number (every epoch improves).
 */
function epochScore(
  evaluation: SetEvaluation | undefined,
  at: { readonly epoch: number; readonly monitor: 'macroF1' | 'loss' },
): number {
  if (evaluation === undefined) return at.epoch;
  return at.monitor === 'loss' ? -evaluation.loss : evaluation.macroF1;
}

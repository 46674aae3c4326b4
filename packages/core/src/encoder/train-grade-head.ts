/**
 * Training a {@link GradeHeadParams} on frozen pair features: mini-batches of whole query groups (the graded
 * loss's margin compares pairs within a query), Adam with decoupled weight decay on the weights, early stopping
 * on the validation macro-F1 (of the arg-max grade, or under ordinal cut points fitted on validation); the best
 * epoch's weights are returned.
 */
import { confusionMatrix } from '../metrics/confusion-matrix';
import { classificationReport } from '../metrics/classification';
import { jsGemm, type Gemm } from '../math/gemm';
import { createRng } from '../math/prng';
import { softmax } from '../math/softmax';
import { fitOrdinalThresholds } from '../decision/ordinal-thresholds';
import { createAdam } from '../train/adam';
import { epochOrder } from '../train/epoch-order';
import type { ScorerLoss } from '../train/evaluate';
import {
  backwardGradeHead,
  createGradeHead,
  featureStandardization,
  forwardGradeHead,
  type GradeHeadParams,
  type PairFeatureSource,
} from './grade-head';

/** Training pairs: rows of a feature source, their loss targets and query groups. */
export interface GradeHeadTrainSet {
  readonly source: PairFeatureSource;
  readonly rows: Int32Array;
  /** Loss target per row: a grade, or a continuous rating on the grade axis. */
  readonly labels: Float64Array;
  readonly groups: readonly (number | string)[];
}

/** Validation pairs: rows of a feature source and their integer grades. */
export interface GradeHeadValidationSet {
  readonly source: PairFeatureSource;
  readonly rows: Int32Array;
  readonly grades: Int32Array;
}

/** One epoch's figures. */
export interface GradeHeadEpoch {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly validationMacroF1: number;
}

/** Options of {@link trainGradeHead}. */
export interface TrainGradeHeadOptions {
  readonly hidden: number;
  readonly grades: number;
  readonly loss: ScorerLoss;
  /** @default 1e-3 */
  readonly learningRate?: number;
  /** Decoupled (AdamW) decay of the two weight matrices. @default 1e-4 */
  readonly weightDecay?: number;
  /** @default 30 */
  readonly epochs?: number;
  /** Epochs without a better validation macro-F1 before stopping. @default 4 */
  readonly patience?: number;
  /** Rows per step. @default 256 */
  readonly batchSize?: number;
  /** @default 0 */
  readonly seed?: number;
  /** The matrix product of the two large layers' products (e.g. onnxruntime's). @default jsGemm */
  readonly gemm?: Gemm;
  /** The validation macro-F1's decision. @default 'argmax' */
  readonly decision?: GradeHeadDecision;
  /** Called after every epoch (e.g. progress, or a pause that lets the event loop run). */
  readonly onEpoch?: (epoch: GradeHeadEpoch) => void | Promise<void>;
}

/** What {@link trainGradeHead} returns. */
export interface TrainedGradeHead {
  readonly head: GradeHeadParams;
  /** 1-based epoch of the returned weights. */
  readonly bestEpoch: number;
  readonly validationMacroF1: number;
  readonly history: readonly GradeHeadEpoch[];
}

/** How the validation macro-F1 turns probabilities into grades. */
export type GradeHeadDecision = 'argmax' | 'ordinal-thresholds';

/**
 * Macro-F1 of a head on a validation set: of the arg-max grade, or of ordinal cut points on the expected grade
 * fitted on the same set (`fitOrdinalThresholds`, the rule the evaluation fits on ID validation).
 */
export async function gradeHeadMacroF1(
  head: GradeHeadParams,
  set: GradeHeadValidationSet,
  options: { gemm?: Gemm; decision?: GradeHeadDecision } = {},
): Promise<number> {
  const { logits } = await forwardGradeHead(head, set, options.gemm);
  const g = head.grades;
  const n = set.rows.length;
  if (options.decision === 'ordinal-thresholds') {
    const probs = softmax({ rows: n, cols: g, data: logits }).data;
    const expected = Float64Array.from({ length: n }, (_, i) => {
      let e = 0;
      for (let c = 1; c < g; c++) e += c * (probs[i * g + c] ?? 0);
      return e;
    });
    return fitOrdinalThresholds(expected, set.grades, { grades: g }).macroF1;
  }
  const predicted = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < g; c++)
      if ((logits[i * g + c] ?? 0) > (logits[i * g + best] ?? 0)) best = c;
    predicted[i] = best;
  }
  return classificationReport(confusionMatrix(set.grades, predicted, g)).macroF1;
}

/** One epoch of mini-batch steps; the mean training loss. */
async function runEpoch(
  head: GradeHeadParams,
  train: GradeHeadTrainSet,
  context: {
    order: Int32Array;
    batchSize: number;
    loss: ScorerLoss;
    gemm: Gemm;
    step: (g: Float64Array[]) => void;
  },
): Promise<number> {
  const { order, batchSize } = context;
  let total = 0;
  for (let start = 0; start < order.length; start += batchSize) {
    const at = order.subarray(start, Math.min(order.length, start + batchSize));
    const rows = Int32Array.from(at, (i) => train.rows[i] ?? 0);
    const forward = await forwardGradeHead(head, { source: train.source, rows }, context.gemm);
    const labels = Float64Array.from(at, (i) => train.labels[i] ?? 0);
    const groups = Array.from(at, (i) => train.groups[i] ?? '');
    const { value, grad } = context.loss(
      { rows: rows.length, cols: head.grades, data: forward.logits },
      labels,
      groups,
    );
    const grads = await backwardGradeHead(head, { forward, gradLogits: grad.data }, context.gemm);
    context.step([grads.w1, grads.b1, grads.w2, grads.b2]);
    total += value * rows.length;
  }
  return total / Math.max(order.length, 1);
}

/**
 * Trains a grade head (standardisation fitted on the training rows).
 * @throws RangeError for empty sets or bad sizes
 */
export async function trainGradeHead(
  train: GradeHeadTrainSet,
  validation: GradeHeadValidationSet,
  options: TrainGradeHeadOptions,
): Promise<TrainedGradeHead> {
  const { epochs = 30, patience = 4, batchSize = 256, seed = 0, gemm = jsGemm } = options;
  if (train.rows.length === 0 || validation.rows.length === 0)
    throw new RangeError('the grade head needs training and validation rows');
  if (train.labels.length !== train.rows.length || train.groups.length !== train.rows.length)
    throw new RangeError('the training set needs one label and one group per row');
  const rng = createRng(seed);
  const shape = { inputs: train.source.cols, hidden: options.hidden, grades: options.grades };
  const head = createGradeHead(shape, featureStandardization(train.source, train.rows), rng);
  const params = [head.w1, head.b1, head.w2, head.b2];
  const adam = createAdam(
    params.map((p, i) => ({ size: p.length, decay: i % 2 === 0 })),
    { learningRate: options.learningRate ?? 1e-3, weightDecay: options.weightDecay ?? 1e-4 },
  );
  const step = (grads: Float64Array[]): void => adam.updateInPlace(params, grads);
  const history: GradeHeadEpoch[] = [];
  let best = { epoch: 0, f1: -1, weights: params.map((p) => p.slice()) };
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const order = epochOrder(train.rows.length, { groups: train.groups, rng });
    const trainLoss = await runEpoch(head, train, {
      order,
      batchSize,
      loss: options.loss,
      gemm,
      step,
    });
    const validationMacroF1 = await gradeHeadMacroF1(head, validation, {
      gemm,
      decision: options.decision ?? 'argmax',
    });
    const info = { epoch, trainLoss, validationMacroF1 };
    history.push(info);
    if (validationMacroF1 > best.f1)
      best = { epoch, f1: validationMacroF1, weights: params.map((p) => p.slice()) };
    await options.onEpoch?.(info);
    if (epoch - best.epoch >= patience) break;
  }
  params.forEach((p, i) => p.set(best.weights[i] ?? p));
  return { head, bestEpoch: best.epoch, validationMacroF1: best.f1, history };
}

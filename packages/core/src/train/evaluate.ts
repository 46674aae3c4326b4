/**
 * Validation during training: the loss and the grade metrics (macro-F1, accuracy) of a prepared set.
 */
import { predictedGrades } from '../grades/predict';
import type { Matrix } from '../math/matrix';
import { classificationReport } from '../metrics/classification';
import { confusionMatrix } from '../metrics/confusion-matrix';
import type { LossResult } from '../losses/types';
import { epochOrder } from './epoch-order';
import type { StepModel } from './step-model';
import { selectTargets, type PreparedSet } from './training-set';

/**
 * A batch loss: mean over the rows of `logits` (B × K) with its gradient w.r.t. the logits. `labels` are the
 * batch's targets (the ratings when the set has them, else the integer grades); `groups` its query ids, if any.
 * @example const loss: ScorerLoss = (z, y, g) => gradedLoss(z, y, g === undefined ? {} : { groups: g });
 */
export type ScorerLoss = (
  logits: Matrix,
  labels: Float64Array,
  groups: readonly (number | string)[] | undefined,
) => LossResult;

/** A training batch as {@link IndexedScorerLoss} reads it. */
export interface LossBatch {
  /** The batch's targets (ratings when the set has them, else the integer grades). */
  readonly labels: Float64Array;
  /** Its query ids, if the set has groups. */
  readonly groups: readonly (number | string)[] | undefined;
  /** Its row indices in the training set. */
  readonly rows: Int32Array;
}

/**
 * A training batch loss that also reads which pairs of the training set the batch holds, for per-pair data the loss
 * keeps itself (e.g. a teacher's probabilities of every training pair). Mean over the rows, with ∂/∂logits.
 */
export type IndexedScorerLoss = (logits: Matrix, batch: LossBatch) => LossResult;

/** Result of {@link evaluateSet}. @internal */
export interface SetEvaluation {
  /** Mean of the batch losses over mini-batches of `batchSize` in query-group order, weighted by batch size. */
  readonly loss: number;
  /** Macro-F1 of the arg-max grades over the grades present (scikit-learn's `f1_score(average='macro')`). */
  readonly macroF1: number;
  readonly accuracy: number;
}

/**
 * Scores a whole set in mini-batches (unshuffled; a query's pairs stay together when groups are given).
 * @internal
 */
export async function evaluateSet(
  step: StepModel,
  set: PreparedSet,
  options: { loss: ScorerLoss; batchSize: number },
): Promise<SetEvaluation> {
  const order = epochOrder(set.size, set.groups === undefined ? {} : { groups: set.groups });
  const predictions = new Int32Array(set.size);
  let total = 0;
  for (let start = 0; start < set.size; start += options.batchSize) {
    const rows = order.subarray(start, Math.min(set.size, start + options.batchSize));
    const { logits } = await step(set, rows);
    const { targets, groups } = selectTargets(set, rows);
    total += options.loss(logits, targets, groups).value * rows.length;
    predictedGrades(logits).forEach((g, i) => (predictions[rows[i] ?? 0] = g));
  }
  const report = classificationReport(
    confusionMatrix(set.labels, predictions, set.frozen.config.grades),
  );
  return { loss: total / set.size, macroF1: report.macroF1, accuracy: report.accuracy };
}

/**
 * Training the distilled student (RRADistill in the loop, methods.md §3): the default word-vector scorer trained from
 * the stage-1 recipe (same seeded start, hyperparameters and gold loss) on ID train (gold labels and the teacher)
 * plus the unlabeled pool (the teacher only), for each α of a grid; α is chosen on ID-validation macro-F1 under the
 * model's own decision rule (never on a test split or the far-OOD data).
 */
import {
  initParams,
  type FrozenBatch,
  type ScorerParams,
  type TrainingSet,
} from '@gradeshift/core';
import { createRng, type Gemm } from '@gradeshift/core/math';

import { createDistillLoss, type TeacherValues } from '../stages/distill-loss';
import { createLoss, type LossName } from '../stages/losses';
import { featurizeSplit, type PreparedData } from '../stages/prepare';
import type { ProgressSink } from '../stages/progress';
import { runTrainStage, trainingSetOf, type StageHyperparameters } from '../stages/train-stage';
import { validationDecision } from './decision-rule';
import { featurizeContext } from './debias-train';

/** The α grid (weight of the gold loss): 1 is ordinary stage-1 training, 0 the teacher alone. */
export const DISTILL_ALPHAS: readonly number[] = [0, 0.25, 0.5, 0.75, 1];

/** One trained candidate of the sweep. */
export interface DistillCandidate {
  readonly alpha: number;
  readonly params: ScorerParams;
  readonly id_validation_macro_f1: number;
  readonly best_epoch: number;
  readonly seconds: number;
}

/** Options of {@link trainStudents}. */
export interface TrainStudentsOptions {
  readonly data: PreparedData;
  /** The teacher's values of ID train then the pool, in that order (`matchTeacher`). */
  readonly teacher: TeacherValues;
  /** {@link distillTrainingSet} of `data`. */
  readonly train: DistillTrainingSet;
  readonly loss: LossName;
  readonly seed: number;
  readonly gemm: Gemm;
  /** @default DISTILL_ALPHAS */
  readonly alphas?: readonly number[];
  /** @default 1 */
  readonly temperature?: number;
  /** Overrides of the stage-1 hyperparameters. */
  readonly hyperparameters?: StageHyperparameters;
  readonly progress?: ProgressSink;
}

/** The student's training set, its features computed. */
export type DistillTrainingSet = TrainingSet & { readonly batch: FrozenBatch };

/**
 * The student's training set: ID train (labels, and ratings when every ID-train pair has one) then the pool, whose
 * label slots hold 0 (the loss reads no gold for rows past ID train).
 */
export function distillTrainingSet(data: PreparedData): DistillTrainingSet {
  const { idTrain, pool } = data;
  const mixed = featurizeSplit(
    'distill_train',
    [...idTrain.pairs, ...pool.pairs],
    featurizeContext(data),
  );
  const n = mixed.pairs.length;
  const labels = new Int32Array(n);
  labels.set(idTrain.labels);
  const gold = trainingSetOf(idTrain);
  const ratings = gold.ratings === undefined ? undefined : new Float64Array(n);
  if (ratings !== undefined && gold.ratings !== undefined) ratings.set(Array.from(gold.ratings));
  return {
    batch: mixed.frozen,
    labels,
    ...(ratings === undefined ? {} : { ratings }),
    groups: mixed.queries,
  };
}

/**
 * Trains one student per α from the same seeded start and scores each on ID validation.
 * @returns the candidates in grid order and the chosen one (highest ID-validation macro-F1; the first on a tie)
 */
export async function trainStudents(
  options: TrainStudentsOptions,
): Promise<{ candidates: DistillCandidate[]; chosen: DistillCandidate }> {
  const { data, teacher, seed, gemm, progress } = options;
  const gold = createLoss(options.loss);
  const alphas = options.alphas ?? DISTILL_ALPHAS;
  const mixed = options.train;
  const candidates: DistillCandidate[] = [];
  for (const alpha of alphas) {
    // α = 1 reads no teacher: the pool rows would add nothing but batch slots, so it trains on ID train alone,
    // exactly as stage 1 does.
    const train = alpha === 1 ? trainingSetOf(data.idTrain) : mixed;
    const trainLoss = createDistillLoss({
      gold,
      teacher,
      labelled: data.idTrain.pairs.length,
      alpha,
      ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
    });
    const result = await runTrainStage({
      stage: `distill α=${alpha}`,
      params: initParams(data.config, data.embeddings, createRng(seed)),
      train,
      validation: trainingSetOf(data.idValidation),
      loss: gold,
      ...(alpha === 1 ? {} : { trainLoss }),
      seed,
      gemm,
      ...options.hyperparameters,
      ...(progress === undefined ? {} : { progress }),
    });
    const { macro_f1 } = await validationDecision(result.params, data.idValidation, gemm);
    candidates.push({
      alpha,
      params: result.params,
      id_validation_macro_f1: macro_f1,
      best_epoch: result.bestEpoch,
      seconds: result.seconds,
    });
  }
  const chosen = candidates.reduce((a, b) =>
    b.id_validation_macro_f1 > a.id_validation_macro_f1 + 1e-12 ? b : a,
  );
  return { candidates, chosen };
}

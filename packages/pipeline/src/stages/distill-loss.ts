/**
 * The student's loss in RRADistill-style distillation (methods.md §3): the teacher's grade distribution on every
 * training pair (core's `distillationLoss`, KL at temperature T) plus the gold loss on the pairs that have a
 * label, mixed by α: α = 1 is ordinary training on the labelled pairs, α = 0 the teacher alone.
 */
import {
  distillationLoss,
  type DistillationTeacher,
  type IndexedScorerLoss,
  type LossBatch,
  type LossResult,
  type ScorerLoss,
} from '@gradeshift/core';
import { createMatrix, selectRows, type Matrix } from '@gradeshift/core/math';

/** The teacher's values of a set's pairs. */
export interface TeacherValues {
  /** Probabilities (used as given) or logits (softened at T). */
  readonly output: 'probs' | 'logits';
  /** n × K, row-major, one row per pair of the set. */
  readonly values: Float64Array;
}

/** Options of {@link createDistillLoss}. */
export interface DistillLossOptions {
  /** The gold loss (the stage-1 loss), read on the labelled rows. */
  readonly gold: ScorerLoss;
  /** The teacher's values of every pair of the training set. */
  readonly teacher: TeacherValues;
  /** The first `labelled` pairs of the training set carry gold labels; the others (the pool) do not. */
  readonly labelled: number;
  /** Weight of the gold loss, in [0, 1]. */
  readonly alpha: number;
  /** T of `distillationLoss`. @default 1 */
  readonly temperature?: number;
}

/** The batch's teacher rows, as `distillationLoss` takes them. */
function teacherRows(teacher: TeacherValues, rows: Int32Array, k: number): DistillationTeacher {
  const m = createMatrix(rows.length, k);
  rows.forEach((r, i) => m.data.set(teacher.values.subarray(r * k, (r + 1) * k), i * k));
  return teacher.output === 'probs' ? { probs: m } : { logits: m };
}

/** The gold loss on the labelled rows of a batch, as a sum over them divided by the batch size (0 without any). */
function goldPart(options: DistillLossOptions, logits: Matrix, batch: LossBatch): LossResult {
  const { labels, groups, rows } = batch;
  const at: number[] = [];
  rows.forEach((r, i) => {
    if (r < options.labelled) at.push(i);
  });
  if (at.length === rows.length) return options.gold(logits, labels, groups);
  const grad = createMatrix(logits.rows, logits.cols);
  if (at.length === 0) return { value: 0, grad };
  const sub = options.gold(
    selectRows(logits, at),
    Float64Array.from(at, (i) => labels[i] ?? 0),
    groups === undefined ? undefined : at.map((i) => groups[i] ?? ''),
  );
  // The gold loss is a mean over its rows: rescale to a sum over them divided by the batch size.
  const scale = at.length / rows.length;
  const k = logits.cols;
  at.forEach((i, j) => {
    for (let c = 0; c < k; c++) grad.data[i * k + c] = scale * (sub.grad.data[j * k + c] ?? 0);
  });
  return { value: scale * sub.value, grad };
}

/**
 * The student's batch loss: α·(1/n)·Σ_{labelled rows} gold + (1 − α)·(1/n)·Σ_{all rows} T²·KL(teacher ‖ student_T).
 * With α = 1 it is the gold loss itself (the teacher is not read); with α = 0 the teacher alone.
 * @param options - the gold loss, the teacher's values, how many leading pairs are labelled, α and T
 * @returns the training loss for `trainScorer`'s `trainLoss` (the batch's `rows` index the teacher's values)
 * @throws RangeError for α outside [0, 1]
 */
export function createDistillLoss(options: DistillLossOptions): IndexedScorerLoss {
  const { alpha, teacher, temperature = 1 } = options;
  if (!(alpha >= 0 && alpha <= 1))
    throw new RangeError(`alpha must be in [0, 1] (got ${String(alpha)})`);
  return (logits, batch) => {
    if (alpha === 1) return options.gold(logits, batch.labels, batch.groups);
    const k = logits.cols;
    const kd = distillationLoss(logits, teacherRows(teacher, batch.rows, k), { temperature });
    if (alpha === 0) return kd;
    const gold = goldPart(options, logits, batch);
    const grad = createMatrix(logits.rows, k);
    for (let j = 0; j < grad.data.length; j++)
      grad.data[j] = alpha * (gold.grad.data[j] ?? 0) + (1 - alpha) * (kd.grad.data[j] ?? 0);
    return { value: alpha * gold.value + (1 - alpha) * kd.value, grad };
  };
}

/**
 * LREF's de-biasing stage (methods.md §2.4) for the grade head: the model before the stage is the frozen
 * reference π_ref; for every training pair whose reference top-1 grade is above its true grade (an optimistic
 * error), the true grade is preferred (y⁺) over that top-1 (y⁻), and the policy is trained with the DPO loss
 * against π_ref, plus a supervised term on every pair of the batch that keeps the other grades in place.
 */
import {
  createPreferencePairs,
  dpoLoss,
  trainScorer,
  type FrozenBatch,
  type LossResult,
  type ScorerLoss,
  type ScorerParams,
  type TrainingSet,
} from '@gradeshift/core';
import { createMatrix, selectRows, type Gemm, type MatrixLike } from '@gradeshift/core/math';

import { inferSplit } from './infer';
import type { ProgressSink } from './progress';

/** Hyperparameters of the stage. β was chosen on ID validation (see `pipeline/debias.ts`); the others are fixed, not tuned. */
export interface DpoStageHyperparameters {
  /** β of the implicit reward. @default 2 */
  readonly beta?: number;
  /** Epochs over the training pairs (one is ⌈n / batch size⌉ steps). @default 1 */
  readonly epochs?: number;
  /** @default 5e-4 */
  readonly learningRate?: number;
  /** Weight of the supervised term (the stage-1 loss on every pair of the batch). @default 1 */
  readonly sftWeight?: number;
  /** @default 256 */
  readonly batchSize?: number;
}

/** The defaults of {@link DpoStageHyperparameters}. */
export const DPO_DEFAULTS: Readonly<Required<DpoStageHyperparameters>> = Object.freeze({
  beta: 2,
  epochs: 1,
  learningRate: 5e-4,
  sftWeight: 1,
  batchSize: 256,
});

/** Per-row preference data of a batch, for {@link dpoBatchLoss}. */
export interface BatchPreferences {
  /** Reference logits of every row of the batch (n × K). */
  readonly referenceLogits: MatrixLike;
  /** Preferred grade per row, or −1 for a row without a preference pair. */
  readonly chosen: ArrayLike<number>;
  /** Dispreferred grade per row (ignored where `chosen` is −1). */
  readonly rejected: ArrayLike<number>;
}

/**
 * The stage's batch loss: (1/n)·Σ_{rows with a pair} DPO_i + w·SFT(all rows), where DPO_i is {@link dpoLoss} of the
 * row and SFT the supervised loss of the batch (its own mean over the n rows).
 * @param logits - policy logits, n × K
 * @param preferences - reference logits and per-row chosen / rejected grades (−1: no pair)
 * @param sft - the supervised term's value and gradient on the same logits
 * @returns the loss and its gradient w.r.t. `logits`
 */
export function dpoBatchLoss(
  logits: MatrixLike,
  preferences: BatchPreferences,
  options: { beta: number; sftWeight: number; sft: LossResult },
): LossResult {
  const { rows: n, cols: k } = logits;
  const { beta, sftWeight, sft } = options;
  const paired: number[] = [];
  for (let i = 0; i < n; i++) if ((preferences.chosen[i] ?? -1) >= 0) paired.push(i);
  const grad = createMatrix(n, k);
  for (let j = 0; j < grad.data.length; j++) grad.data[j] = sftWeight * (sft.grad.data[j] ?? 0);
  let value = sftWeight * sft.value;
  if (paired.length === 0) return { value, grad };
  const rows = Uint32Array.from(paired);
  const dpo = dpoLoss(
    selectRows(logits, rows),
    {
      referenceLogits: selectRows(preferences.referenceLogits, rows),
      chosen: Int32Array.from(paired, (i) => preferences.chosen[i] ?? 0),
      rejected: Int32Array.from(paired, (i) => preferences.rejected[i] ?? 0),
    },
    { beta },
  );
  // dpoLoss averages over the paired rows; rescale to a sum over them divided by the batch size.
  const scale = paired.length / n;
  value += scale * dpo.value;
  paired.forEach((row, p) => {
    for (let c = 0; c < k; c++)
      grad.data[row * k + c] =
        (grad.data[row * k + c] ?? 0) + scale * (dpo.grad.data[p * k + c] ?? 0);
  });
  return { value, grad };
}

/** Options for {@link runDpoStage}. */
export interface DpoStageOptions extends DpoStageHyperparameters {
  /** The reference and starting weights (not modified). */
  readonly params: ScorerParams;
  /** The pairs to de-bias on (frozen features, integer labels, optional ratings). */
  readonly train: TrainingSet & { readonly batch: FrozenBatch };
  /** The supervised term (the stage-1 loss). */
  readonly sft: ScorerLoss;
  readonly seed: number;
  readonly gemm?: Gemm;
  readonly progress?: ProgressSink;
}

/** What {@link runDpoStage} returns. */
export interface DpoStageResult {
  readonly params: ScorerParams;
  /** Preference pairs (optimistic errors of the reference on the training pairs). */
  readonly pairs: number;
  readonly steps: number;
  readonly seconds: number;
}

/**
 * Runs the de-biasing stage: reference outputs once, preference pairs from its optimistic errors, then
 * `epochs` passes of {@link dpoBatchLoss} (Adam, no early stopping; one epoch by default, ≈ 200 steps on Home Depot).
 * @returns the de-biased weights and the stage's counts
 */
export async function runDpoStage(options: DpoStageOptions): Promise<DpoStageResult> {
  const { params, train, sft, seed, gemm, progress } = options;
  const hp = { ...DPO_DEFAULTS, ...options };
  const t0 = Date.now();
  const frozen = train.batch;
  const reference = await inferSplit(params, frozen, gemm === undefined ? {} : { gemm });
  const pairs = createPreferencePairs(reference.logits, train.labels, { direction: 'optimistic' });
  const n = frozen.batch.size;
  const chosen = new Int32Array(n).fill(-1);
  const rejected = new Int32Array(n).fill(-1);
  pairs.rows.forEach((r, p) => {
    chosen[r] = pairs.chosen[p] ?? -1;
    rejected[r] = pairs.rejected[p] ?? -1;
  });
  // The row index travels as the pair's group, so the loss finds its reference logits and preference.
  const loss: ScorerLoss = (logits, labels, groups) => {
    const at = Array.from(groups ?? [], (g) => Number(g));
    const k = logits.cols;
    const ref = createMatrix(at.length, k);
    at.forEach((r, i) => ref.data.set(reference.logits.data.subarray(r * k, (r + 1) * k), i * k));
    return dpoBatchLoss(
      logits,
      {
        referenceLogits: ref,
        chosen: at.map((r) => chosen[r] ?? -1),
        rejected: at.map((r) => rejected[r] ?? -1),
      },
      { beta: hp.beta, sftWeight: hp.sftWeight, sft: sft(logits, labels, undefined) },
    );
  };
  progress?.({ stage: 'dpo', message: `${pairs.rows.length} preference pairs` });
  const result = await trainScorer({
    params,
    train: {
      batch: frozen,
      labels: train.labels,
      ...(train.ratings === undefined ? {} : { ratings: train.ratings }),
      groups: Array.from({ length: n }, (_, r) => r),
    },
    loss,
    epochs: hp.epochs,
    learningRate: hp.learningRate,
    batchSize: hp.batchSize,
    seed,
    ...(gemm === undefined ? {} : { gemm }),
  });
  return {
    params: result.params,
    pairs: pairs.rows.length,
    steps: hp.epochs * Math.ceil(n / hp.batchSize),
    seconds: (Date.now() - t0) / 1000,
  };
}

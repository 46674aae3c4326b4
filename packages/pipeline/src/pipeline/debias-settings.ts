/**
 * The de-biasing step's settings and context (issue 12): the negatives' share, LREF's DPO stage, the over-recall cap
 * of the capped operating point, each chosen on ID validation (see {@link DEBIAS_DEFAULTS}).
 */
import type { Gemm } from '@gradeshift/core/math';

import type { DpoStageHyperparameters } from '../stages/dpo-stage';
import type { LossName } from '../stages/losses';
import type { PreparedData } from '../stages/prepare';
import type { ProgressSink } from '../stages/progress';

/** The de-biasing variants of the ablation. */
export const DEBIAS_VARIANTS = ['none', 'negatives', 'dpo', 'both'] as const;
export type DebiasVariant = (typeof DEBIAS_VARIANTS)[number];

/** Settings of the negatives. */
export interface NegativeSettings {
  /** Negatives per ID-train pair. */
  readonly ratio: number;
  /** Share of hard negatives. */
  readonly hardShare: number;
}

/**
 * The default settings, chosen on ID validation (Home Depot, department shift, seed 0, from the stage-1 model):
 * among negatives per ID-train pair r ∈ {0.1, 0.25, 0.5} (half hard) and β ∈ {0.1, 0.5, 2} (one epoch), the
 * setting whose random (validation query, other-department item) pairs were least often decided strong, among those
 * keeping ≥ 99% of them irrelevant and validation macro-F1 within 0.005 of the model without the step
 * (r = 0.25, β = 2: 0.04% strong, macro-F1 0.5094 against 0.5134; r = 0.5 lost more than 0.005). BENCHMARKS.md,
 * quality section, has the sweep.
 */
export const DEBIAS_DEFAULTS: Readonly<{
  negatives: NegativeSettings;
  dpo: Required<DpoStageHyperparameters>;
  negativeEpochs: number;
  negativeLearningRate: number;
}> = Object.freeze({
  negatives: Object.freeze({ ratio: 0.25, hardShare: 0.5 }),
  dpo: Object.freeze({ beta: 2, epochs: 1, learningRate: 5e-4, sftWeight: 1, batchSize: 256 }),
  negativeEpochs: 2,
  negativeLearningRate: 1e-3,
});

/** What the de-biasing step needs. */
export interface DebiasContext {
  readonly data: PreparedData;
  readonly loss: LossName;
  readonly seed: number;
  readonly gemm: Gemm;
  /** Department of an item title (the shift's taxonomy), for "another department". @default undefined */
  readonly departmentOf?: ((item: string) => string) | undefined;
  readonly progress?: ProgressSink | undefined;
}

/** Settings of the whole step. */
export interface DebiasSettings {
  readonly negatives: NegativeSettings;
  readonly dpo: DpoStageHyperparameters;
  /** The over-recall cap of the capped operating point, on ID validation. */
  readonly maxOverRecall: number;
}

/** The over-recall cap of the capped operating point (issue 12's target, applied on ID validation). */
export const DEFAULT_MAX_OVER_RECALL = 0.35;

/** The default settings of the step. */
export const DEFAULT_DEBIAS_SETTINGS: DebiasSettings = Object.freeze({
  negatives: DEBIAS_DEFAULTS.negatives,
  dpo: DEBIAS_DEFAULTS.dpo,
  maxOverRecall: DEFAULT_MAX_OVER_RECALL,
});

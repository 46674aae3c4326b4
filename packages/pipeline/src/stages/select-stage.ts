/**
 * Stage "select": pick pool pairs for annotation with one strategy at a fixed budget, reveal their labels
 * (the simulated annotation), and hold a fifth of them out as the shifted-side validation set of stage 3.
 */
import type { MatrixLike } from '@gradeshift/core/math';
import {
  selectByUncertainty,
  selectDistributionAware,
  selectRandom,
  type DetectorComputeOptions,
  type OodDetector,
} from '@gradeshift/ood';

import type { LabeledPair } from '../data/dataset';
import { revealLabels, type UnlabeledPool } from '../splits/unlabeled-pool';
import type { StrategyName } from '../pipeline/types';

/** Inputs of {@link runSelection}. */
export interface SelectionInputs {
  readonly pool: UnlabeledPool;
  /** Stage-1 hidden features of the pool. */
  readonly poolFeatures: MatrixLike;
  /** Stage-1 grade probabilities of the pool. */
  readonly poolProbs: MatrixLike;
  /** Fitted feature-space detectors (Mahalanobis, KNN). */
  readonly detectors: readonly OodDetector[];
  /** Held-out ID features (the validation split) that calibrate the detectors' percentiles. */
  readonly idHeldOut: MatrixLike;
  readonly computeOptions?: DetectorComputeOptions;
}

/** A pick with its revealed label and why it was picked. */
export interface SelectedPair {
  readonly pair: LabeledPair;
  readonly poolIndex: number;
  readonly rank: number;
  readonly reason: unknown;
  /** Used for training (stage 2) or held out for choosing α (stage 3). */
  readonly role: 'train' | 'validation';
}

/** Result of {@link runSelection}. */
export interface SelectionOutcome {
  readonly strategy: StrategyName;
  readonly seed: number;
  readonly budget: number;
  readonly picked: readonly SelectedPair[];
  readonly stats: unknown;
}

/** Runs one strategy and reveals the picked labels. Every fifth pick (by rank) is held out for validation. */
export async function runSelection(
  inputs: SelectionInputs,
  options: { strategy: StrategyName; budget: number; seed: number },
): Promise<SelectionOutcome> {
  const { strategy, budget, seed } = options;
  const picks = await pickIndices(inputs, options);
  const revealed = revealLabels(
    inputs.pool,
    picks.picked.map((p) => p.index),
  );
  const picked = picks.picked.map((p, i): SelectedPair => {
    const poolPair = inputs.pool.pairs[p.index];
    const label = revealed[i];
    if (poolPair === undefined || label === undefined)
      throw new RangeError(`pool index ${p.index} is out of range`);
    const pair: LabeledPair = {
      ...poolPair,
      grade: label.grade,
      ...(label.rating === undefined ? {} : { rating: label.rating }),
    };
    return {
      pair,
      poolIndex: p.index,
      rank: p.rank,
      reason: p.reason,
      role: p.rank % 5 === 0 ? 'validation' : 'train',
    };
  });
  return { strategy, seed, budget, picked, stats: picks.stats };
}

async function pickIndices(
  inputs: SelectionInputs,
  options: { strategy: StrategyName; budget: number; seed: number },
): Promise<{
  picked: readonly { index: number; rank: number; reason: unknown }[];
  stats: unknown;
}> {
  const { strategy, budget, seed } = options;
  switch (strategy) {
    case 'random':
      return selectRandom({ poolSize: inputs.pool.size, budget, seed });
    case 'uncertainty':
      return selectByUncertainty({ probs: inputs.poolProbs, budget });
    case 'distribution-aware':
      return selectDistributionAware({
        detectors: inputs.detectors,
        idHeldOut: { features: inputs.idHeldOut },
        pool: { features: inputs.poolFeatures },
        poolProbs: inputs.poolProbs,
        budget,
        seed,
        ...(inputs.computeOptions === undefined ? {} : { computeOptions: inputs.computeOptions }),
      });
  }
}

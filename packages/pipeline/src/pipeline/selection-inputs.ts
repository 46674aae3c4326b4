/**
 * What every selection strategy reads from a stage-1 model, shared by `runPipeline` (computed once for the whole
 * comparison) and the single-step `selectRunFolder`: the pool's hidden features and grade probabilities, the
 * feature-space detectors (Mahalanobis, KNN) fitted on ID train, and the ID-validation features that calibrate
 * their percentiles.
 */
import type { ScorerParams } from '@gradeshift/core';
import type { Gemm } from '@gradeshift/core/math';

import { inferSplit } from '../stages/infer';
import type { PreparedData } from '../stages/prepare';
import { memoizeScores, type SelectionInputs } from '../stages/select-stage';
import { fitDetectors } from './evaluate-model';

/** The annotation budget as a fraction of the pool when none is given. */
export const DEFAULT_BUDGET_FRACTION = 0.02;

/** The annotation budget: `fraction` of the pool, at least one pair. */
export function selectionBudget(fraction: number, poolSize: number): number {
  return Math.max(1, Math.round(fraction * poolSize));
}

/**
 * The selection inputs of a stage-1 model.
 * @param data - the prepared splits
 * @param stage1 - the stage-1 weights
 * @param gemm - matrix products for the forward passes and detectors
 * @returns inputs for `runSelection` (detector scores memoised, so several seeds score the pool once)
 */
export async function selectionInputsOf(
  data: PreparedData,
  stage1: ScorerParams,
  gemm: Gemm,
): Promise<SelectionInputs> {
  const trainOut = await inferSplit(stage1, data.idTrain.frozen, { gemm });
  const valOut = await inferSplit(stage1, data.idValidation.frozen, { gemm });
  const poolOut = await inferSplit(stage1, data.pool.frozen, { gemm });
  const detectors = await fitDetectors(
    { features: trainOut.features, logits: trainOut.logits, labels: data.idTrain.labels },
    gemm,
  );
  return {
    pool: data.splits.pool,
    poolFeatures: poolOut.features,
    poolProbs: poolOut.probs,
    detectors: [memoizeScores(detectors.mahalanobis), memoizeScores(detectors.knn)],
    idHeldOut: valOut.features,
    computeOptions: { gemm },
  };
}

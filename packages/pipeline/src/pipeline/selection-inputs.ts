/**
 * What every selection strategy reads, shared by `runPipeline` (computed once for the whole comparison and the
 * budget curve) and the single-step `selectRunFolder`. Distribution-aware selection works in the content space
 * ("is this traffic new?"): the pool's pooled query / item directions for clustering and de-duplication, and
 * the three content scores (item surprisal, content Mahalanobis, content KNN), fitted on ID train and calibrated
 * on ID validation, for how far outside ID each pool pair lies. Uncertainty selection reads the stage-1 grade
 * probabilities. Nothing here reads a label.
 */
import type { ContentFeatures, ScorerParams } from '@gradeshift/core';
import type { Gemm } from '@gradeshift/core/math';
import { precomputedDetector, type DetectorKind } from '@gradeshift/ood';

import type { StrategyName } from '../contract/strategy-names';
import { inferSplit } from '../stages/infer';
import type { LossName } from '../stages/losses';
import type { PreparedData } from '../stages/prepare';
import type { ProgressSink } from '../stages/progress';
import type { SelectionInputs } from '../stages/select-stage';
import type { StageHyperparameters } from '../stages/train-stage';
import { FUSED_MEMBERS, fitContentDetectors, scoreContent } from './content-detectors';

/** The detector kind each content score is reported as in a pick's reason. */
const CONTENT_DETECTOR_KINDS: Readonly<Record<(typeof FUSED_MEMBERS)[number], DetectorKind>> = {
  surprisal: 'surprisal',
  content_mahalanobis: 'mahalanobis',
  content_knn: 'knn',
};

/**
 * What every run of the strategies from one stage-1 model reads (the strategy comparison and the budget curve):
 * the data, the stage-1 weights, the kernel, the strategies and stage 2's loss and hyperparameters.
 */
export interface StrategyRunsOptions {
  readonly data: PreparedData;
  /** Stage 1 as stored (the weights every step reads). */
  readonly stage1: ScorerParams;
  readonly gemm: Gemm;
  readonly strategies: readonly StrategyName[];
  readonly loss: LossName;
  readonly hyperparameters?: StageHyperparameters | undefined;
  readonly progress?: ProgressSink | undefined;
}

/** The annotation budget as a fraction of the pool when none is given. */
export const DEFAULT_BUDGET_FRACTION = 0.02;

/**
 * The annotation budget: `fraction` of the pool, at least one pair.
 * @throws RangeError for an empty pool or a fraction outside (0, 1]
 */
export function selectionBudget(fraction: number, poolSize: number): number {
  if (poolSize === 0)
    throw new RangeError(
      'the pool is empty: there is nothing to select (the shifted side has no pool queries)',
    );
  if (!(fraction > 0 && fraction <= 1))
    throw new RangeError(`the budget must be a fraction of the pool in (0, 1] (got ${fraction})`);
  return Math.max(1, Math.round(fraction * poolSize));
}

function contentOf(
  split: { content?: ContentFeatures | undefined },
  name: string,
): ContentFeatures {
  if (split.content === undefined)
    throw new RangeError(`the ${name} split has no content features; prepare it with prepareData`);
  return split.content;
}

/**
 * The selection inputs of a stage-1 model.
 * @param data - the prepared splits
 * @param stage1 - the stage-1 weights (the pool's grade probabilities for uncertainty selection)
 * @param gemm - matrix products for the forward pass and detectors
 * @returns inputs for `runSelection` (the content scores are computed once per run: every seed, strategy and the
 *   evaluation read the same scores)
 */
export async function selectionInputsOf(
  data: PreparedData,
  stage1: ScorerParams,
  gemm: Gemm,
): Promise<SelectionInputs> {
  const poolOut = await inferSplit(stage1, data.pool.frozen, { gemm });
  const pool = contentOf(data.pool, 'pool');
  const validation = contentOf(data.idValidation, 'ID validation');
  // The content scores of the pool and ID validation, computed once per run and shared with the evaluation.
  const content = await fitContentDetectors(data.idTrain, { gemm, seed: 0 });
  const poolScores = await scoreContent(content, data.pool, { gemm });
  const validationScores = await scoreContent(content, data.idValidation, { gemm });
  return {
    pool: data.splits.pool,
    poolFeatures: pool.content,
    poolProbs: poolOut.probs,
    detectors: FUSED_MEMBERS.map((name) =>
      precomputedDetector(
        CONTENT_DETECTOR_KINDS[name],
        new Map([
          [pool.content, poolScores[name]],
          [validation.content, validationScores[name]],
        ]),
      ),
    ),
    idHeldOut: validation.content,
    computeOptions: { gemm },
  };
}

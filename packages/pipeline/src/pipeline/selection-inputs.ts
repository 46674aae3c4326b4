/**
 * What every selection strategy reads, shared by `runPipeline` (computed once for the whole comparison and the
 * budget curve) and the single-step `selectRunFolder`. Distribution-aware selection works in the content space
 * ("is this traffic new?"): the pool's pooled query / item directions for clustering and de-duplication, and
 * the three content scores (item surprisal, content Mahalanobis, content KNN), fitted on ID train and calibrated
 * on ID validation, for how far outside ID each pool pair lies. Uncertainty selection reads the stage-1 grade
 * probabilities. Nothing here reads a label.
 */
import type { ContentFeatures, ScorerParams } from '@gradeshift/core';
import type { Gemm, MatrixLike } from '@gradeshift/core/math';
import type { OodDetector } from '@gradeshift/ood';

import { inferSplit } from '../stages/infer';
import type { PreparedData } from '../stages/prepare';
import { memoizeScores, type SelectionInputs } from '../stages/select-stage';
import { fitContentDetectors } from './content-detectors';

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

/**
 * The surprisal column of the content rows as a detector: scoring a content matrix returns the surprisal of the
 * split it belongs to (the splits are registered by their content matrix).
 */
function surprisalDetector(splits: readonly ContentFeatures[]): OodDetector {
  const byMatrix = new Map<MatrixLike, Float64Array>(
    splits.map((s) => [s.content, Float64Array.from(s.surprisal)]),
  );
  return {
    kind: 'surprisal',
    needs: 'features',
    toJSON: () => ({ kind: 'surprisal', version: 1 }),
    score(input) {
      const scores = input.features === undefined ? undefined : byMatrix.get(input.features);
      if (scores === undefined)
        return Promise.reject(new RangeError('surprisal scores only the registered content rows'));
      return Promise.resolve(scores);
    },
  };
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
 * @returns inputs for `runSelection` (detector scores memoised, so several seeds score the pool once)
 */
export async function selectionInputsOf(
  data: PreparedData,
  stage1: ScorerParams,
  gemm: Gemm,
): Promise<SelectionInputs> {
  const poolOut = await inferSplit(stage1, data.pool.frozen, { gemm });
  const pool = contentOf(data.pool, 'pool');
  const validation = contentOf(data.idValidation, 'ID validation');
  const content = await fitContentDetectors(data.idTrain, { gemm, seed: 0 });
  return {
    pool: data.splits.pool,
    poolFeatures: pool.content,
    poolProbs: poolOut.probs,
    detectors: [
      surprisalDetector([pool, validation]),
      memoizeScores(content.content_mahalanobis),
      memoizeScores(content.content_knn),
    ],
    idHeldOut: validation.content,
    computeOptions: { gemm },
  };
}

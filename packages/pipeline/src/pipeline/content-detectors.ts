/**
 * The content-space OOD scores of a run, beside the relevance-space detectors: the item's word surprisal (read
 * as it is: higher = less familiar words), the pair's topic-word surprisal (query and item words together, number
 * and unit words left out), a single-Gaussian Mahalanobis distance and a KNN distance on the pooled query / item
 * directions, and the fusion of the item surprisal, Mahalanobis and KNN (mean of ID percentiles; the pair
 * surprisal is not a member, so the fused score and the selection that reads the members are as before). All are fitted and calibrated on
 * ID data only: the Gaussian and the KNN bank on ID train, percentiles and thresholds on ID validation.
 */
import type { ContentFeatures, OodSpace } from '@gradeshift/core';
import { fuseScores, type Gemm } from '@gradeshift/core/math';
import {
  fitKnn,
  fitMahalanobis,
  fitPercentileCalibration,
  type KnnState,
  type MahalanobisDetector,
  type OodDetector,
} from '@gradeshift/ood';

/** Rows of ID train in the content KNN bank (the run's report and the bundle use the same bank). */
export const CONTENT_KNN_BANK = 4096;
/** k of the content KNN score. */
export const CONTENT_KNN_K = 10;

/** The content-space scores, and the fused score over them. */
export const CONTENT_SCORE_NAMES = [
  'surprisal',
  'pair_surprisal',
  'content_mahalanobis',
  'content_knn',
  'fused',
] as const;
export type ContentScoreName = (typeof CONTENT_SCORE_NAMES)[number];

/** The scores the fused score averages (by ID percentile). */
export const FUSED_MEMBERS = ['surprisal', 'content_mahalanobis', 'content_knn'] as const;

/** The space of each content score. */
export const CONTENT_SCORE_SPACES: Readonly<Record<ContentScoreName, OodSpace>> = {
  surprisal: 'content',
  pair_surprisal: 'content',
  content_mahalanobis: 'content',
  content_knn: 'content',
  fused: 'fused',
};

/** The fitted content detectors (surprisal and the fusion need no fitting). */
export interface ContentDetectors {
  readonly content_mahalanobis: MahalanobisDetector;
  readonly content_knn: OodDetector<KnnState>;
}

type Members = Record<(typeof FUSED_MEMBERS)[number], Float64Array>;

/**
 * Member scores by detectors, split object and kernel (its name: the same kind of kernel gives the same scores, a
 * float32 one slightly different ones than a float64 one): a split is scored once per fit and kernel, whichever
 * model is evaluated.
 */
const SCORED = new WeakMap<ContentDetectors, WeakMap<object, Map<string, Promise<Members>>>>();

function memberScores(
  detectors: ContentDetectors,
  split: { content?: ContentFeatures | undefined },
  gemm: Gemm | undefined,
): Promise<Members> {
  const bySplit = SCORED.get(detectors) ?? new WeakMap<object, Map<string, Promise<Members>>>();
  SCORED.set(detectors, bySplit);
  const byKernel = bySplit.get(split) ?? new Map<string, Promise<Members>>();
  bySplit.set(split, byKernel);
  const kernel = gemm?.name ?? 'js';
  const hit = byKernel.get(kernel);
  if (hit !== undefined) return hit;
  const scored = (async (): Promise<Members> => {
    const { content: features, surprisal } = contentOf(split, 'the split');
    const opts = gemm === undefined ? {} : { gemm };
    return {
      surprisal: Float64Array.from(surprisal),
      content_mahalanobis: Float64Array.from(
        await detectors.content_mahalanobis.score({ features }, opts),
      ),
      content_knn: Float64Array.from(await detectors.content_knn.score({ features }, opts)),
    };
  })();
  byKernel.set(kernel, scored);
  scored.catch(() => byKernel.delete(kernel));
  return scored;
}

function contentOf(
  split: { content?: ContentFeatures | undefined },
  what: string,
): ContentFeatures {
  if (split.content === undefined)
    throw new RangeError(`${what} has no content features; prepare it with prepareData`);
  return split.content;
}

/**
 * Fitted detectors by ID-train split and seed: the content space does not depend on the trained weights, so every
 * model of a run (main, ablation, selection) shares one fit and, through {@link scoreContent}, one scoring of each
 * split.
 */
const FITTED = new WeakMap<object, Map<number, Promise<ContentDetectors>>>();

/**
 * Fits the content detectors on the ID-train content rows, once per split object and seed (later calls share the
 * first fit).
 * @param train - the ID-train split (its `content`)
 * @param options - matrix products and the seed of the KNN bank draw
 */
export function fitContentDetectors(
  train: { content?: ContentFeatures | undefined },
  options: { gemm?: Gemm | undefined; seed?: number } = {},
): Promise<ContentDetectors> {
  const seed = options.seed ?? 0;
  const bySeed = FITTED.get(train) ?? new Map<number, Promise<ContentDetectors>>();
  FITTED.set(train, bySeed);
  const hit = bySeed.get(seed);
  if (hit !== undefined) return hit;
  const fit = fitOnce(train, { ...options, seed });
  bySeed.set(seed, fit);
  // A failed fit is not kept: the next call tries again.
  fit.catch(() => bySeed.delete(seed));
  return fit;
}

async function fitOnce(
  train: { content?: ContentFeatures | undefined },
  options: { gemm?: Gemm | undefined; seed: number },
): Promise<ContentDetectors> {
  const { content } = contentOf(train, 'the ID-train split');
  const opts = options.gemm === undefined ? {} : { gemm: options.gemm };
  // One Gaussian over all ID traffic: content has no grade structure to condition on.
  const labels = new Int32Array(content.rows);
  return {
    content_mahalanobis: await fitMahalanobis({ features: content, labels }, opts),
    content_knn: await fitKnn(
      { features: content },
      {
        k: CONTENT_KNN_K,
        sampleRatio: Math.min(1, CONTENT_KNN_BANK / content.rows),
        seed: options.seed,
        ...opts,
      },
    ),
  };
}

/**
 * Scores one split in the content space; `fused` places each member on the ID percentiles of `reference`
 * (the ID-validation scores) and averages them, or on the split's own scores when no reference is given
 * (the ID-validation split itself).
 */
export async function scoreContent(
  detectors: ContentDetectors,
  split: { content?: ContentFeatures | undefined },
  options: {
    gemm?: Gemm | undefined;
    reference?: Readonly<Record<ContentScoreName, Float64Array>> | undefined;
  } = {},
): Promise<Record<ContentScoreName, Float64Array>> {
  const members = await memberScores(detectors, split, options.gemm);
  const percentiles = FUSED_MEMBERS.map((name) =>
    fitPercentileCalibration(options.reference?.[name] ?? members[name]).percentiles(members[name]),
  );
  const fused = members.surprisal.length === 0 ? new Float64Array(0) : fuseScores(percentiles);
  const { pairSurprisal } = contentOf(split, 'the split');
  if (pairSurprisal === undefined)
    throw new RangeError('the split has no pair surprisal; prepare it with prepareData');
  return { ...members, pair_surprisal: Float64Array.from(pairSurprisal), fused };
}

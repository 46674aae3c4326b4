/**
 * `select` work: a pool scored through the served model, then one selection strategy from `@gradeshift/ood`
 * at the requested budget: distribution-aware (the bundle's OOD scores placed on the bundle's own held-out ID
 * calibration, k-means diversity, near-duplicate removal), random, or uncertainty (predictive entropy).
 * Each candidate comes with its reason.
 */
import type { MatrixLike } from '@gradeshift/core/math';
import {
  precomputedDetector,
  selectByUncertainty,
  selectDistributionAware,
  selectRandom,
  type DetectorKind,
  type SelectionResult,
} from '@gradeshift/ood';
import {
  loadPairs,
  type ColumnRef,
  type StrategyName,
  type UnlabeledPair,
} from '@gradeshift/pipeline';

import { limitMessage } from '../limits';
import type { ScorerModel } from '../models/model-kinds';
import { throwIfAborted, WorkInputError } from './dataset-source';
import type { WorkContext } from './job-work';
import { scorePool, type ScoredPool } from './score-pool';

/** Where a pool comes from. */
export type PoolSource =
  | {
      readonly kind: 'inline';
      readonly pairs: readonly { id?: string | undefined; query: string; item: string }[];
    }
  | {
      readonly kind: 'file';
      /** The real path, confined to the data folder. */
      readonly path: string;
      readonly given: string;
      readonly format?: 'csv' | 'jsonl' | undefined;
      readonly columns: { id?: ColumnRef | undefined; query: ColumnRef; item: ColumnRef };
    };

/** Selection strategies (the run contract's list). */
export type SelectStrategy = StrategyName;

/** What `select` was asked. */
export interface SelectRequest {
  readonly pool: PoolSource;
  readonly budget: number;
  readonly strategy: SelectStrategy;
  readonly seed: number;
  /** OOD scores fused by the distribution-aware strategy. @default the model's feature-space scores */
  readonly detectors?: readonly string[] | undefined;
  readonly minPercentile: number;
}

/** One picked pair. */
export interface Candidate {
  readonly rank: number;
  readonly poolIndex: number;
  readonly id: string;
  readonly query: string;
  readonly item: string;
  /** Why it was picked, in words. */
  readonly reason: string;
  /** The strategy's reason fields (percentiles, cluster, entropy…). */
  readonly details: Record<string, unknown>;
  readonly expected: number;
  readonly predicted: string;
  readonly ood: Record<string, { score: number; percentile: number }>;
}

/** What `select` produced. */
export interface SelectResult {
  readonly strategy: SelectStrategy;
  readonly budget: number;
  readonly poolSize: number;
  /** OOD scores the distribution-aware strategy fused (empty for the others). */
  readonly detectors: string[];
  readonly candidates: Candidate[];
  readonly stats: Record<string, unknown>;
  readonly seconds: number;
}

/** Manifest score names → detector kinds (for the reasons the ood package writes). */
const KINDS: Readonly<Record<string, DetectorKind>> = {
  mahalanobis: 'mahalanobis',
  relative_mahalanobis: 'relative-mahalanobis',
  knn: 'knn',
  energy: 'energy',
  msp: 'msp',
  max_logit: 'max-logit',
  surprisal: 'surprisal',
  pair_surprisal: 'surprisal',
  content_mahalanobis: 'mahalanobis',
  content_knn: 'knn',
};
/** OOD score names the distribution-aware strategy can fuse. */
export const SELECTABLE_DETECTORS: readonly string[] = Object.keys(KINDS);
/**
 * The default scores of distribution-aware selection: the content space ("is this traffic new?"), the three the
 * pipeline fuses (`pair_surprisal` only when a request names it); a bundle written before the content space falls
 * back to the hidden-feature scores.
 */
const CONTENT_SPACE = ['surprisal', 'content_mahalanobis', 'content_knn'];
const FEATURE_SPACE = ['mahalanobis', 'relative_mahalanobis', 'knn'];

function detectorNames(model: ScorerModel, wanted: readonly string[] | undefined): string[] {
  const available = Object.keys(model.manifest.ood);
  const content = available.filter((n) => CONTENT_SPACE.includes(n));
  const names =
    wanted ?? (content.length > 0 ? content : available.filter((n) => FEATURE_SPACE.includes(n)));
  const chosen = names.length > 0 ? names : available;
  for (const name of chosen) {
    if (!available.includes(name) || KINDS[name] === undefined)
      throw new WorkInputError(
        `detectors: "${name}" is not an OOD score of model ${model.id} (it has ${available.join(', ')})`,
      );
  }
  return [...chosen];
}

async function runStrategy(
  request: SelectRequest,
  context: { model: ScorerModel; scored: ScoredPool; budget: number; detectors: string[] },
): Promise<SelectionResult> {
  const { scored, budget, model, detectors } = context;
  const n = scored.expected.length;
  switch (request.strategy) {
    case 'random':
      return selectRandom({ poolSize: n, budget, seed: request.seed });
    case 'uncertainty':
      return selectByUncertainty({ probs: scored.probs, budget });
    case 'distribution-aware': {
      // The bundle already scored the pool; the held-out ID side is the bundle's own calibration sample, so the
      // ood package's percentiles equal the bundle's.
      const heldOut = { rows: 0, cols: 0, data: new Float64Array(0) };
      return selectDistributionAware({
        detectors: detectors.map((name) =>
          precomputedDetector(
            KINDS[name] ?? 'mahalanobis',
            new Map<MatrixLike, ArrayLike<number>>([
              [scored.features, scored.ood.get(name)?.score ?? new Float64Array(n)],
              [heldOut, model.manifest.ood[name]?.calibration.sorted ?? []],
            ]),
          ),
        ),
        idHeldOut: { features: heldOut },
        pool: { features: scored.features },
        poolProbs: scored.probs,
        budget,
        seed: request.seed,
        minPercentile: request.minPercentile,
      });
    }
  }
}

async function loadPool(
  source: PoolSource,
  maxFilePairs: number,
): Promise<readonly UnlabeledPair[]> {
  if (source.kind === 'inline')
    return source.pairs.map((p, i) => ({
      id: p.id ?? String(i + 1),
      query: p.query,
      item: p.item,
      line: i + 1,
    }));
  const { id, query, item } = source.columns;
  const file = await loadPairs(source.path, {
    label: source.given,
    columns: { query, item, ...(id === undefined ? {} : { id }) },
    ...(source.format === undefined ? {} : { format: source.format }),
    progressEvery: 5000,
    onProgress: (rows) => {
      if (rows > maxFilePairs)
        throw new WorkInputError(
          `pool.path has more than ${maxFilePairs} rows: ${limitMessage('maxFilePairs', maxFilePairs)}`,
        );
    },
  });
  return file.pairs;
}

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

/**
 * Creates the select work.
 * @param options - the file row limit
 */
export function createSelectWork(options: { maxFilePairs: number }) {
  return async (request: SelectRequest, context: WorkContext): Promise<SelectResult> => {
    const t0 = Date.now();
    const { model, job } = context;
    job.progress({ stage: 'reading' });
    const pairs = await loadPool(request.pool, options.maxFilePairs);
    throwIfAborted(job.signal);
    const detectors =
      request.strategy === 'distribution-aware' ? detectorNames(model, request.detectors) : [];
    const scored = await scorePool(model, {
      pairs,
      signal: job.signal,
      progress: (done, total) => job.progress({ stage: 'scoring', done, total }),
    });
    job.progress({ stage: 'selecting', message: request.strategy });
    const budget = Math.min(request.budget, pairs.length);
    const selection = await runStrategy(request, { model, scored, budget, detectors });
    const grades = model.manifest.grades.map((g) => g.name);
    const candidates = selection.picked.map((pick): Candidate => {
      const pair = pairs[pick.index];
      const { summary, ...details } = pick.reason as { summary: string } & Record<string, unknown>;
      const predictedIndex = scored.predicted[pick.index] ?? 0;
      return {
        rank: pick.rank,
        poolIndex: pick.index,
        id: pair?.id ?? String(pick.index),
        query: pair?.query ?? '',
        item: pair?.item ?? '',
        reason: summary,
        details,
        expected: round(scored.expected[pick.index] ?? 0),
        predicted: grades[predictedIndex] ?? String(predictedIndex),
        ood: Object.fromEntries(
          [...scored.ood].map(([name, o]) => [
            name,
            {
              score: round(o.score[pick.index] ?? 0),
              percentile: round(o.percentile[pick.index] ?? 0),
            },
          ]),
        ),
      };
    });
    return {
      strategy: request.strategy,
      budget: request.budget,
      poolSize: pairs.length,
      detectors,
      candidates,
      stats: {
        ...(selection.stats as unknown as Record<string, unknown>),
        ...(budget < request.budget ? { budgetClampedTo: budget } : {}),
      },
      seconds: (Date.now() - t0) / 1000,
    };
  };
}

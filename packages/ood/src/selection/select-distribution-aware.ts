import {
  assertFinite,
  assertFiniteNumber,
  assertInteger,
  assertMatrix,
  selectRows,
  type MatrixLike,
} from '@gradeshift/core/math';

import type { FuseMethod } from '@gradeshift/core/math';
import type { DetectorComputeOptions, DetectorInput, DetectorKind, OodDetector } from '../detector';
import { l2NormalizeRows } from '../knn/l2-normalize';
import { kmeans, kmeansWithGemm } from './kmeans';
import { predictiveEntropy } from './predictive-entropy';
import { pickRoundRobin } from './round-robin';
import { scorePool } from './score-pool';
import { assertBudget, type Selection, type SelectionReason } from './selection-result';

/** Options for {@link selectDistributionAware}. */
export interface SelectDistributionAwareOptions {
  /** Fitted detectors (higher score = more OOD); at least one. */
  detectors: readonly OodDetector[];
  /** Held-out ID data (not used to fit the detectors), to calibrate each detector's percentiles. */
  idHeldOut: DetectorInput;
  /** The unlabelled pool; `features` is required (clustering and de-duplication run on it). */
  pool: DetectorInput;
  /** Optional n × K grade probabilities of the pool; only reported (entropy per pick). */
  poolProbs?: MatrixLike;
  /** Number of rows to pick, in `[1, n]`. */
  budget: number;
  /** Seed of the k-means++ initialisation. */
  seed: number;
  /** Fused ID percentile a pool row needs to be a candidate. @default 0.95 */
  minPercentile?: number;
  /** How detector percentiles combine. @default 'mean' */
  fuse?: FuseMethod;
  /** Fraction of the highest-scoring candidates dropped as likely junk, `floor(f · candidates)` rows. @default 0.01 */
  dropTopFraction?: number;
  /** A candidate whose cosine to an already-picked row exceeds this is skipped. @default 0.95 */
  dedupeCosine?: number;
  /** Number of k-means clusters. @default ceil(budget / 10) */
  clusters?: number;
  /** Lloyd iterations of k-means. @default 10 */
  kmeansIterations?: number;
  /** Passed to every `detector.score` call (e.g. a faster `gemm`). */
  computeOptions?: DetectorComputeOptions;
}

/** Why a row was picked by the distribution-aware strategy. */
export interface DistributionAwareReason extends SelectionReason {
  /** Each detector's raw score and ID percentile for this row. */
  detectors: { kind: DetectorKind; score: number; percentile: number }[];
  /** Fused ID percentile. */
  fusedPercentile: number;
  /** k-means cluster of the row. */
  cluster: number;
  /** How many candidates that cluster holds. */
  clusterSize: number;
  /** Why the row was a candidate, e.g. `percentile 0.991 ≥ 0.95`. */
  passed: string;
  /** Predictive entropy (nats), when `poolProbs` was given. */
  entropy?: number;
}

/** Statistics of a distribution-aware selection. */
export interface DistributionAwareStats {
  poolSize: number;
  /** Detector kinds and state versions, for provenance. */
  detectors: { kind: DetectorKind; version: number }[];
  minPercentile: number;
  fuse: FuseMethod;
  seed: number;
  /** Pool rows with fused percentile ≥ `minPercentile`. */
  aboveThreshold: number;
  /** Highest-scoring candidates dropped as junk. */
  droppedTop: number;
  /** Rows below `minPercentile` added because too few candidates remained. */
  filled: number;
  /** Number of k-means clusters used. */
  clusters: number;
  /** Candidates per cluster. */
  clusterSizes: number[];
  /** Candidates skipped as near-duplicates. */
  skippedDuplicates: number;
  /** `budget − picked.length` (candidates ran out after de-duplication). */
  shortfall: number;
  /** Plain-language notes on fills and shortfalls. */
  notes: string[];
}

/** A distribution-aware selection. */
export type DistributionAwareSelection = Selection<
  'distribution-aware',
  DistributionAwareReason,
  DistributionAwareStats
>;

function assertOptions(o: SelectDistributionAwareOptions): { n: number; features: MatrixLike } {
  if (o.detectors.length === 0)
    throw new RangeError('detectors must hold at least one detector (got 0)');
  const features = o.pool.features;
  if (features === undefined)
    throw new TypeError('pool.features is required (clustering and de-duplication use it)');
  assertMatrix(features, 'pool.features');
  assertFinite(features.data, 'pool.features.data');
  const n = features.rows;
  assertBudget(o.budget, n);
  assertFiniteNumber(o.seed, 'seed');
  const { minPercentile = 0.95, dropTopFraction = 0.01, dedupeCosine = 0.95 } = o;
  if (!(minPercentile >= 0 && minPercentile <= 1))
    throw new RangeError(`minPercentile must be in [0, 1] (got ${minPercentile})`);
  if (!(dropTopFraction >= 0 && dropTopFraction < 1))
    throw new RangeError(`dropTopFraction must be in [0, 1) (got ${dropTopFraction})`);
  if (!(dedupeCosine >= -1 && dedupeCosine <= 1))
    throw new RangeError(`dedupeCosine must be in [-1, 1] (got ${dedupeCosine})`);
  if (o.clusters !== undefined) assertInteger(o.clusters, 'clusters', { min: 1 });
  if (o.poolProbs !== undefined && o.poolProbs.rows !== n) {
    throw new RangeError(
      `poolProbs and pool.features must have the same number of rows (got ${o.poolProbs.rows} and ${n})`,
    );
  }
  return { n, features };
}

/** Why pool row `index` was picked: each detector's score and percentile, the fused percentile, its cluster. */
function reasonOf(
  index: number,
  context: {
    readonly detectors: readonly OodDetector[];
    readonly scored: Awaited<ReturnType<typeof scorePool>>;
    readonly minPercentile: number;
    readonly cluster: { readonly id: number; readonly size: number };
    readonly entropy: number | undefined;
  },
): DistributionAwareReason {
  const { detectors, scored, minPercentile, cluster, entropy: h } = context;
  const u = scored.fused[index] ?? 0;
  const passed =
    u >= minPercentile
      ? `percentile ${u.toFixed(3)} ≥ ${minPercentile}`
      : `filled: percentile ${u.toFixed(3)} < ${minPercentile}`;
  return {
    detectors: detectors.map((d, j) => ({
      kind: d.kind,
      score: scored.raw[j]?.[index] ?? 0,
      percentile: scored.percentiles[j]?.[index] ?? 0,
    })),
    fusedPercentile: u,
    cluster: cluster.id,
    clusterSize: cluster.size,
    passed,
    summary: `${passed}; cluster ${cluster.id} (${cluster.size} candidates)${h === undefined ? '' : `; entropy ${h.toFixed(3)}`}`,
    ...(h === undefined ? {} : { entropy: h }),
  };
}

/**
 * Distribution-aware sample selection (DASA, methods §1.4, a documented reconstruction): pick up to `budget`
 * pool rows that the detectors place far outside the ID distribution, spread over distinct regions.
 *
 * 1. Score the held-out ID set and the pool with every detector; turn pool scores into ID percentiles
 *    (empirical CDF of the held-out scores) and fuse them (`mean` or `max`).
 * 2. Candidates: fused percentile ≥ `minPercentile` (the 95%-TPR operating point by default), ordered by
 *    fused percentile, ties by fused within-pool rank, then index. Drop the top `floor(dropTopFraction · m)`
 *    as junk. If fewer than `budget` remain, fill from the highest remaining fused percentiles (noted in stats).
 * 3. Seeded spherical k-means++ (cosine on L2-normalised features) over the candidates.
 * 4. Round-robin across clusters, best first, skipping near-duplicates (cosine > `dedupeCosine`).
 *
 * @param options - see {@link SelectDistributionAwareOptions}
 * @returns at most `budget` distinct rows with a reason each; deterministic per `seed`
 * @throws RangeError / TypeError on bad options (naming the argument and sizes); OodError `SHAPE_MISMATCH`
 *   when a detector returns the wrong number of scores
 * @see https://arxiv.org/abs/2412.12504 (DaRL)
 * @see https://theory.stanford.edu/~sergei/papers/kMeansPP-soda.pdf
 */
export async function selectDistributionAware(
  options: SelectDistributionAwareOptions,
): Promise<DistributionAwareSelection> {
  const { n, features } = assertOptions(options);
  const {
    detectors,
    budget,
    seed,
    minPercentile = 0.95,
    fuse = 'mean',
    dropTopFraction = 0.01,
    dedupeCosine = 0.95,
  } = options;
  const entropy =
    options.poolProbs === undefined ? undefined : predictiveEntropy(options.poolProbs);
  const scored = await scorePool({
    detectors,
    idHeldOut: options.idHeldOut,
    pool: options.pool,
    poolSize: n,
    fuse,
    ...(options.computeOptions === undefined ? {} : { computeOptions: options.computeOptions }),
  });
  const { order, fused } = scored;
  let above = 0;
  while (above < n && (fused[order[above] ?? 0] ?? 0) >= minPercentile) above++;
  const droppedTop = Math.floor(dropTopFraction * above);
  const kept = Array.from(order.subarray(droppedTop, above));
  const filled = Math.max(0, Math.min(budget - kept.length, n - above));
  kept.push(...order.subarray(above, above + filled));
  const notes: string[] = [];
  if (filled > 0) {
    notes.push(
      `only ${above - droppedTop} pool rows reach percentile ${minPercentile}; filled ${filled} from the highest remaining fused percentiles`,
    );
  }

  const candidateFeatures = selectRows(features, kept);
  const k = Math.min(options.clusters ?? Math.ceil(budget / 10), kept.length);
  const kmeansOptions = { k, seed, iterations: options.kmeansIterations ?? 10 };
  // With a kernel, each Lloyd assignment is one product (the same clusters up to rounding in near-ties).
  const gemm = options.computeOptions?.gemm;
  const clusters =
    gemm === undefined
      ? kmeans(candidateFeatures, kmeansOptions)
      : await kmeansWithGemm(candidateFeatures, { ...kmeansOptions, gemm });
  const rr = pickRoundRobin({
    count: kept.length,
    assignments: clusters.assignments,
    unit: l2NormalizeRows(candidateFeatures),
    budget,
    dedupeCosine,
  });
  if (rr.picked.length < budget) {
    notes.push(
      `picked ${rr.picked.length} of ${budget}: candidates ran out after skipping ${rr.skippedDuplicates} near-duplicates`,
    );
  }

  const picked = rr.picked.map((p, r) => {
    const index = kept[p] ?? 0;
    const cluster = clusters.assignments[p] ?? 0;
    const reason = reasonOf(index, {
      detectors,
      scored,
      minPercentile,
      cluster: { id: cluster, size: clusters.sizes[cluster] ?? 0 },
      entropy: entropy?.[index],
    });
    return { index, rank: r + 1, reason };
  });
  return {
    strategy: 'distribution-aware',
    budget,
    picked,
    stats: {
      poolSize: n,
      detectors: detectors.map((d) => ({ kind: d.kind, version: d.toJSON().version })),
      minPercentile,
      fuse,
      seed,
      aboveThreshold: above,
      droppedTop,
      filled,
      clusters: k,
      clusterSizes: Array.from(clusters.sizes),
      skippedDuplicates: rr.skippedDuplicates,
      shortfall: budget - picked.length,
      notes,
    },
  };
}

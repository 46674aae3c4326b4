/**
 * Seeded k-means (Lloyd's algorithm with k-means++ seeding) over sparse points with dense centroids, small
 * enough for clustering ~10⁴ query vectors. Squared distances use ‖x‖² − 2 x·c + ‖c‖², so each point costs
 * O(nnz) per centroid. An emptied cluster is re-seeded with the point farthest from its centroid.
 * @see Arthur & Vassilvitskii (2007), k-means++: the advantages of careful seeding
 * @see https://scikit-learn.org/stable/modules/clustering.html#k-means
 */
import { createRng, type Rng } from '@gradeshift/core/math';

import type { SparseVector } from './query-features';
import { SparseCentroids } from './sparse-centroids';

/** Options for {@link sparseKMeans}. */
export interface SparseKMeansOptions {
  /** Number of clusters, 1 ≤ k ≤ number of points. */
  k: number;
  /** Dimension of the points. */
  dims: number;
  /** PRNG seed for the k-means++ seeding. @default 0 */
  seed?: number;
  /** Lloyd iterations at most. @default 50 */
  maxIterations?: number;
}

/** The clustering. */
export interface SparseKMeansResult {
  /** Cluster of each point. */
  readonly assignments: Int32Array;
  /** Row-major k × dims centroids. */
  readonly centroids: Float64Array;
  readonly iterations: number;
  /** Sum of squared distances to the assigned centroids. */
  readonly inertia: number;
}

/**
 * Clusters sparse points.
 * @throws RangeError when k is not an integer in [1, n] or a point has an index ≥ dims
 */
export function sparseKMeans(
  points: readonly SparseVector[],
  options: SparseKMeansOptions,
): SparseKMeansResult {
  const { k, dims } = options;
  const n = points.length;
  if (!Number.isInteger(k) || k < 1 || k > n)
    throw new RangeError(`k must be an integer in [1, ${n}] (got ${k})`);
  for (const p of points) {
    for (const i of p.indices)
      if (i >= dims) throw new RangeError(`a point has index ${i} ≥ dims (${dims})`);
  }
  const model = new SparseCentroids(points, { k, dims });
  seedPlusPlus(model, { n, k, rng: createRng(options.seed ?? 0) });
  const assignments = new Int32Array(n).fill(-1);
  const d = new Float64Array(n);
  let iterations = 0;
  const maxIterations = options.maxIterations ?? 50;
  for (; iterations < maxIterations; iterations++) {
    if (model.assign(assignments, d) === 0) break;
    model.update(assignments, d);
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += model.dist(i, assignments[i] ?? 0);
  return { assignments, centroids: model.centroids, iterations, inertia };
}

/**
 * k-means++ seeding: the first seed uniformly, each next one drawn with probability proportional to its squared
 * distance to the nearest seed so far (uniformly again when every point sits on a seed).
 */
function seedPlusPlus(
  model: SparseCentroids,
  draw: { readonly n: number; readonly k: number; readonly rng: Rng },
): void {
  const { n, k, rng } = draw;
  const minD = new Float64Array(n).fill(Infinity);
  let next = rng.int(n);
  for (let c = 0; c < k; c++) {
    model.setToPoint(c, next);
    if (c === k - 1) break;
    let total = 0;
    for (let i = 0; i < n; i++) {
      minD[i] = Math.min(minD[i] ?? Infinity, model.dist(i, c));
      total += minD[i] ?? 0;
    }
    let r = rng.next() * total;
    next = 0;
    for (let i = 0; i < n; i++) {
      r -= minD[i] ?? 0;
      if (r < 0) {
        next = i;
        break;
      }
    }
    if (total === 0) next = rng.int(n);
  }
}

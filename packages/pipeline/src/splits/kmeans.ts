/**
 * Seeded k-means (Lloyd's algorithm with k-means++ seeding) over sparse points with dense centroids, small
 * enough for clustering ~10⁴ query vectors. Squared distances use ‖x‖² − 2 x·c + ‖c‖², so each point costs
 * O(nnz) per centroid. An emptied cluster is re-seeded with the point farthest from its centroid.
 * @see Arthur & Vassilvitskii (2007), k-means++: the advantages of careful seeding
 * @see https://scikit-learn.org/stable/modules/clustering.html#k-means
 */
import { createRng } from '@gradeshift/core/math';

import type { SparseVector } from './query-features';

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

function sqNorm(v: SparseVector): number {
  let s = 0;
  for (const x of v.values) s += x * x;
  return s;
}

function dotCentroid(v: SparseVector, centroids: Float64Array, offset: number): number {
  let s = 0;
  for (let j = 0; j < v.indices.length; j++)
    s += (v.values[j] ?? 0) * (centroids[offset + (v.indices[j] ?? 0)] ?? 0);
  return s;
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
  const rng = createRng(options.seed ?? 0);
  const xx = Float64Array.from(points, sqNorm);
  const centroids = new Float64Array(k * dims);
  const cc = new Float64Array(k);
  const setCentroid = (c: number, p: SparseVector): void => {
    centroids.fill(0, c * dims, (c + 1) * dims);
    p.indices.forEach((i, j) => (centroids[c * dims + i] = p.values[j] ?? 0));
    cc[c] = sqNorm(p);
  };
  const dist = (i: number, c: number): number => {
    const p = points[i];
    // clamp: cancellation in ‖x‖² − 2x·c + ‖c‖² can dip just below zero
    return p === undefined
      ? 0
      : Math.max(0, (xx[i] ?? 0) - 2 * dotCentroid(p, centroids, c * dims) + (cc[c] ?? 0));
  };

  // k-means++: each next seed is drawn with probability proportional to its squared distance to the nearest seed.
  const minD = new Float64Array(n).fill(Infinity);
  let next = rng.int(n);
  for (let c = 0; c < k; c++) {
    setCentroid(c, points[next] ?? { indices: new Uint32Array(0), values: new Float64Array(0) });
    if (c === k - 1) break;
    let total = 0;
    for (let i = 0; i < n; i++) {
      minD[i] = Math.min(minD[i] ?? Infinity, dist(i, c));
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

  const assignments = new Int32Array(n).fill(-1);
  const d = new Float64Array(n);
  let iterations = 0;
  const maxIterations = options.maxIterations ?? 50;
  for (; iterations < maxIterations; iterations++) {
    let changed = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const dc = dist(i, c);
        if (dc < bestD) {
          bestD = dc;
          best = c;
        }
      }
      d[i] = bestD;
      if (assignments[i] !== best) changed++;
      assignments[i] = best;
    }
    if (changed === 0) break;
    const counts = new Float64Array(k);
    centroids.fill(0);
    points.forEach((p, i) => {
      const c = assignments[i] ?? 0;
      counts[c] = (counts[c] ?? 0) + 1;
      p.indices.forEach(
        (idx, j) =>
          (centroids[c * dims + idx] = (centroids[c * dims + idx] ?? 0) + (p.values[j] ?? 0)),
      );
    });
    for (let c = 0; c < k; c++) {
      const m = counts[c] ?? 0;
      if (m === 0) {
        // re-seed an empty cluster with the point farthest from its centroid, and take it out of the search
        let far = 0;
        for (let i = 1; i < n; i++) if ((d[i] ?? 0) > (d[far] ?? 0)) far = i;
        setCentroid(c, points[far] ?? { indices: new Uint32Array(0), values: new Float64Array(0) });
        d[far] = 0;
        continue;
      }
      let s = 0;
      for (let j = c * dims; j < (c + 1) * dims; j++) {
        const v = (centroids[j] ?? 0) / m;
        centroids[j] = v;
        s += v * v;
      }
      cc[c] = s;
    }
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += dist(i, assignments[i] ?? 0);
  return { assignments, centroids, iterations, inertia };
}

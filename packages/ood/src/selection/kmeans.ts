import {
  assertFinite,
  assertInteger,
  assertMatrix,
  createMatrix,
  createRng,
  gemmSync,
  type Gemm,
  type Matrix,
  type MatrixLike,
} from '@gradeshift/core/math';

import { l2NormalizeRows } from '../knn/l2-normalize';

/** Options for {@link kmeans}. */
export interface KMeansOptions {
  /** Number of clusters; capped at the number of points. */
  k: number;
  /** PRNG seed of the k-means++ initialisation; the same seed gives the same clusters. */
  seed: number;
  /** Maximum Lloyd iterations (assignment + update). @default 10 */
  iterations?: number;
}

/** Result of {@link kmeans}. */
export interface KMeansResult {
  /** Cluster of each point, in `[0, k)`: the centroid of highest cosine (lowest index on ties). */
  assignments: Int32Array;
  /** k × d unit-norm centroids (an emptied cluster keeps its previous centroid). */
  centroids: Matrix;
  /** Number of points per cluster. */
  sizes: Int32Array;
  /** Lloyd iterations run. */
  iterations: number;
  /** Whether the assignments stopped changing before `iterations` ran out. */
  converged: boolean;
}

/** k-means++ seeding: the first centre uniformly, each next one with probability ∝ D², D = distance to the nearest centre. */
function seedCentres(x: Matrix, k: number, seed: number): Matrix {
  const { rows: n, cols: d } = x;
  const rng = createRng(seed);
  const centres = createMatrix(k, d);
  const d2 = new Float64Array(n).fill(Infinity);
  let c = rng.int(n);
  for (let j = 0; j < k; j++) {
    centres.data.set(x.data.subarray(c * d, (c + 1) * d), j * d);
    let total = 0;
    for (let i = 0; i < n; i++) {
      let dist = 0;
      for (let t = 0; t < d; t++) {
        const diff = (x.data[i * d + t] ?? 0) - (x.data[c * d + t] ?? 0);
        dist += diff * diff;
      }
      d2[i] = Math.min(d2[i] ?? Infinity, dist);
      total += d2[i] ?? 0;
    }
    if (j + 1 === k) break;
    if (total === 0) {
      // Every point coincides with a centre: any choice is equivalent (the cluster will stay empty).
      c = rng.int(n);
      continue;
    }
    let r = rng.next() * total;
    for (let i = 0; i < n; i++) {
      if ((d2[i] ?? 0) === 0) continue;
      // Rounding can leave r ≥ 0 after the walk; the last point with D > 0 is then the pick.
      c = i;
      r -= d2[i] ?? 0;
      if (r < 0) break;
    }
  }
  return centres;
}

/**
 * Assigns every point to its highest-cosine centroid (rows and centroids are unit-norm, so the products are the
 * cosines); returns how many assignments changed.
 */
function assign(x: Matrix, centroids: Matrix, assignments: Int32Array): number {
  return assignFromSimilarities(gemmSync(x, centroids, { transB: true }), assignments);
}

/** Assigns from an n × k similarity matrix (lowest index on ties); returns how many assignments changed. */
function assignFromSimilarities(sims: MatrixLike, assignments: Int32Array): number {
  const { rows: n, cols: k, data } = sims;
  let changed = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestSim = -Infinity;
    for (let j = 0; j < k; j++) {
      const sim = data[i * k + j] ?? -Infinity;
      if (sim > bestSim) {
        bestSim = sim;
        best = j;
      }
    }
    if (assignments[i] !== best) changed++;
    assignments[i] = best;
  }
  return changed;
}

/** Sets each centroid to the normalised mean of its members (an empty cluster or a zero mean keeps its centroid). */
function updateCentroids(x: Matrix, centroids: Matrix, assignments: Int32Array): void {
  const { rows: k } = centroids;
  const d = x.cols;
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  for (let i = 0; i < x.rows; i++) {
    const j = assignments[i] ?? 0;
    counts[j] = (counts[j] ?? 0) + 1;
    for (let t = 0; t < d; t++) sums[j * d + t] = (sums[j * d + t] ?? 0) + (x.data[i * d + t] ?? 0);
  }
  for (let j = 0; j < k; j++) {
    if (counts[j] === 0) continue;
    let norm = 0;
    for (let t = 0; t < d; t++) norm += (sums[j * d + t] ?? 0) ** 2;
    norm = Math.sqrt(norm);
    // A zero mean (antipodal members) keeps the previous direction instead of dividing by zero.
    if (norm === 0) continue;
    for (let t = 0; t < d; t++) centroids.data[j * d + t] = (sums[j * d + t] ?? 0) / norm;
  }
}

/** Checks the input and seeds the centres: the start both variants share. */
function start(
  points: MatrixLike,
  options: KMeansOptions,
): { x: Matrix; centroids: Matrix; assignments: Int32Array; iterations: number } {
  const { k: kRequested, seed, iterations = 10 } = options;
  assertMatrix(points, 'points');
  if (points.rows === 0) throw new RangeError('points must have at least one row (got 0)');
  assertFinite(points.data, 'points.data');
  assertInteger(kRequested, 'k', { min: 1 });
  assertInteger(iterations, 'iterations', { min: 1 });
  const x = l2NormalizeRows(points);
  const k = Math.min(kRequested, x.rows);
  const centroids = seedCentres(x, k, seed);
  return { x, centroids, assignments: new Int32Array(x.rows).fill(-1), iterations };
}

function result(
  state: { centroids: Matrix; assignments: Int32Array },
  run: number,
  converged: boolean,
): KMeansResult {
  const { centroids, assignments } = state;
  const sizes = new Int32Array(centroids.rows);
  for (const j of assignments) sizes[j] = (sizes[j] ?? 0) + 1;
  return { assignments, centroids, sizes, iterations: run, converged };
}

/**
 * {@link kmeans} with the assignment step's n × k cosines computed by a matrix-product kernel (one product per
 * Lloyd iteration instead of n·k dot products in a loop): the same algorithm, seeding and tie rule, so with a
 * float64 kernel the result is {@link kmeans}'s up to rounding in near-ties.
 * @param points - n × d features (not mutated; normalised internally)
 * @param options - see {@link KMeansOptions}, plus the kernel
 * @throws RangeError as {@link kmeans}
 */
export async function kmeansWithGemm(
  points: MatrixLike,
  options: KMeansOptions & { gemm: Gemm },
): Promise<KMeansResult> {
  const state = start(points, options);
  const { x, centroids, assignments } = state;
  let run = 0;
  let converged = false;
  const assignOnce = async () =>
    assignFromSimilarities(await options.gemm.gemm(x, centroids, { transB: true }), assignments);
  while (run < state.iterations) {
    run++;
    if ((await assignOnce()) === 0) {
      converged = true;
      break;
    }
    updateCentroids(x, centroids, assignments);
  }
  if (!converged) await assignOnce();
  return result(state, run, converged);
}

/**
 * Seeded spherical k-means: rows are L2-normalised, centres seeded with k-means++ (Arthur & Vassilvitskii
 * 2007), then Lloyd iterations that assign by cosine similarity and set each centroid to the normalised mean
 * of its members (Dhillon & Modha 2001). Deterministic for a given seed and input order.
 * @param points - n × d features (not mutated; normalised internally)
 * @param options - see {@link KMeansOptions}
 * @throws RangeError on an empty or non-finite matrix, `k < 1` or `iterations < 1`
 * @see https://theory.stanford.edu/~sergei/papers/kMeansPP-soda.pdf
 * @see https://doi.org/10.1023/A:1007612920971
 */
export function kmeans(points: MatrixLike, options: KMeansOptions): KMeansResult {
  const state = start(points, options);
  const { x, centroids, assignments } = state;
  let run = 0;
  let converged = false;
  while (run < state.iterations) {
    run++;
    if (assign(x, centroids, assignments) === 0) {
      converged = true;
      break;
    }
    updateCentroids(x, centroids, assignments);
  }
  // The last update moved the centroids: reassign so assignments and centroids agree.
  if (!converged) assign(x, centroids, assignments);
  return result(state, run, converged);
}

/**
 * Dense centroids over sparse points for k-means: squared distances as ‖x‖² − 2 x·c + ‖c‖² (O(nnz) per point
 * and centroid), nearest-centroid assignment, and the mean update that re-seeds an emptied cluster.
 */
import type { SparseVector } from './query-features';

const EMPTY: SparseVector = { indices: new Uint32Array(0), values: new Float64Array(0) };

/** ‖v‖². */
function sqNorm(v: SparseVector): number {
  let s = 0;
  for (const x of v.values) s += x * x;
  return s;
}

/** v · centroids[offset …]. */
function dotCentroid(v: SparseVector, centroids: Float64Array, offset: number): number {
  let s = 0;
  for (let j = 0; j < v.indices.length; j++)
    s += (v.values[j] ?? 0) * (centroids[offset + (v.indices[j] ?? 0)] ?? 0);
  return s;
}

/** k dense centroids of dimension `dims` over fixed sparse points. */
export class SparseCentroids {
  /** Row-major k × dims centroids. */
  readonly centroids: Float64Array;
  private readonly points: readonly SparseVector[];
  private readonly k: number;
  private readonly dims: number;
  /** ‖x‖² of each point. */
  private readonly xx: Float64Array;
  /** ‖c‖² of each centroid. */
  private readonly cc: Float64Array;

  constructor(
    points: readonly SparseVector[],
    shape: { readonly k: number; readonly dims: number },
  ) {
    this.points = points;
    this.k = shape.k;
    this.dims = shape.dims;
    this.xx = Float64Array.from(points, sqNorm);
    this.centroids = new Float64Array(shape.k * shape.dims);
    this.cc = new Float64Array(shape.k);
  }

  /** Sets centroid c to point i (the origin when there is no such point). */
  setToPoint(c: number, i: number): void {
    const { centroids, dims } = this;
    const p = this.points[i] ?? EMPTY;
    centroids.fill(0, c * dims, (c + 1) * dims);
    for (let j = 0; j < p.indices.length; j++)
      centroids[c * dims + (p.indices[j] ?? 0)] = p.values[j] ?? 0;
    this.cc[c] = sqNorm(p);
  }

  /** Squared distance of point i to centroid c. */
  dist(i: number, c: number): number {
    const p = this.points[i];
    // clamp: cancellation in ‖x‖² − 2x·c + ‖c‖² can dip just below zero
    return p === undefined
      ? 0
      : Math.max(
          0,
          (this.xx[i] ?? 0) - 2 * dotCentroid(p, this.centroids, c * this.dims) + (this.cc[c] ?? 0),
        );
  }

  /**
   * Assigns every point to its nearest centroid (ties to the lower index), writing the squared distance to `d`.
   * @returns how many assignments changed
   */
  assign(assignments: Int32Array, d: Float64Array): number {
    let changed = 0;
    for (let i = 0; i < this.points.length; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < this.k; c++) {
        const dc = this.dist(i, c);
        if (dc < bestD) {
          bestD = dc;
          best = c;
        }
      }
      d[i] = bestD;
      if (assignments[i] !== best) changed++;
      assignments[i] = best;
    }
    return changed;
  }

  /**
   * Moves each centroid to the mean of its points. An emptied cluster is re-seeded with the point farthest from
   * its centroid (by `d`), which is then taken out of the search (its `d` set to 0).
   */
  update(assignments: Int32Array, d: Float64Array): void {
    const { centroids, dims, k } = this;
    const counts = this.sumPoints(assignments);
    for (let c = 0; c < k; c++) {
      const m = counts[c] ?? 0;
      if (m === 0) {
        let far = 0;
        for (let i = 1; i < d.length; i++) if ((d[i] ?? 0) > (d[far] ?? 0)) far = i;
        this.setToPoint(c, far);
        d[far] = 0;
        continue;
      }
      let s = 0;
      for (let j = c * dims; j < (c + 1) * dims; j++) {
        const v = (centroids[j] ?? 0) / m;
        centroids[j] = v;
        s += v * v;
      }
      this.cc[c] = s;
    }
  }

  /** Sets each centroid to the sum of its points. @returns the points per cluster */
  private sumPoints(assignments: Int32Array): Float64Array {
    const { centroids, dims } = this;
    const counts = new Float64Array(this.k);
    centroids.fill(0);
    for (let i = 0; i < this.points.length; i++) {
      const p = this.points[i] ?? EMPTY;
      const c = assignments[i] ?? 0;
      counts[c] = (counts[c] ?? 0) + 1;
      for (let j = 0; j < p.indices.length; j++) {
        const at = c * dims + (p.indices[j] ?? 0);
        centroids[at] = (centroids[at] ?? 0) + (p.values[j] ?? 0);
      }
    }
    return counts;
  }
}

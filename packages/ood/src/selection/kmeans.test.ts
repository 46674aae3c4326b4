import { createRng, jsGemm, matrixFromRows } from '@gradeshift/core/math';
import { describe, expect, it } from 'vitest';

import { kmeans, kmeansWithGemm } from './kmeans';

/** Three well-separated directions in 3-D, 30 noisy points each, interleaved. */
function threeDirections(seed: number): { rows: number[][]; truth: number[] } {
  const rng = createRng(seed);
  const dirs = [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ];
  const rows: number[][] = [];
  const truth: number[] = [];
  for (let i = 0; i < 90; i++) {
    const c = i % 3;
    const scale = 1 + 4 * rng.next(); // cosine ignores the norm
    rows.push(dirs[c]!.map((v) => scale * (v + 0.1 * rng.normal())));
    truth.push(c);
  }
  return { rows, truth };
}

describe('kmeans', () => {
  it('recovers well-separated directions regardless of norms', () => {
    const { rows, truth } = threeDirections(1);
    const r = kmeans(matrixFromRows(rows), { k: 3, seed: 7 });
    expect(r.converged).toBe(true);
    expect(Array.from(r.sizes).sort()).toEqual([30, 30, 30]);
    // same partition as the truth, up to relabelling
    const map = new Map<number, number>();
    truth.forEach((t, i) => {
      const a = r.assignments[i]!;
      if (!map.has(t)) map.set(t, a);
      expect(map.get(t)).toBe(a);
    });
    // unit-norm centroids
    for (let j = 0; j < 3; j++) {
      const c = r.centroids.data.subarray(j * 3, j * 3 + 3);
      expect(Math.hypot(...c)).toBeCloseTo(1, 12);
    }
  });

  it('is deterministic per seed and does not mutate its input', () => {
    const { rows } = threeDirections(2);
    const m = matrixFromRows(rows);
    const before = Float64Array.from(m.data);
    const a = kmeans(m, { k: 5, seed: 11, iterations: 3 });
    const b = kmeans(m, { k: 5, seed: 11, iterations: 3 });
    expect(a).toEqual(b);
    expect(m.data).toEqual(before);
  });

  it('gives the same clusters with the assignment products on a kernel', async () => {
    const rng = createRng(3);
    const m = {
      rows: 300,
      cols: 24,
      data: Float64Array.from({ length: 300 * 24 }, () => rng.next() - 0.5),
    };
    const plain = kmeans(m, { k: 12, seed: 5, iterations: 8 });
    const kernel = await kmeansWithGemm(m, { k: 12, seed: 5, iterations: 8, gemm: jsGemm });
    expect(kernel.assignments).toEqual(plain.assignments);
    expect(kernel.iterations).toBe(plain.iterations);
    for (let i = 0; i < plain.centroids.data.length; i++)
      expect(kernel.centroids.data[i]).toBeCloseTo(plain.centroids.data[i] ?? 0, 12);
  });

  it('caps k at the number of points and copes with duplicate points', () => {
    const r = kmeans(
      matrixFromRows([
        [1, 0],
        [1, 0],
        [2, 0],
      ]),
      { k: 5, seed: 1 },
    );
    expect(r.centroids.rows).toBe(3);
    expect(r.sizes.reduce((a, s) => a + s, 0)).toBe(3);
    // all three points share one direction: they land in the same (lowest-index) cluster
    expect(new Set(r.assignments).size).toBe(1);
  });

  it('rejects bad input', () => {
    expect(() =>
      kmeans({ rows: 0, cols: 2, data: new Float64Array(0) }, { k: 1, seed: 1 }),
    ).toThrow('points must have at least one row (got 0)');
    expect(() =>
      kmeans({ rows: 1, cols: 2, data: Float64Array.from([1, Number.NaN]) }, { k: 1, seed: 1 }),
    ).toThrow('points.data[1] must be finite');
    expect(() =>
      kmeans({ rows: 1, cols: 2, data: Float64Array.from([1, 2, 3]) }, { k: 1, seed: 1 }),
    ).toThrow(RangeError);
    expect(() => kmeans(matrixFromRows([[1, 2]]), { k: 0, seed: 1 })).toThrow(
      'k must be an integer',
    );
  });
});

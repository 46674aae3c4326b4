import { describe, expect, it } from 'vitest';

import { sparseKMeans } from './kmeans';
import { fnv1a, hashedTrigrams, type SparseVector } from './query-features';

const dense = (v: SparseVector, dims: number): number[] => {
  const out = new Array<number>(dims).fill(0);
  v.indices.forEach((i, j) => (out[i] = v.values[j] ?? 0));
  return out;
};
const cosine = (a: SparseVector, b: SparseVector, dims: number): number => {
  const x = dense(a, dims);
  const y = dense(b, dims);
  return x.reduce((s, xi, i) => s + xi * (y[i] ?? 0), 0);
};

describe('hashedTrigrams', () => {
  it('hashes with 32-bit FNV-1a', () => {
    // FNV-1a test vectors: "" → 0x811c9dc5, "a" → 0xe40c292c, "foobar" → 0xbf9cf968
    expect([fnv1a(''), fnv1a('a'), fnv1a('foobar')]).toEqual([0x811c9dc5, 0xe40c292c, 0xbf9cf968]);
  });

  it('gives unit vectors whose trigram counts add up: " ab " has 2 trigrams', () => {
    const v = hashedTrigrams('ab', 1 << 20);
    expect(v.values.length).toBe(2);
    expect([...v.values]).toBeDeepCloseTo([Math.SQRT1_2, Math.SQRT1_2], { abs: 1e-12 });
    const w = hashedTrigrams('cordless drill 18v', 256);
    expect(w.values.reduce((s, x) => s + x * x, 0)).toBeCloseTo(1, 12);
    expect(hashedTrigrams('', 8).values.length).toBe(0);
  });

  it('keeps a misspelling closer to its word than to an unrelated query', () => {
    const dims = 4096;
    const [a, b, c] = ['dewalt drill', 'dewlat drill', 'garden hose'].map((q) =>
      hashedTrigrams(q, dims),
    );
    expect(cosine(a!, b!, dims)).toBeGreaterThan(0.5);
    expect(cosine(a!, c!, dims)).toBeLessThan(0.2);
  });
});

describe('sparseKMeans', () => {
  // Three well-separated groups of unit vectors on disjoint coordinates, with a little noise.
  const points: SparseVector[] = [];
  const truth: number[] = [];
  for (let g = 0; g < 3; g++) {
    for (let i = 0; i < 10; i++) {
      const a = 1;
      const b = 0.05 * ((i % 3) + 1);
      const n = Math.hypot(a, b);
      points.push({
        indices: Uint32Array.of(2 * g, 2 * g + 1),
        values: Float64Array.of(a / n, b / n),
      });
      truth.push(g);
    }
  }

  it('recovers separated clusters, deterministically under the seed', () => {
    const r = sparseKMeans(points, { k: 3, dims: 6, seed: 1 });
    for (let g = 0; g < 3; g++) {
      const labels = new Set(truth.flatMap((t, i) => (t === g ? [r.assignments[i]] : [])));
      expect(labels.size).toBe(1);
    }
    expect(new Set(r.assignments).size).toBe(3);
    expect(r.inertia).toBeLessThan(sparseKMeans(points, { k: 1, dims: 6, seed: 1 }).inertia / 100);
    expect(sparseKMeans(points, { k: 3, dims: 6, seed: 1 })).toEqual(r);
  });

  it('rejects k outside [1, n] and indices past dims', () => {
    expect(() => sparseKMeans(points, { k: 0, dims: 6 })).toThrow(RangeError);
    expect(() => sparseKMeans(points, { k: 31, dims: 6 })).toThrow(RangeError);
    expect(() => sparseKMeans(points, { k: 2, dims: 4 })).toThrow(/index 4/);
  });
});

import {
  createMatrix,
  createRng,
  matrixFromRows,
  shuffledIndices,
  type Matrix,
  type MatrixLike,
} from '@gradeshift/core/math';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { DetectorInput, OodDetector } from '../detector';
import { isOodError } from '../errors';
import {
  selectDistributionAware,
  type SelectDistributionAwareOptions,
} from './select-distribution-aware';
import { selectRandom } from './select-random';

const D = 6;

/** A test detector: Euclidean distance to the mean of its training rows (higher = more OOD). */
function centroidDetector(train: MatrixLike): OodDetector {
  const mu = new Float64Array(train.cols);
  for (let i = 0; i < train.rows; i++)
    for (let j = 0; j < train.cols; j++) mu[j]! += train.data[i * train.cols + j]! / train.rows;
  return {
    kind: 'mahalanobis',
    needs: 'features',
    score: (input: DetectorInput) => {
      const x = input.features!;
      return Promise.resolve(
        Float64Array.from({ length: x.rows }, (_, i) =>
          Math.hypot(...Array.from(mu, (m, j) => x.data[i * x.cols + j]! - m)),
        ),
      );
    },
    toJSON: () => ({ kind: 'mahalanobis', version: 1 }),
  };
}

/** A second test detector: 1 − cosine between the row and the training mean direction. */
function directionDetector(train: MatrixLike): OodDetector {
  const mu = new Float64Array(train.cols);
  for (let i = 0; i < train.rows; i++)
    for (let j = 0; j < train.cols; j++) mu[j]! += train.data[i * train.cols + j]!;
  const muNorm = Math.hypot(...mu);
  return {
    kind: 'knn',
    needs: 'features',
    score: (input: DetectorInput) => {
      const x = input.features!;
      return Promise.resolve(
        Float64Array.from({ length: x.rows }, (_, i) => {
          const row = x.data.subarray(i * x.cols, (i + 1) * x.cols);
          let dot = 0;
          for (let j = 0; j < x.cols; j++) dot += row[j]! * mu[j]!;
          return 1 - dot / (Math.hypot(...row) * muNorm);
        }),
      );
    },
    toJSON: () => ({ kind: 'knn', version: 3 }),
  };
}

function gaussianRows(
  n: number,
  centre: number[],
  sd: number,
  rng: ReturnType<typeof createRng>,
): number[][] {
  return Array.from({ length: n }, () => centre.map((c) => c + sd * rng.normal()));
}

/** ID around 4·e₁; the pool mixes fresh ID rows with a blob around 4·e₂, shuffled. */
function scenario(seed: number, sizes = { train: 400, heldOut: 400, poolId: 200, blob: 100 }) {
  const rng = createRng(seed);
  const idCentre = [4, 0, 0, 0, 0, 0];
  const blobCentre = [0, 4, 0, 0, 0, 0];
  const train = matrixFromRows(gaussianRows(sizes.train, idCentre, 1, rng));
  const heldOut = matrixFromRows(gaussianRows(sizes.heldOut, idCentre, 1, rng));
  const rows = [
    ...gaussianRows(sizes.poolId, idCentre, 1, rng),
    ...gaussianRows(sizes.blob, blobCentre, 1, rng),
  ];
  const perm = shuffledIndices(rows.length, rng);
  const pool = matrixFromRows(Array.from(perm, (p) => rows[p]!));
  const isBlob = Array.from(perm, (p) => p >= sizes.poolId);
  return {
    train,
    heldOut,
    pool,
    isBlob,
    detectors: [centroidDetector(train), directionDetector(train)],
  };
}

function baseOptions(
  s: ReturnType<typeof scenario>,
  budget: number,
  seed = 1,
): SelectDistributionAwareOptions {
  return {
    detectors: s.detectors,
    idHeldOut: { features: s.heldOut },
    pool: { features: s.pool },
    budget,
    seed,
  };
}

function cosine(m: Matrix, a: number, b: number): number {
  const ra = m.data.subarray(a * D, (a + 1) * D);
  const rb = m.data.subarray(b * D, (b + 1) * D);
  let dot = 0;
  for (let t = 0; t < D; t++) dot += ra[t]! * rb[t]!;
  return dot / (Math.hypot(...ra) * Math.hypot(...rb));
}

describe('selectDistributionAware', () => {
  it('picks mostly from the shifted blob, where random picks do not', async () => {
    const s = scenario(5);
    const budget = 40;
    const r = await selectDistributionAware(baseOptions(s, budget));
    const blobShare = r.picked.filter((p) => s.isBlob[p.index]).length / r.picked.length;
    const random = selectRandom({ poolSize: s.pool.rows, budget, seed: 1 });
    const randomShare = random.picked.filter((p) => s.isBlob[p.index]).length / budget;
    expect(r.picked).toHaveLength(budget);
    expect(blobShare).toBeGreaterThanOrEqual(0.75); // 0.875 here: 5 ID tail rows pass, as the 95% rule intends
    expect(randomShare).toBeLessThan(0.5);
    expect(r.stats.aboveThreshold).toBeGreaterThanOrEqual(100);
    expect(r.stats.clusters).toBe(4);
    expect(r.stats.detectors).toEqual([
      { kind: 'mahalanobis', version: 1 },
      { kind: 'knn', version: 3 },
    ]);
  });

  it('explains every pick with raw scores, percentiles, fused percentile and cluster', async () => {
    const s = scenario(6);
    const r = await selectDistributionAware({
      ...baseOptions(s, 12),
      poolProbs: matrixFromRows(Array.from({ length: s.pool.rows }, () => [0.5, 0.25, 0.25])),
    });
    const clusterSizes = r.stats.clusterSizes;
    for (const [i, p] of r.picked.entries()) {
      expect(p.rank).toBe(i + 1);
      const { reason } = p;
      expect(reason.detectors.map((d) => d.kind)).toEqual(['mahalanobis', 'knn']);
      expect(reason.fusedPercentile).toBeCloseTo(
        (reason.detectors[0]!.percentile + reason.detectors[1]!.percentile) / 2,
        15,
      );
      expect(reason.fusedPercentile).toBeGreaterThanOrEqual(0.95);
      expect(reason.passed).toBe(`percentile ${reason.fusedPercentile.toFixed(3)} ≥ 0.95`);
      expect(reason.clusterSize).toBe(clusterSizes[reason.cluster]);
      expect(reason.entropy).toBeCloseTo(1.0397207708399179, 14); // scipy.stats.entropy([0.5, 0.25, 0.25])
      expect(reason.summary).toContain(`cluster ${reason.cluster}`);
    }
  });

  it('is deterministic per seed, never exceeds the budget and never picks (near-)duplicates (property)', async () => {
    const s = scenario(7, { train: 200, heldOut: 200, poolId: 60, blob: 40 });
    // plant exact duplicates of the pool's first 10 rows, which the dedupe must never pick twice
    const pool = createMatrix(s.pool.rows + 10, D);
    pool.data.set(s.pool.data);
    pool.data.set(s.pool.data.subarray(0, 10 * D), s.pool.rows * D);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 1000 }),
        async (budget, seed) => {
          const options: SelectDistributionAwareOptions = {
            ...baseOptions(s, budget, seed),
            pool: { features: pool },
          };
          const a = await selectDistributionAware(options);
          expect(await selectDistributionAware(options)).toEqual(a);
          expect(a.picked.length).toBeLessThanOrEqual(budget);
          expect(a.picked.length + a.stats.shortfall).toBe(budget);
          const idx = a.picked.map((p) => p.index);
          expect(new Set(idx).size).toBe(idx.length);
          for (let i = 0; i < idx.length; i++) {
            for (let j = 0; j < i; j++)
              expect(cosine(pool, idx[i]!, idx[j]!)).toBeLessThanOrEqual(0.95 + 1e-12);
          }
        },
      ),
      { seed: 42, numRuns: 25 },
    );
  });

  it('fills from the highest remaining percentiles when too few rows pass, and says so', async () => {
    const s = scenario(8, { train: 300, heldOut: 300, poolId: 100, blob: 0 });
    const r = await selectDistributionAware({ ...baseOptions(s, 30), dedupeCosine: 1 });
    expect(r.stats.aboveThreshold).toBeLessThan(30);
    expect(r.stats.filled).toBe(30 - r.stats.aboveThreshold + r.stats.droppedTop);
    expect(r.stats.notes[0]).toMatch(/^only \d+ pool rows reach percentile 0.95; filled \d+ /);
    expect(r.picked).toHaveLength(30);
    expect(r.picked.some((p) => p.reason.passed.startsWith('filled: percentile'))).toBe(true);
  });

  it('drops the top fraction of candidates as junk', async () => {
    const s = scenario(9);
    // one cluster and no de-duplication: picks follow the candidate order exactly
    const plain = { ...baseOptions(s, 10), clusters: 1, dedupeCosine: 1 };
    const r = await selectDistributionAware({ ...plain, dropTopFraction: 0.2 });
    const dropped = Math.floor(0.2 * r.stats.aboveThreshold);
    expect(r.stats.droppedTop).toBe(dropped);
    expect(dropped).toBeGreaterThan(0);
    const all = await selectDistributionAware({
      ...plain,
      budget: dropped + 10,
      dropTopFraction: 0,
    });
    expect(all.stats.droppedTop).toBe(0);
    expect(r.picked.map((p) => p.index)).toEqual(all.picked.slice(dropped).map((p) => p.index));
    // the candidate order is by fused percentile, highest first
    const u = all.picked.map((p) => p.reason.fusedPercentile);
    expect(u).toEqual([...u].sort((a, b) => b - a));
  });

  it('rejects bad input naming the argument and sizes', async () => {
    const s = scenario(10, { train: 50, heldOut: 50, poolId: 20, blob: 5 });
    const o = baseOptions(s, 5);
    await expect(selectDistributionAware({ ...o, budget: 26 })).rejects.toThrow(
      '(got budget 26 and pool size 25)',
    );
    await expect(selectDistributionAware({ ...o, detectors: [] })).rejects.toThrow(
      'detectors must hold at least one detector (got 0)',
    );
    await expect(selectDistributionAware({ ...o, pool: {} })).rejects.toThrow(TypeError);
    await expect(selectDistributionAware({ ...o, poolProbs: createMatrix(24, 3) })).rejects.toThrow(
      'poolProbs and pool.features must have the same number of rows (got 24 and 25)',
    );
    const nan = createMatrix(25, D);
    nan.data[7] = Number.NaN;
    await expect(selectDistributionAware({ ...o, pool: { features: nan } })).rejects.toThrow(
      'pool.features.data[7] must be finite',
    );
    await expect(selectDistributionAware({ ...o, minPercentile: 1.5 })).rejects.toThrow(
      'minPercentile must be in [0, 1] (got 1.5)',
    );
    await expect(selectDistributionAware({ ...o, dropTopFraction: 1 })).rejects.toThrow(
      'dropTopFraction must be in [0, 1)',
    );
    const short: OodDetector = {
      ...s.detectors[0]!,
      score: () => Promise.resolve(new Float64Array(3)),
    };
    const err: unknown = await selectDistributionAware({ ...o, detectors: [short] }).catch(
      (e: unknown) => e,
    );
    expect(isOodError(err, 'SHAPE_MISMATCH')).toBe(true);
  });
});

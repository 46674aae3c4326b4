import { averageRanks } from '@gradeshift/core/math';

import { fitPercentileCalibration } from '../calibration/percentile-calibration';
import { fuseScores, type FuseMethod } from '@gradeshift/core/math';
import type { DetectorComputeOptions, DetectorInput, OodDetector } from '../detector';
import { OodError } from '../errors';

/** Input of {@link scorePool}. @internal */
export interface ScorePoolOptions {
  detectors: readonly OodDetector[];
  idHeldOut: DetectorInput;
  pool: DetectorInput;
  poolSize: number;
  fuse: FuseMethod;
  computeOptions?: DetectorComputeOptions;
}

/** Every detector's view of the pool, and the pool ordered from most to least OOD. @internal */
export interface ScoredPool {
  /** Raw score of each detector, per pool row. */
  raw: Float64Array[];
  /** ID percentile of each detector, per pool row. */
  percentiles: Float64Array[];
  /** Fused ID percentile per pool row. */
  fused: Float64Array;
  /** Pool rows by fused percentile (desc), then fused within-pool rank (desc), then index (asc). */
  order: Uint32Array;
}

/**
 * Scores the held-out ID set and the pool with every detector, calibrates each detector on its held-out ID
 * scores and fuses the pool's ID percentiles. Percentiles saturate at 1 beyond the held-out maximum, so
 * ties in the fused percentile are broken by the fused within-pool rank of the raw scores (average ranks / n).
 * @throws OodError `SHAPE_MISMATCH` when a detector returns the wrong number of scores
 * @internal
 */
export async function scorePool(options: ScorePoolOptions): Promise<ScoredPool> {
  const { detectors, idHeldOut, pool, poolSize, fuse, computeOptions } = options;
  const raw: Float64Array[] = [];
  const percentiles: Float64Array[] = [];
  const poolRanks: Float64Array[] = [];
  for (const [j, detector] of detectors.entries()) {
    const idScores = await detector.score(idHeldOut, computeOptions);
    const poolScores = await detector.score(pool, computeOptions);
    if (poolScores.length !== poolSize) {
      throw new OodError(
        'SHAPE_MISMATCH',
        `detectors[${j}] (${detector.kind}) returned ${poolScores.length} pool scores for ${poolSize} pool rows`,
      );
    }
    percentiles.push(fitPercentileCalibration(idScores).percentiles(poolScores));
    raw.push(poolScores);
    poolRanks.push(averageRanks(poolScores).map((r) => r / poolSize));
  }
  const fused = fuseScores(percentiles, { method: fuse });
  const tieBreak = fuseScores(poolRanks, { method: fuse });
  const order = Uint32Array.from({ length: poolSize }, (_, i) => i).sort(
    (a, b) => (fused[b] ?? 0) - (fused[a] ?? 0) || (tieBreak[b] ?? 0) - (tieBreak[a] ?? 0) || a - b,
  );
  return { raw, percentiles, fused, order };
}

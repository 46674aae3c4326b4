/**
 * One OOD score entry of a bundle manifest, calibrated on held-out ID scores with `@gradeshift/ood`: the ECDF
 * (for ID percentiles) and the threshold that keeps a target fraction of ID pairs (95% TPR by default).
 */
import type { BundleOodScore, BundleOodSource, OodSpace } from '@gradeshift/core';
import { fitPercentileCalibration, thresholdAtTpr } from '@gradeshift/ood';

/** Options for {@link calibrateOodScore}. */
export interface CalibrateOodScoreOptions {
  /** Where the score comes from (a graph output such as `ood_mahalanobis`, or a detector state). */
  source: BundleOodSource;
  /** The representation the score reads. @default 'relevance' */
  space?: OodSpace;
  /** The score on held-out ID pairs (not the pairs the detector was fitted on). */
  heldOutIdScores: ArrayLike<number>;
  /** Fraction of ID pairs the threshold keeps. @default 0.95 */
  tpr?: number;
  /** Detector settings recorded for reports (e.g. `{ normalize: true, normEpsilon: 1e-10 }`). @default {} */
  settings?: Readonly<Record<string, number | string | boolean>>;
}

/**
 * Calibrates one OOD score for the manifest.
 * @param options - source, held-out ID scores, TPR and settings
 * @returns the manifest entry: source, settings, percentile calibration and threshold
 * @throws RangeError for no held-out scores, a non-finite score or a TPR outside (0, 1]
 * @example calibrateOodScore({ source: { kind: 'graph', output: 'ood_energy' }, heldOutIdScores: energies })
 * @see https://arxiv.org/abs/1807.03888 (Lee et al. 2018: thresholds at 95% TPR of in-distribution data)
 */
export function calibrateOodScore(options: CalibrateOodScoreOptions): BundleOodScore {
  const { source, heldOutIdScores, tpr = 0.95, settings = {}, space = 'relevance' } = options;
  const calibration = fitPercentileCalibration(heldOutIdScores).toJSON();
  return {
    source,
    space,
    settings: { ...settings },
    calibration: {
      kind: calibration.kind,
      version: calibration.version,
      sorted: [...calibration.sorted],
    },
    threshold: { tpr, value: thresholdAtTpr(heldOutIdScores, tpr) },
  };
}

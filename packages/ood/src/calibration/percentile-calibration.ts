import { assertFinite, assertFiniteNumber, assertNonEmpty, rightEcdf } from '@gradeshift/core/math';

import { OodError } from '../errors';

/** Format version of {@link PercentileCalibrationState}; {@link loadPercentileCalibration} refuses others. */
export const PERCENTILE_CALIBRATION_VERSION = 1;

/** JSON state of a percentile calibration: the held-out ID scores, sorted ascending. */
export interface PercentileCalibrationState {
  readonly kind: 'percentile-calibration';
  readonly version: typeof PERCENTILE_CALIBRATION_VERSION;
  /** Held-out ID scores, ascending (a copy; the input is not kept). */
  readonly sorted: readonly number[];
}

/** The empirical CDF of one detector's scores on held-out ID data. */
export interface PercentileCalibration {
  /** Number of held-out ID scores. */
  readonly size: number;
  /**
   * ID percentile of `score`: the fraction of held-out ID scores `≤ score`, in [0, 1]. Held-out scores tied
   * with `score` count as below it (the right-continuous ECDF, `searchsorted(side='right') / n`), so the
   * largest held-out score maps to exactly 1 and anything beyond it stays at 1.
   */
  percentile(score: number): number;
  /** {@link PercentileCalibration.percentile} of every score. */
  percentiles(scores: ArrayLike<number>): Float64Array;
  /** The JSON state. */
  toJSON(): PercentileCalibrationState;
}

function createCalibration(sorted: Float64Array): PercentileCalibration {
  const n = sorted.length;
  const percentile = (score: number): number => {
    assertFiniteNumber(score, 'score');
    return rightEcdf(sorted, score);
  };
  return {
    size: n,
    percentile,
    percentiles(scores: ArrayLike<number>): Float64Array {
      assertFinite(scores, 'scores');
      return Float64Array.from({ length: scores.length }, (_, i) =>
        rightEcdf(sorted, scores[i] ?? 0),
      );
    },
    toJSON: () => ({
      kind: 'percentile-calibration',
      version: PERCENTILE_CALIBRATION_VERSION,
      sorted: Array.from(sorted),
    }),
  };
}

/**
 * Fits the empirical CDF `F̂_ID(s)` of a detector's scores on held-out ID data, used to turn raw scores of
 * different detectors into comparable ID percentiles (DASA step 4, methods §1.4).
 * @param heldOutIdScores - scores of held-out ID samples (higher = more OOD); copied and sorted
 * @throws RangeError on an empty array or a non-finite score
 * @example fitPercentileCalibration([1, 2, 2, 4]).percentile(2) // 0.75
 * @see https://en.wikipedia.org/wiki/Empirical_distribution_function
 */
export function fitPercentileCalibration(
  heldOutIdScores: ArrayLike<number>,
): PercentileCalibration {
  assertNonEmpty(heldOutIdScores, 'heldOutIdScores');
  assertFinite(heldOutIdScores, 'heldOutIdScores');
  return createCalibration(Float64Array.from(heldOutIdScores).sort());
}

/**
 * Restores a calibration from its JSON state.
 * @throws OodError `VERSION_MISMATCH` for another version, `INVALID_STATE` for a malformed or unsorted state
 */
export function loadPercentileCalibration(
  state: PercentileCalibrationState,
): PercentileCalibration {
  if ((state as { kind?: unknown }).kind !== 'percentile-calibration') {
    throw new OodError(
      'INVALID_STATE',
      `expected a percentile-calibration state (got kind ${String(state.kind)})`,
    );
  }
  const version: unknown = state.version;
  if (version !== PERCENTILE_CALIBRATION_VERSION) {
    throw new OodError(
      'VERSION_MISMATCH',
      `percentile-calibration state version ${String(version)} is not supported (expected ${PERCENTILE_CALIBRATION_VERSION})`,
    );
  }
  const values: unknown = state.sorted;
  if (!Array.isArray(values) || values.length === 0) {
    throw new OodError(
      'INVALID_STATE',
      'percentile-calibration state needs a non-empty sorted array',
    );
  }
  const sorted = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v: unknown = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v) || (i > 0 && v < (sorted[i - 1] ?? 0))) {
      throw new OodError(
        'INVALID_STATE',
        `percentile-calibration state sorted[${i}] is not a finite ascending number`,
      );
    }
    sorted[i] = v;
  }
  return createCalibration(sorted);
}

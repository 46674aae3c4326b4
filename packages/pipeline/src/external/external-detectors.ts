/**
 * The OOD scores of an external-predictions evaluation, fitted on the reference file's fitting half and
 * calibrated on its calibration half: MSP always; energy and max-logit when the files give logits (on
 * probabilities they would be constant); Mahalanobis and KNN on the embeddings when the files have them.
 */
import type { Gemm, Matrix } from '@gradeshift/core/math';
import {
  evaluateOod,
  fitEnergy,
  fitKnn,
  fitMahalanobis,
  fitMaxLogit,
  fitMsp,
  fitPercentileCalibration,
  flagOod,
  thresholdAtTpr,
  type DetectorInput,
  type OodDetector,
  type OodEvaluation,
} from '@gradeshift/ood';

import type { ReferenceHalves } from './split-reference';

/** KNN's k unless the fitting half is smaller. */
export const EXTERNAL_KNN_K = 50;

/** Model outputs of one file as the detectors read them. */
export interface ExternalOutputs {
  /** n × K logits (log-probabilities when the file gives probabilities). */
  readonly logits: Matrix;
  /** n × width embeddings, or null. */
  readonly embeddings: Matrix | null;
  /** Integer grades. */
  readonly labels: Int32Array;
}

/** One OOD score on the evaluated file. */
export interface ExternalScore {
  readonly score: Float64Array;
  readonly percentile: Float64Array;
  readonly flag: Uint8Array;
  readonly threshold: number;
  /** The reference's calibration half (ID) against the evaluated file. */
  readonly detection: OodEvaluation;
}

/** The rows `rows` of a matrix, copied. */
export function pickRows(m: Matrix, rows: readonly number[]): Matrix {
  const data = new Float64Array(rows.length * m.cols);
  rows.forEach((r, i) => data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols));
  return { rows: rows.length, cols: m.cols, data };
}

/** Fits every detector the files allow on the reference's fitting half. */
async function fitAll(
  fit: ExternalOutputs,
  options: { logitsGiven: boolean; gemm?: Gemm | undefined },
): Promise<{ detectors: Map<string, OodDetector>; knnK: number | null }> {
  const detectors = new Map<string, OodDetector>();
  const opts = options.gemm === undefined ? {} : { gemm: options.gemm };
  let knnK: number | null = null;
  if (fit.embeddings !== null) {
    try {
      detectors.set(
        'mahalanobis',
        await fitMahalanobis(
          { features: fit.embeddings, labels: fit.labels },
          { ...opts, numClasses: fit.logits.cols },
        ),
      );
    } catch (error) {
      throw new RangeError(
        `Mahalanobis cannot be fitted on the reference's fitting half (${fit.labels.length} pairs): ${error instanceof Error ? error.message : String(error)}; give a reference file with every grade present in many queries`,
        { cause: error },
      );
    }
    knnK = Math.min(EXTERNAL_KNN_K, fit.embeddings.rows);
    detectors.set('knn', await fitKnn({ features: fit.embeddings }, { ...opts, k: knnK }));
  }
  if (options.logitsGiven) {
    detectors.set('energy', await fitEnergy({ logits: fit.logits }));
    detectors.set('max_logit', await fitMaxLogit({ logits: fit.logits }));
  }
  detectors.set('msp', await fitMsp({ logits: fit.logits }));
  return { detectors, knnK };
}

const inputOf = (d: OodDetector, o: ExternalOutputs): DetectorInput =>
  d.needs !== 'features'
    ? { logits: o.logits }
    : o.embeddings === null
      ? {}
      : { features: o.embeddings };

/** A detector fitted on the reference's fitting half, with its scores on the calibration half. */
export interface FittedExternalScore {
  readonly detector: OodDetector;
  /** The detector's scores on the reference's calibration half (ID): its percentiles and threshold. */
  readonly calibration: Float64Array;
  /** Flag as OOD above this: keeps 95% of the calibration half (`thresholdAtTpr`). */
  readonly threshold: number;
}

/**
 * Fits every detector the reference allows on its fitting half and scores its calibration half with each.
 * @returns each fitted score by name, and KNN's k (null without embeddings)
 * @throws RangeError when Mahalanobis cannot be fitted on the fitting half
 */
export async function fitExternalDetectors(
  reference: ExternalOutputs,
  halves: ReferenceHalves,
  options: { logitsGiven: boolean; gemm?: Gemm | undefined },
): Promise<{ fitted: Map<string, FittedExternalScore>; knnK: number | null }> {
  const half = (rows: readonly number[]): ExternalOutputs => ({
    logits: pickRows(reference.logits, rows),
    embeddings: reference.embeddings === null ? null : pickRows(reference.embeddings, rows),
    labels: Int32Array.from(rows, (r) => reference.labels[r] ?? 0),
  });
  const { detectors, knnK } = await fitAll(half(halves.fit), options);
  const calibrationHalf = half(halves.calibration);
  const opts = options.gemm === undefined ? {} : { gemm: options.gemm };
  const fitted = new Map<string, FittedExternalScore>();
  for (const [name, detector] of detectors) {
    const calibration = await detector.score(inputOf(detector, calibrationHalf), opts);
    fitted.set(name, { detector, calibration, threshold: thresholdAtTpr(calibration, 0.95) });
  }
  return { fitted, knnK };
}

/**
 * Scores the evaluated file with detectors fitted by {@link fitExternalDetectors}: flags at their thresholds, ID
 * percentiles on the calibration half, and the calibration half against the evaluated file.
 * @returns each score by name
 */
export async function scoreExternal(
  fitted: ReadonlyMap<string, FittedExternalScore>,
  evaluated: ExternalOutputs,
  options: { gemm?: Gemm | undefined },
): Promise<Map<string, ExternalScore>> {
  const opts = options.gemm === undefined ? {} : { gemm: options.gemm };
  const scores = new Map<string, ExternalScore>();
  for (const [name, { detector, calibration: id, threshold }] of fitted) {
    const score = await detector.score(inputOf(detector, evaluated), opts);
    scores.set(name, {
      score,
      percentile: fitPercentileCalibration(id).percentiles(score),
      flag: flagOod(score, threshold),
      threshold,
      detection: evaluateOod({ idScores: id, oodScores: score, tpr: 0.95 }),
    });
  }
  return scores;
}

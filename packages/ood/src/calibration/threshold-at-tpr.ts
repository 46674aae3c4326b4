import { assertFinite, assertFiniteNumber, assertNonEmpty } from '@gradeshift/core/math';

/**
 * How many of `n` ID samples a threshold at true-positive rate `tpr` keeps: `ceil(tpr · n)`, the smallest
 * count whose kept fraction is ≥ `tpr`. The product is snapped to the nearest integer when within 1e-9, so
 * binary noise (`0.55 · 100 = 55.00000000000001`) does not add one sample.
 * @internal
 */
export function idKeepCount(n: number, tpr: number): number {
  const x = tpr * n;
  const r = Math.round(x);
  return Math.max(1, Math.abs(x - r) < 1e-9 ? r : Math.ceil(x));
}

/** Throws unless `tpr ∈ (0, 1]`. @internal */
export function assertTpr(tpr: number): void {
  assertFiniteNumber(tpr, 'tpr');
  if (!(tpr > 0 && tpr <= 1)) throw new RangeError(`tpr must be in (0, 1] (got ${tpr})`);
}

/**
 * The OOD-score threshold at a target true-positive rate, ID being the positive class (the convention of
 * Lee et al. 2018, Sun et al. 2022 and OpenOOD): a sample is **flagged OOD when `score > threshold`** and kept
 * as ID otherwise, and the threshold keeps at least `tpr` of the ID samples.
 *
 * Rank rule: with the ID scores sorted ascending `s₍₁₎ ≤ … ≤ s₍ₙ₎`, `threshold = s₍ₘ₎` with `m = ceil(tpr · n)`.
 * Every ID score tied with the threshold is kept too, so the kept fraction is ≥ `tpr` (exactly `m / n`
 * without ties). In confidence terms (−score, ascending) this is the KNN code's
 * `sorted_known[round(0.05·n)]` and OpenOOD's `sort(ind)[-floor(0.95·n)]` whenever `0.05·n` is an integer;
 * for other `n` those keep `n − round(0.05·n)` or `floor(0.95·n)` samples, which can fall just under 95%.
 *
 * @param idScores - held-out ID scores (higher = more OOD)
 * @param tpr - fraction of ID samples to keep, in (0, 1] @default 0.95
 * @returns the score threshold
 * @throws RangeError on an empty array, a non-finite score or `tpr ∉ (0, 1]`
 * @see https://github.com/deeplearning-wisc/knn-ood/blob/master/util/metrics.py
 * @see https://github.com/Jingkang50/OpenOOD/blob/main/openood/evaluators/metrics.py
 */
export function thresholdAtTpr(idScores: ArrayLike<number>, tpr = 0.95): number {
  assertNonEmpty(idScores, 'idScores');
  assertFinite(idScores, 'idScores');
  assertTpr(tpr);
  const sorted = Float64Array.from(idScores).sort();
  return sorted[idKeepCount(sorted.length, tpr) - 1] ?? Number.NaN;
}

/**
 * Flags samples as OOD: `1` where `score > threshold`, `0` where the sample is kept as ID.
 * The same rule {@link thresholdAtTpr} and `evaluateOod` use, so a threshold calibrated there keeps the
 * reported fraction of ID samples here.
 * @param scores - OOD scores (higher = more OOD)
 * @param threshold - from {@link thresholdAtTpr}
 * @returns one flag per score
 * @throws RangeError on a non-finite score or threshold
 */
export function flagOod(scores: ArrayLike<number>, threshold: number): Uint8Array {
  assertFinite(scores, 'scores');
  assertFiniteNumber(threshold, 'threshold');
  const out = new Uint8Array(scores.length);
  for (let i = 0; i < scores.length; i++) out[i] = (scores[i] ?? 0) > threshold ? 1 : 0;
  return out;
}

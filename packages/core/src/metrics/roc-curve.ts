import { assertBothClasses, sortBinaryScores } from './binary-scores';

/** Options for {@link rocCurve}. */
export interface RocCurveOptions {
  /**
   * Drop thresholds that are not corners of the curve (collinear points), with sklearn's rule: keep
   * the first and last point and every point where the second difference of `fps` or `tps` is non-zero.
   * @default false
   */
  dropIntermediate?: boolean;
  /**
   * Keep at most this many points (≥ 2), for plotting. Points are picked evenly along `fpr + tpr`, which
   * rises monotonically from 0 to 2; the first and last points are always kept. Applied after
   * `dropIntermediate`. The downsampled curve is still a valid step curve but its trapezoid area is
   * only an approximation of the AUROC.
   * @default Infinity (no downsampling)
   */
  maxPoints?: number;
}

/** ROC points, one per threshold, in order of decreasing threshold. */
export interface RocCurve {
  /** False positive rate at each threshold (non-decreasing, starts at 0, ends at 1). */
  fpr: Float64Array;
  /** True positive rate at each threshold (non-decreasing, starts at 0, ends at 1). */
  tpr: Float64Array;
  /**
   * Decreasing thresholds: a sample is predicted positive when `score ≥ threshold`. The first is
   * `max(score) + 1` (sklearn 1.2's convention, JSON-safe; sklearn ≥ 1.3 uses `Infinity` there).
   */
  thresholds: Float64Array;
}

/**
 * The receiver operating characteristic: (fpr, tpr) at every distinct score used as a threshold,
 * preceded by the (0, 0) point. Tied scores form one threshold.
 *
 * Matches `sklearn.metrics.roc_curve(y_true, y_score, drop_intermediate=False)` by default, and
 * `drop_intermediate=True` with `{ dropIntermediate: true }` (sklearn 1.2.1, the golden reference).
 *
 * @param scores - one finite score per sample; higher means "more positive"
 * @param positives - `true`/`1` for a positive sample, `false`/`0` for a negative one
 * @param options - see {@link RocCurveOptions}
 * @throws RangeError on mismatched lengths, a non-finite score, a bad label, an empty class or `maxPoints < 2`
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.roc_curve.html
 */
export function rocCurve(
  scores: ArrayLike<number>,
  positives: ArrayLike<boolean | number>,
  options: RocCurveOptions = {},
): RocCurve {
  const { dropIntermediate = false, maxPoints = Infinity } = options;
  if (!(maxPoints >= 2) || (Number.isFinite(maxPoints) && !Number.isInteger(maxPoints))) {
    throw new RangeError(`maxPoints must be an integer ≥ 2 or Infinity (got ${String(maxPoints)})`);
  }
  const sorted = sortBinaryScores(scores, positives);
  assertBothClasses(sorted, 'rocCurve');
  const { pos, neg } = sorted;
  // Cumulative counts at each distinct threshold, walking both ascending arrays from the top.
  const tps: number[] = [];
  const fps: number[] = [];
  const thr: number[] = [];
  let i = pos.length - 1;
  let j = neg.length - 1;
  while (i >= 0 || j >= 0) {
    const v = Math.max(i >= 0 ? (pos[i] ?? 0) : -Infinity, j >= 0 ? (neg[j] ?? 0) : -Infinity);
    while (i >= 0 && pos[i] === v) i--;
    while (j >= 0 && neg[j] === v) j--;
    tps.push(pos.length - 1 - i);
    fps.push(neg.length - 1 - j);
    thr.push(v);
  }
  let keep = tps.map((_, k) => k);
  if (dropIntermediate && tps.length > 2) {
    keep = keep.filter((k) => {
      if (k === 0 || k === tps.length - 1) return true;
      const d2 = (a: number[]): number => (a[k + 1] ?? 0) - 2 * (a[k] ?? 0) + (a[k - 1] ?? 0);
      return d2(fps) !== 0 || d2(tps) !== 0;
    });
  }
  const m = keep.length + 1;
  const out: RocCurve = {
    fpr: new Float64Array(m),
    tpr: new Float64Array(m),
    thresholds: new Float64Array(m),
  };
  out.thresholds[0] = (thr[0] ?? 0) + 1;
  keep.forEach((k, r) => {
    out.fpr[r + 1] = (fps[k] ?? 0) / neg.length;
    out.tpr[r + 1] = (tps[k] ?? 0) / pos.length;
    out.thresholds[r + 1] = thr[k] ?? 0;
  });
  return m > maxPoints ? downsampleCurve(out, maxPoints) : out;
}

/** Keeps at most `maxPoints` points, evenly spaced along the monotone path length `fpr + tpr ∈ [0, 2]`. */
function downsampleCurve(curve: RocCurve, maxPoints: number): RocCurve {
  const m = curve.fpr.length;
  const picked: number[] = [0];
  let k = 0;
  for (let t = 1; t < maxPoints - 1; t++) {
    const target = (2 * t) / (maxPoints - 1);
    while (k < m - 1 && (curve.fpr[k] ?? 0) + (curve.tpr[k] ?? 0) < target) k++;
    if (k > (picked[picked.length - 1] ?? 0) && k < m - 1) picked.push(k);
  }
  picked.push(m - 1);
  const pick = (a: Float64Array): Float64Array => Float64Array.from(picked, (p) => a[p] ?? 0);
  return { fpr: pick(curve.fpr), tpr: pick(curve.tpr), thresholds: pick(curve.thresholds) };
}

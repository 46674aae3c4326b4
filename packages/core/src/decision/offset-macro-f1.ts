/**
 * Macro-F1 of the offset decision rule argmax_c (log p_c + b_c) on fixed data, as one tight pass per call: the
 * inner kernel of the offset search (it runs ~1,500 times per fit).
 */
import { overRecallOf } from './over-recall-cap';

/**
 * Binds the data and returns the macro-F1 of any offsets on it: F1_c = 2·TP / (2·TP + FP + FN), averaged over
 * the K grades (a grade neither predicted nor present scores 0, as scikit-learn's `zero_division=0`).
 * @param logs - log-scores, n × K row-major
 * @param labels - n integer grades in [0, K − 1]
 * @param options - K, and the over-recall cap: offsets over it score −2, below every feasible point (and below the
 *   −1 the search starts from) @default maxOverRecall 1 (no cap)
 * @example createOffsetMacroF1(logs, labels, { k: 3 })(new Float64Array(3)) // macro-F1 of the arg-max
 */
export function createOffsetMacroF1(
  logs: Float64Array,
  labels: Int32Array,
  options: { readonly k: number; readonly maxOverRecall?: number },
): (offsets: Float64Array) => number {
  const { k, maxOverRecall = 1 } = options;
  const n = labels.length;
  const counts = new Float64Array(k * k);
  return (offsets) => {
    counts.fill(0);
    for (let i = 0, at = 0; i < n; i++, at += k) {
      let best = 0;
      let top = (logs[at] ?? 0) + (offsets[0] ?? 0);
      for (let c = 1; c < k; c++) {
        const v = (logs[at + c] ?? 0) + (offsets[c] ?? 0);
        if (v > top) {
          top = v;
          best = c;
        }
      }
      const cell = (labels[i] ?? 0) * k + best;
      counts[cell] = (counts[cell] ?? 0) + 1;
    }
    if (maxOverRecall < 1 && overRecallOf(counts, k) > maxOverRecall) return -2;
    return macroF1OfCounts(counts, k);
  };
}

/** Macro-F1 of a K × K confusion matrix (rows: true grade, columns: predicted). */
function macroF1OfCounts(counts: Float64Array, k: number): number {
  let sum = 0;
  for (let c = 0; c < k; c++) {
    let predicted = 0;
    let actual = 0;
    for (let j = 0; j < k; j++) {
      predicted += counts[j * k + c] ?? 0;
      actual += counts[c * k + j] ?? 0;
    }
    const tp = counts[c * k + c] ?? 0;
    sum += predicted + actual === 0 ? 0 : (2 * tp) / (predicted + actual);
  }
  return sum / k;
}

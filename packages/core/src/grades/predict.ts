/**
 * From grade logits or probabilities (n × K) to expected grade, predicted grade and a ranking.
 * The expected grade s = Σ_c c·p_c is the continuous relevance score used for ranking and
 * for the pairwise margin loss (GenFR-style, methods.md §7.7).
 */
import { assertMatrix, assertFinite } from '../math/check';
import type { MatrixLike } from '../math/matrix';
import { softmax } from '../math/softmax';

/** Row-wise softmax of logits: grade probabilities (n × K). */
export function gradeProbabilities(logits: MatrixLike): Float64Array {
  return softmax(logits).data;
}

/** Expected grade Σ_c c·p_c per row of probabilities (n × K); values in [0, K−1]. */
export function expectedGrades(probs: MatrixLike): Float64Array {
  assertMatrix(probs, 'probs');
  assertFinite(probs.data, 'probs.data');
  const { rows: n, cols: k, data } = probs;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 1; c < k; c++) s += c * data[i * k + c]!;
    out[i] = s;
  }
  return out;
}

/** Predicted grade per row: the arg-max, ties going to the lower grade (a conservative choice for relevance). */
export function predictedGrades(scores: MatrixLike): Int32Array {
  assertMatrix(scores, 'scores');
  assertFinite(scores.data, 'scores.data');
  const { rows: n, cols: k, data } = scores;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (data[i * k + c]! > data[i * k + best]!) best = c;
    out[i] = best;
  }
  return out;
}

/** Options for {@link rankByExpectedGrade}. */
export interface RankOptions {
  /** Secondary key for equal expected grades (higher first), e.g. p(strong). Index order breaks remaining ties. */
  tieBreak?: ArrayLike<number>;
}

/**
 * Item order by expected grade, highest first. Ties break by `tieBreak` (higher first) and then by input index,
 * so the ranking is deterministic and stable.
 * @returns indices into `expected`, best first
 */
export function rankByExpectedGrade(
  expected: ArrayLike<number>,
  options: RankOptions = {},
): Uint32Array {
  assertFinite(expected, 'expected');
  const { tieBreak } = options;
  if (tieBreak !== undefined) {
    if (tieBreak.length !== expected.length) {
      throw new RangeError(
        `tieBreak and expected must have the same length (got ${tieBreak.length} and ${expected.length})`,
      );
    }
    assertFinite(tieBreak, 'tieBreak');
  }
  const idx = Uint32Array.from({ length: expected.length }, (_, i) => i);
  idx.sort((a, b) => {
    const d = expected[b]! - expected[a]!;
    if (d !== 0) return d;
    if (tieBreak !== undefined) {
      const t = tieBreak[b]! - tieBreak[a]!;
      if (t !== 0) return t;
    }
    return a - b;
  });
  return idx;
}

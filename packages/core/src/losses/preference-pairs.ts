/**
 * Preference pairs for DPO de-biasing (LREF, methods.md §2.4): chosen = the true grade, rejected = the
 * model's wrong, over-optimistic top-1 grade.
 */
import { predictedGrades } from '../grades/predict';
import type { MatrixLike } from '../math/matrix';
import { assertGradeLabels, assertLossLogits } from './check-inputs';

/** Which wrong predictions become pairs: `'optimistic'` (top-1 above the true grade) or `'any'` wrong top-1. */
export type PreferenceDirection = 'optimistic' | 'any';

/** Options for {@link createPreferencePairs}. */
export interface PreferencePairOptions {
  /** Which errors to keep. LREF targets the over-optimistic ones (about 70% of its errors). @default 'optimistic' */
  direction?: PreferenceDirection;
  /**
   * Keep a row only when the true grade ranks within the model's top-k grades (LREF finds y⁺ among the
   * top-k beams; ~80% of its over-predictions have it at position 2). Rank 1 is the top-1; ties rank the
   * lower grade first, as in {@link predictedGrades}.
   * @default K (no filter)
   */
  topK?: number;
}

/** Rows that became preference pairs, with the chosen and rejected grade of each. */
export interface PreferencePairs {
  /** Indices of the selected rows in the input batch (use with `selectRows`). */
  readonly rows: Uint32Array;
  /** y⁺ per selected row: the true grade. */
  readonly chosen: Int32Array;
  /** y⁻ per selected row: the model's (wrong) top-1 grade. */
  readonly rejected: Int32Array;
}

function rankOf(scores: MatrixLike, i: number, c: number): number {
  const k = scores.cols;
  const sc = scores.data[i * k + c] ?? 0;
  let rank = 1;
  for (let j = 0; j < k; j++) {
    const sj = scores.data[i * k + j] ?? 0;
    if (sj > sc || (sj === sc && j < c)) rank++;
  }
  return rank;
}

/**
 * Builds DPO preference pairs from a model's grade scores: for every row whose top-1 grade is wrong (and,
 * by default, above the true grade), chosen = the true grade and rejected = the top-1.
 * @param scores - the reference (SFT) model's grade logits or probabilities, n × K; only their order is used
 * @param labels - true integer grade per row in [0, K−1]
 * @param options - which errors to keep and the top-k filter
 * @returns the selected row indices with chosen and rejected grades (possibly empty)
 * @throws RangeError on an empty batch, non-finite scores, a label out of range, a length mismatch, a bad
 * `topK` or an unknown direction
 * @example
 * createPreferencePairs(matrixFromRows([[0, 3, 1], [2, 1, 0]]), [1, 0]); // rows []: both top-1 grades are right
 * createPreferencePairs(matrixFromRows([[0, 1, 3]]), [1]); // rows [0], chosen [1], rejected [2]
 * @see https://arxiv.org/abs/2503.09223
 */
export function createPreferencePairs(
  scores: MatrixLike,
  labels: ArrayLike<number>,
  options: PreferencePairOptions = {},
): PreferencePairs {
  assertLossLogits(scores, 'scores');
  assertGradeLabels(labels, scores);
  const { direction = 'optimistic', topK = scores.cols } = options;
  if (direction !== 'optimistic' && direction !== 'any') {
    throw new RangeError(
      `options.direction must be 'optimistic' or 'any' (got ${String(direction)})`,
    );
  }
  if (!Number.isInteger(topK) || topK < 1)
    throw new RangeError(`options.topK must be an integer ≥ 1 (got ${String(topK)})`);
  const top1 = predictedGrades(scores);
  const rows: number[] = [];
  const chosen: number[] = [];
  const rejected: number[] = [];
  for (let i = 0; i < scores.rows; i++) {
    const y = labels[i] ?? 0;
    const pred = top1[i] ?? 0;
    if (pred === y || (direction === 'optimistic' && pred < y)) continue;
    if (rankOf(scores, i, y) > topK) continue;
    rows.push(i);
    chosen.push(y);
    rejected.push(pred);
  }
  return {
    rows: Uint32Array.from(rows),
    chosen: Int32Array.from(chosen),
    rejected: Int32Array.from(rejected),
  };
}

import { argsort, type MatrixLike } from '@gradeshift/core/math';

import { predictiveEntropy } from './predictive-entropy';
import { assertBudget, type Selection, type SelectionReason } from './selection-result';

/** Options for {@link selectByUncertainty}. */
export interface SelectByUncertaintyOptions {
  /** n × K predicted grade probabilities of the pool. */
  probs: MatrixLike;
  /** Number of rows to pick, in `[1, n]`. */
  budget: number;
}

/** Why a row was picked by uncertainty. */
export interface UncertaintyReason extends SelectionReason {
  /** Predictive entropy in nats. */
  entropy: number;
}

/** Statistics of an uncertainty selection. */
export interface UncertaintySelectionStats {
  poolSize: number;
  /** Entropy of the last picked row (the cut-off). */
  minPickedEntropy: number;
  /** Mean entropy over the whole pool. */
  meanPoolEntropy: number;
}

/** An uncertainty selection. */
export type UncertaintySelection = Selection<
  'uncertainty',
  UncertaintyReason,
  UncertaintySelectionStats
>;

/**
 * Uncertainty sampling: the `budget` rows of highest predictive entropy, ties broken by lower index.
 * Deterministic (no seed needed).
 * @param options - see {@link SelectByUncertaintyOptions}
 * @throws RangeError on invalid probabilities or `budget ∉ [1, n]`
 * @see https://burrsettles.com/pub/settles.activelearning.pdf (§3.1, entropy-based uncertainty sampling)
 */
export function selectByUncertainty(options: SelectByUncertaintyOptions): UncertaintySelection {
  const { probs, budget } = options;
  const entropy = predictiveEntropy(probs);
  assertBudget(budget, entropy.length);
  // Stable descending argsort: equal entropies keep index order.
  const order = argsort(entropy, { descending: true });
  const picked = Array.from(order.subarray(0, budget), (index, i) => {
    const h = entropy[index] ?? 0;
    return { index, rank: i + 1, reason: { entropy: h, summary: `entropy ${h.toFixed(3)} nats` } };
  });
  let total = 0;
  for (const h of entropy) total += h;
  return {
    strategy: 'uncertainty',
    budget,
    picked,
    stats: {
      poolSize: entropy.length,
      minPickedEntropy: picked[picked.length - 1]?.reason.entropy ?? 0,
      meanPoolEntropy: total / entropy.length,
    },
  };
}

import type { MatrixLike } from '@gradeshift/core/math';

import type { DetectorFitInput, FittedStateBase, OodDetector } from '../detector';
import { createLogitDetector, rowMax, settled } from './logit-detector';
import { resolveNumClasses } from './num-classes';

/** Format version of {@link MaxLogitState}. */
export const MAX_LOGIT_STATE_VERSION = 1;

/** The fitted state of a max-logit detector: only K. */
export interface MaxLogitState extends FittedStateBase<'max-logit'> {
  readonly version: typeof MAX_LOGIT_STATE_VERSION;
  /** Number of classes K (logit width). */
  numClasses: number;
}

/** Options for {@link fitMaxLogit}. */
export interface FitMaxLogitOptions {
  /** K, needed when `input.logits` is absent. @default logits.cols */
  numClasses?: number;
}

/**
 * OOD scores `−max_c z_c` per row (Hendrycks et al. 2022), negated so that higher = more OOD. Unlike MSP it is
 * unbounded and not shift-invariant. Matches `-numpy.max(z, axis=1)`.
 * @param logits - n × K finite logits
 * @see https://arxiv.org/abs/1911.11132
 */
export function maxLogitScores(logits: MatrixLike): Float64Array {
  const { rows, cols, data } = logits;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) out[i] = -rowMax(data, i * cols, cols);
  return out;
}

/**
 * Builds a max-logit detector from its state (used by {@link fitMaxLogit} and `loadDetector`).
 * @param state - `{ kind: 'max-logit', version, numClasses }`
 * @see https://arxiv.org/abs/1911.11132
 */
export function createMaxLogitDetector(state: MaxLogitState): OodDetector<MaxLogitState> {
  const { numClasses } = state;
  return createLogitDetector(
    { kind: 'max-logit', version: MAX_LOGIT_STATE_VERSION, numClasses },
    maxLogitScores,
  );
}

/**
 * "Fits" the max-logit detector (Hendrycks et al., ICML 2022, "Scaling Out-of-Distribution Detection for
 * Real-World Settings"): it only records K.
 * @param input - optional ID logits, whose width fixes K
 * @param options - K when no logits are given
 * @example
 * const detector = await fitMaxLogit({ logits: trainLogits });
 * const scores = await detector.score({ logits });
 * @see https://arxiv.org/abs/1911.11132
 */
export function fitMaxLogit(
  input: DetectorFitInput = {},
  options: FitMaxLogitOptions = {},
): Promise<OodDetector<MaxLogitState>> {
  return settled(() =>
    createMaxLogitDetector({
      kind: 'max-logit',
      version: MAX_LOGIT_STATE_VERSION,
      numClasses: resolveNumClasses(input, options.numClasses),
    }),
  );
}

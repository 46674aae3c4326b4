import type { MatrixLike } from '@gradeshift/core/math';

import type { DetectorFitInput, FittedStateBase, OodDetector } from '../detector';
import { createLogitDetector, rowMax, settled } from './logit-detector';
import { resolveNumClasses } from './num-classes';

/** Format version of {@link MspState}. */
export const MSP_STATE_VERSION = 1;

/** The fitted state of an MSP detector: only K. */
export interface MspState extends FittedStateBase<'msp'> {
  readonly version: typeof MSP_STATE_VERSION;
  /** Number of classes K (logit width). */
  numClasses: number;
}

/** Options for {@link fitMsp}. */
export interface FitMspOptions {
  /** K, needed when `input.logits` is absent. @default logits.cols */
  numClasses?: number;
}

/**
 * OOD scores `−max_c softmax(z)_c` per row: the maximum softmax probability of Hendrycks & Gimpel (2017), negated
 * so that higher = more OOD (Google's `1 − MSP` ranks identically). Computed as `−1 / Σ_j exp(z_j − max z)`:
 * subtracting the max keeps every exp in (0, 1], so huge logits cannot overflow.
 * Matches `-scipy.special.softmax(z, axis=1).max(axis=1)`.
 * @param logits - n × K finite logits
 * @returns n scores in [−1, −1/K]
 * @see https://arxiv.org/abs/1610.02136
 */
export function mspScores(logits: MatrixLike): Float64Array {
  const { rows, cols, data } = logits;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const m = rowMax(data, i * cols, cols);
    let s = 0;
    for (let j = 0; j < cols; j++) s += Math.exp((data[i * cols + j] ?? m) - m);
    out[i] = -1 / s;
  }
  return out;
}

/**
 * Builds an MSP detector from its state (used by {@link fitMsp} and `loadDetector`).
 * @param state - `{ kind: 'msp', version, numClasses }`
 * @see https://arxiv.org/abs/1610.02136
 */
export function createMspDetector(state: MspState): OodDetector<MspState> {
  const { numClasses } = state;
  return createLogitDetector({ kind: 'msp', version: MSP_STATE_VERSION, numClasses }, mspScores);
}

/**
 * "Fits" the maximum-softmax-probability detector (Hendrycks & Gimpel, ICLR 2017): it only records K.
 * Async like every other `fit*`.
 * @param input - optional ID logits, whose width fixes K
 * @param options - K when no logits are given
 * @example
 * const detector = await fitMsp({}, { numClasses: 3 });
 * const scores = await detector.score({ logits });
 * @see https://arxiv.org/abs/1610.02136
 */
export function fitMsp(
  input: DetectorFitInput = {},
  options: FitMspOptions = {},
): Promise<OodDetector<MspState>> {
  return settled(() =>
    createMspDetector({
      kind: 'msp',
      version: MSP_STATE_VERSION,
      numClasses: resolveNumClasses(input, options.numClasses),
    }),
  );
}

/**
 * What the logit-space detectors (MSP, max-logit, energy) share: the row maximum their stable formulas start
 * from, and the detector around a row-wise score function, whose state is K plus the score's own parameters.
 */
import type { MatrixLike } from '@gradeshift/core/math';

import {
  assertNoNaNScores,
  readDetectorInput,
  type FittedStateBase,
  type OodDetector,
} from '../detector';

/** The state of a logit-space detector: K, and whatever parameters its score takes. */
export type LogitDetectorState = FittedStateBase & { readonly numClasses: number };

/**
 * `max_j data[offset + j]` over `cols` entries (−∞ for none).
 * @param data - row-major values
 * @param offset - where the row starts
 * @param cols - the row's length
 */
export function rowMax(data: ArrayLike<number>, offset: number, cols: number): number {
  let m = -Infinity;
  for (let j = 0; j < cols; j++) m = Math.max(m, data[offset + j] ?? -Infinity);
  return m;
}

/**
 * A promise of `build()`'s result, a throw becoming a rejection (as an async function's would), for the
 * synchronous `fit*` and `score` of the logit detectors.
 * @param build - the synchronous work
 */
export function settled<T>(build: () => T): Promise<T> {
  // The executor turns a synchronous throw into a rejection.
  return new Promise((resolve) => resolve(build()));
}

/**
 * A logit-space detector: it checks the logits (present, finite, K wide), scores them with `scoresOf`, and
 * refuses NaN scores; `toJSON` returns a copy of `state`.
 * @param state - the detector's state, its fields in their serialised order
 * @param scoresOf - n × K logits → n scores, higher = more OOD
 */
export function createLogitDetector<TState extends LogitDetectorState>(
  state: TState,
  scoresOf: (logits: MatrixLike) => Float64Array,
): OodDetector<TState> {
  return {
    kind: state.kind,
    needs: 'logits',
    score: (input) =>
      settled(() =>
        assertNoNaNScores(
          scoresOf(readDetectorInput(input, 'logits', state.numClasses)),
          `${state.kind} scores`,
        ),
      ),
    toJSON: () => ({ ...state }),
  };
}

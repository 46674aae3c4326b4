import type { MatrixLike } from '@gradeshift/core/math';

import type { DetectorKind, OodDetector } from '../detector';

/**
 * A detector whose scores were computed elsewhere (in a model's forward pass, or once for a whole run), for the
 * selection strategies that take detectors: scoring an input returns the scores registered for its `features`
 * matrix (by identity), so the pool and the held-out ID set can be handed over as they are.
 * @param kind - the kind the reasons name
 * @param scores - the scores of each registered input, by its `features` matrix
 * @example precomputedDetector('surprisal', new Map([[pool, poolScores], [heldOut, heldOutScores]]))
 */
export function precomputedDetector(
  kind: DetectorKind,
  scores: ReadonlyMap<MatrixLike, ArrayLike<number>>,
): OodDetector {
  return {
    kind,
    needs: 'features',
    toJSON: () => ({ kind, version: 1 }),
    score(input) {
      const found = input.features === undefined ? undefined : scores.get(input.features);
      if (found === undefined)
        return Promise.reject(
          new RangeError(`the precomputed ${kind} detector has no scores for this input`),
        );
      return Promise.resolve(Float64Array.from(found));
    },
  };
}

import { assertInteger } from '@gradeshift/core/math';

import { readDetectorInput, type DetectorFitInput } from '../detector';
import { OodError } from '../errors';

/**
 * The number of classes K a logit-space detector records: the width of `input.logits` when given, else
 * `numClasses`. Logit detectors learn nothing else from data.
 * @param input - optional ID logits (n × K), only their width is used
 * @param numClasses - K, required when no logits are given
 * @throws TypeError when neither is given; OodError `SHAPE_MISMATCH` when they disagree
 */
export function resolveNumClasses(input: DetectorFitInput, numClasses: number | undefined): number {
  if (input.logits === undefined) {
    if (numClasses === undefined)
      throw new TypeError('pass input.logits (n × K) or options.numClasses to fix K');
    assertInteger(numClasses, 'numClasses', { min: 1 });
    return numClasses;
  }
  const k = readDetectorInput(input, 'logits').cols;
  assertInteger(k, 'logits.cols', { min: 1 });
  if (numClasses !== undefined && numClasses !== k) {
    throw new OodError(
      'SHAPE_MISMATCH',
      `numClasses (${numClasses}) and logits.cols (${k}) disagree`,
    );
  }
  return k;
}

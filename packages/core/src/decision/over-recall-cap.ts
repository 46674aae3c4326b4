/**
 * What the decision-rule fits share: the over-recall cap (the share of truly irrelevant, grade-0, pairs a rule
 * decides above grade 0, read from a K × K confusion with rows = true grade) and the check of a fit's inputs.
 * @internal
 */
import {
  assertFinite,
  assertInteger,
  assertLabels,
  assertMatrix,
  assertNonEmpty,
  assertSameLength,
} from '../math/check';
import type { MatrixLike } from '../math/matrix';

/** Over-recall of a row-major K × K confusion; 0 without any grade-0 pair. @internal */
export function overRecallOf(confusion: ArrayLike<number>, k: number): number {
  let row = 0;
  for (let c = 0; c < k; c++) row += confusion[c] ?? 0;
  return row === 0 ? 0 : (row - (confusion[0] ?? 0)) / row;
}

/** @throws RangeError unless the cap is in [0, 1] @internal */
export function assertOverRecallCap(cap: number): void {
  if (!(cap >= 0 && cap <= 1))
    throw new RangeError(`options.maxOverRecall must be in [0, 1] (got ${String(cap)})`);
}

/**
 * Checks the inputs every probability-based rule fit takes: the cap, a finite N × K probability matrix with K ≥ 2,
 * and N labels in [0, K).
 * @returns K, the number of grades
 * @throws RangeError / TypeError naming the argument @internal
 */
export function assertRuleFitInputs(
  probs: MatrixLike,
  labels: ArrayLike<number>,
  maxOverRecall: number,
): number {
  assertOverRecallCap(maxOverRecall);
  assertMatrix(probs, 'probs');
  assertFinite(probs.data, 'probs');
  const k = probs.cols;
  assertInteger(k, 'probs.cols', { min: 2 });
  assertNonEmpty(labels, 'labels');
  assertSameLength({ length: probs.rows }, labels, ['probs rows', 'labels']);
  assertLabels(labels, k);
  return k;
}

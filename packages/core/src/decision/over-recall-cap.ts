/**
 * The over-recall cap shared by the decision-rule fits: the share of truly irrelevant (grade-0) pairs a rule
 * decides above grade 0, read from a K × K confusion (rows = true grade).
 * @internal
 */

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

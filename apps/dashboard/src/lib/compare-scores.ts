/**
 * The Playground's comparison of two scorings of the same pairs (the API's onnxruntime-node and the browser's
 * onnxruntime-web): the largest absolute difference over probabilities, expected grades and each OOD score, and
 * how many predicted grades differ.
 */

/** One scored pair, in plain numbers so it crosses from server to client. */
export interface ScoreRow {
  /** Grade probabilities, lowest grade first. */
  readonly probs: readonly number[];
  /** Expected grade Σ c·p_c. */
  readonly expected: number;
  /** Predicted grade index. */
  readonly predicted: number;
  /** Raw OOD scores by name (higher = more out of distribution). */
  readonly ood: Readonly<Record<string, number>>;
  /** Each OOD score's ID percentile (share of held-out ID pairs scoring at most it), by name; not compared. */
  readonly percentiles?: Readonly<Record<string, number>>;
}

/** What {@link compareScores} finds. */
export interface ScoreComparison {
  /** max |a − b| over every compared number; 0 for no pairs. */
  readonly maxAbsDiff: number;
  /**
   * max |a − b| / max(1, |a|): absolute for values up to 1 (probabilities), relative above. Raw OOD distances reach
   * the hundreds, where one float32 ulp is already ~3e-5, so two runtimes' kernels cannot agree to 1e-4 absolutely.
   */
  readonly maxScaledDiff: number;
  /** The same, per field: `probs`, `expected` and each OOD score name compared. */
  readonly byField: Readonly<Record<string, number>>;
  /** Pairs whose predicted grades differ. */
  readonly predictedMismatches: number;
  /** OOD scores only one side has. */
  readonly oneSided: readonly string[];
}

/**
 * Compares two scorings row by row.
 * @param a - one side's rows
 * @param b - the other side's rows, in the same order
 * @returns the largest differences
 * @throws RangeError when the row counts or a row's grade counts differ, or a value is not finite
 */
export function compareScores(a: readonly ScoreRow[], b: readonly ScoreRow[]): ScoreComparison {
  if (a.length !== b.length)
    throw new RangeError(`both sides must score the same pairs (got ${a.length} and ${b.length})`);
  const byField: Record<string, number> = { probs: 0, expected: 0 };
  let maxScaledDiff = 0;
  const oneSided = new Set<string>();
  let predictedMismatches = 0;
  const note = (field: string, where: string, [x, y]: readonly [number, number | undefined]) => {
    const d = Math.abs(x - (y ?? Number.NaN));
    if (!Number.isFinite(d))
      throw new RangeError(`${where} is not finite (got ${x} and ${String(y)})`);
    byField[field] = Math.max(byField[field] ?? 0, d);
    if (!oneSided.has(field)) maxScaledDiff = Math.max(maxScaledDiff, d / Math.max(1, Math.abs(x)));
  };
  a.forEach((ra, i) => {
    const rb = b[i];
    if (rb === undefined) return;
    if (ra.probs.length !== rb.probs.length)
      throw new RangeError(
        `row ${i}: both sides must have the same grades (got ${ra.probs.length} and ${rb.probs.length})`,
      );
    ra.probs.forEach((p, c) => note('probs', `row ${i} probs[${c}]`, [p, rb.probs[c]]));
    note('expected', `row ${i} expected`, [ra.expected, rb.expected]);
    if (ra.predicted !== rb.predicted) predictedMismatches++;
    for (const name of new Set([...Object.keys(ra.ood), ...Object.keys(rb.ood)])) {
      const x = ra.ood[name];
      const y = rb.ood[name];
      if (x === undefined || y === undefined) oneSided.add(name);
      else note(name, `row ${i} ood.${name}`, [x, y]);
    }
  });
  for (const name of oneSided) delete byField[name];
  return {
    maxAbsDiff: Math.max(0, ...Object.values(byField)),
    maxScaledDiff,
    byField,
    predictedMismatches,
    oneSided: [...oneSided].sort(),
  };
}

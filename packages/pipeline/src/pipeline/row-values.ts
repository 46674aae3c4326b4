/** Values of one prediction row, as predictions.jsonl and the scored-pairs files write them. */
import type { LabeledPair } from '../data/dataset';

/** A value rounded to 1e-6, as the prediction files store it. */
export const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

/** Pair `i`'s grade probabilities (row `i` of an n × k matrix) and expected grade, rounded. */
export function gradeOutputsAt(
  outputs: { probs: Float64Array; expected: ArrayLike<number> },
  i: number,
  k: number,
): { probs: number[]; expected: number } {
  return {
    probs: Array.from(outputs.probs.subarray(i * k, (i + 1) * k), round6),
    expected: round6(outputs.expected[i] ?? 0),
  };
}

/** Pair `i`'s OOD scores, rounded, and their flags: a prediction row's `ood` and `ood_flag`. */
export function oodAt(
  scores: Iterable<readonly [string, { score: ArrayLike<number>; flag: ArrayLike<number> }]>,
  i: number,
): { ood: Record<string, number>; ood_flag: Record<string, boolean> } {
  const ood: Record<string, number> = {};
  const flags: Record<string, boolean> = {};
  for (const [name, o] of scores) {
    ood[name] = round6(o.score[i] ?? 0);
    flags[name] = o.flag[i] === 1;
  }
  return { ood, ood_flag: flags };
}

/**
 * predictions.jsonl of an evaluation (`evaluateBundle`, `evaluatePredictions`): one line per pair, of split
 * `external`: the pair's id, line, texts and true grade, then `values(i)`.
 */
export function* evaluationRows(
  pairs: readonly LabeledPair[],
  values: (i: number) => Record<string, unknown>,
): Generator<string> {
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i];
    if (pair === undefined) continue;
    yield `${JSON.stringify({
      id: pair.id,
      split: 'external',
      line: pair.line,
      query: pair.query,
      item: pair.item,
      grade: pair.grade,
      ...values(i),
    })}\n`;
  }
}

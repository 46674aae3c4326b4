/**
 * Scoring many (query, item) pairs with a model bundle: pairs of any queries share the ONNX graph's forward
 * passes, and ranks are computed per query afterwards, so a file in any order scores in one pass.
 */
import { rankByExpectedGrade, type BundleBatchScores, type BundleScorer } from '@gradeshift/core';

import type { UnlabeledPair } from '../data/dataset';
import type { ProgressSink } from '../stages/progress';

/** Pair indices grouped by query, queries in first-appearance order. */
export function groupByQuery(pairs: readonly { query: string }[]): number[][] {
  const groups = new Map<string, number[]>();
  pairs.forEach((p, i) => {
    const list = groups.get(p.query);
    if (list === undefined) groups.set(p.query, [i]);
    else list.push(i);
  });
  return [...groups.values()];
}

/** Scores of n pairs, in input order. */
export interface ScoredPairs {
  /** n × K grade probabilities, row-major. */
  probs: Float64Array;
  expected: Float64Array;
  predicted: Int32Array;
  /** Rank of each pair among its query's pairs (0 = best, the bundle's ranking). */
  rank: Int32Array;
  /** Each OOD score with its ID percentile, flag and threshold. */
  ood: Map<
    string,
    { score: Float64Array; percentile: Float64Array; flag: Uint8Array; threshold: number }
  >;
}

function place(scored: ScoredPairs, start: number, result: BundleBatchScores): void {
  const k = result.grades.length;
  scored.probs.set(result.probs, start * k);
  scored.expected.set(result.expected, start);
  scored.predicted.set(result.predicted, start);
  for (const [name, o] of Object.entries(result.ood)) {
    let into = scored.ood.get(name);
    if (into === undefined) {
      const n = scored.expected.length;
      into = {
        score: new Float64Array(n),
        percentile: new Float64Array(n),
        flag: new Uint8Array(n),
        threshold: o.threshold,
      };
      scored.ood.set(name, into);
    }
    into.score.set(o.score, start);
    into.percentile.set(o.percentile, start);
    into.flag.set(o.flag, start);
  }
}

/** Ranks each pair among its query's pairs: by expected grade, then p(top grade), then input order. */
function rankWithinQueries(
  scored: ScoredPairs,
  pairs: readonly { query: string }[],
  k: number,
): void {
  for (const index of groupByQuery(pairs)) {
    const expected = Float64Array.from(index, (i) => scored.expected[i] ?? 0);
    const top = Float64Array.from(index, (i) => scored.probs[i * k + k - 1] ?? 0);
    rankByExpectedGrade(expected, { tieBreak: top }).forEach((j, position) => {
      scored.rank[index[j] ?? 0] = position;
    });
  }
}

/**
 * Scores pairs with a bundle: chunks of pairs from any queries share forward passes (`scoreBatch`), then each
 * pair is ranked among its query's pairs.
 * @param scorer - a bundle scorer
 * @param pairs - the pairs, in any order
 * @param options - progress sink and pairs per progress event
 * @returns the scores in input order, with the rank of each pair among its query's pairs (0 = best)
 */
export async function scoreBundlePairs(
  scorer: BundleScorer,
  pairs: readonly UnlabeledPair[],
  options: { progress?: ProgressSink; progressEvery?: number } = {},
): Promise<ScoredPairs> {
  const chunk = Math.max(1, options.progressEvery ?? 8192);
  const n = pairs.length;
  const k = scorer.manifest.grades.length;
  const scored: ScoredPairs = {
    probs: new Float64Array(n * k),
    expected: new Float64Array(n),
    predicted: new Int32Array(n),
    rank: new Int32Array(n),
    ood: new Map(),
  };
  for (let start = 0; start < n; start += chunk) {
    const end = Math.min(n, start + chunk);
    place(scored, start, await scorer.scoreBatch(pairs.slice(start, end)));
    options.progress?.({ stage: 'evaluate', message: 'scoring pairs', done: end, total: n });
  }
  rankWithinQueries(scored, pairs, k);
  return scored;
}

/**
 * Scoring many (query, item) pairs with a model bundle: pairs are grouped by query and each query's items go
 * through the bundle's ONNX graph together, so ranks are per query and a file in any order scores in one pass.
 */
import type { BundlePairScores, BundleScorer } from '@gradeshift/core';

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

function place(scored: ScoredPairs, index: readonly number[], result: BundlePairScores): void {
  const k = result.grades.length;
  result.rank.forEach((j, position) => {
    scored.rank[index[j] ?? 0] = position;
  });
  index.forEach((row, j) => {
    for (let c = 0; c < k; c++) scored.probs[row * k + c] = result.probs[j * k + c] ?? 0;
    scored.expected[row] = result.expected[j] ?? 0;
    scored.predicted[row] = result.predicted[j] ?? 0;
    for (const [name, o] of Object.entries(result.ood)) {
      const into = scored.ood.get(name);
      if (into === undefined) continue;
      into.score[row] = o.score[j] ?? 0;
      into.percentile[row] = o.percentile[j] ?? 0;
      into.flag[row] = o.flag[j] ?? 0;
    }
  });
}

/**
 * Scores pairs with a bundle, one `scorePairs` call per query (its items in one batched forward pass).
 * @param scorer - a bundle scorer
 * @param pairs - the pairs, in any order
 * @param options - progress sink and queries per progress event
 * @returns the scores in input order, with the rank of each pair among its query's pairs (0 = best)
 */
export async function scoreBundlePairs(
  scorer: BundleScorer,
  pairs: readonly UnlabeledPair[],
  options: { progress?: ProgressSink; progressEvery?: number } = {},
): Promise<ScoredPairs> {
  const progressEvery = options.progressEvery ?? 200;
  const n = pairs.length;
  const k = scorer.manifest.grades.length;
  const scored: ScoredPairs = {
    probs: new Float64Array(n * k),
    expected: new Float64Array(n),
    predicted: new Int32Array(n),
    rank: new Int32Array(n),
    ood: new Map(),
  };
  const groups = groupByQuery(pairs);
  let done = 0;
  for (const [g, index] of groups.entries()) {
    const first = pairs[index[0] ?? 0];
    const result = await scorer.scorePairs(
      first?.query ?? '',
      index.map((i) => pairs[i]?.item ?? ''),
    );
    if (g === 0) {
      for (const [name, o] of Object.entries(result.ood))
        scored.ood.set(name, {
          score: new Float64Array(n),
          percentile: new Float64Array(n),
          flag: new Uint8Array(n),
          threshold: o.threshold,
        });
    }
    place(scored, index, result);
    done += index.length;
    if ((g + 1) % progressEvery === 0 || g === groups.length - 1)
      options.progress?.({
        stage: 'evaluate',
        message: `scoring ${groups.length} queries`,
        done,
        total: n,
      });
  }
  return scored;
}

/**
 * Issue 12's targets checked through a running API (`POST /trpc/score`, the served model of a pipeline run):
 * - ≥ 5,000 random (ID test query, other-department item) pairs: the share decided irrelevant and the count
 *   decided strong (also under the most probable grade);
 * - the ID and OOD test splits scored query by query: macro-F1 and over-recall of the API's `predicted`.
 *
 *   node --import tsx tests/scripts/check-debias-api.ts --run <run folder> --url http://127.0.0.1:<port> [--pairs 5000]
 *
 * The run folder gives the splits (rebuilt from its run.json) and the item catalogue; the API must serve that
 * run's bundle as its default model. Prints one JSON object.
 */
import { parseArgs } from 'node:util';

import { classificationReport, confusionMatrix, overRecall } from '@gradeshift/core';
import {
  buildNegatives,
  createDepartmentMatcher,
  HOMEDEPOT_TAXONOMY,
  loadRunData,
  type LabeledPair,
} from '@gradeshift/pipeline';

interface ScoredItem {
  readonly id: string;
  readonly predictedIndex: number;
  readonly mostProbableIndex: number;
}

const { values } = parseArgs({
  options: { run: { type: 'string' }, url: { type: 'string' }, pairs: { type: 'string' } },
});
if (values.run === undefined || values.url === undefined)
  throw new Error('usage: check-debias-api.ts --run <run folder> --url <api url> [--pairs 5000]');
const target = Number(values.pairs ?? 5000);

/** Scores pairs query by query through the API; returns predicted and most probable grade per pair. */
async function scoreThroughApi(
  pairs: readonly { query: string; item: string }[],
): Promise<{ predicted: Int32Array; mostProbable: Int32Array; decision: unknown }> {
  const byQuery = new Map<string, number[]>();
  pairs.forEach((p, i) => byQuery.set(p.query, [...(byQuery.get(p.query) ?? []), i]));
  const predicted = new Int32Array(pairs.length);
  const mostProbable = new Int32Array(pairs.length);
  let decision: unknown;
  for (const [query, rows] of byQuery) {
    const res = await fetch(`${values.url}/trpc/score`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query,
        items: rows.map((r) => ({ id: String(r), text: pairs[r]?.item ?? '' })),
      }),
    });
    if (!res.ok) throw new Error(`score failed for "${query}": ${res.status} ${await res.text()}`);
    const body = (await res.json()) as {
      result: { data: { items: ScoredItem[]; decision: unknown } };
    };
    decision = body.result.data.decision;
    for (const item of body.result.data.items) {
      predicted[Number(item.id)] = item.predictedIndex;
      mostProbable[Number(item.id)] = item.mostProbableIndex;
    }
  }
  return { predicted, mostProbable, decision };
}

const shares = (grades: Int32Array): number[] =>
  [0, 1, 2].map((g) => grades.filter((x) => x === g).length / grades.length);

async function judged(pairs: readonly LabeledPair[]) {
  const { predicted } = await scoreThroughApi(pairs);
  const cm = confusionMatrix(
    Int32Array.from(pairs, (p) => p.grade),
    predicted,
    3,
  );
  return {
    pairs: pairs.length,
    macro_f1: classificationReport(cm).macroF1,
    over_recall: overRecall(cm).overRecallRate,
  };
}

const t0 = performance.now();
const { data } = await loadRunData(values.run);
const matcher = createDepartmentMatcher(HOMEDEPOT_TAXONOMY);
const idTest = data.idTest.pairs;
const random = buildNegatives(idTest, {
  ratio: target / idTest.length,
  hardShare: 0,
  seed: 1,
  catalogue: [...new Set(data.dataset.pairs.map((p) => p.item))],
  departmentOf: (item) => matcher.match(item),
});
const scored = await scoreThroughApi(random);
const strong = scored.predicted.filter((g) => g === 2).length;
console.log(
  JSON.stringify(
    {
      decision: scored.decision,
      random_pairs: {
        pairs: random.length,
        queries: new Set(random.map((p) => p.query)).size,
        decided_shares: shares(scored.predicted),
        decided_strong: strong,
        most_probable_shares: shares(scored.mostProbable),
        strong_examples: random
          .filter((_, i) => scored.predicted[i] === 2)
          .slice(0, 10)
          .map((p) => `${p.query} | ${p.item}`),
      },
      id_test: await judged(idTest),
      ood_test: await judged(data.oodTest.pairs),
      seconds: (performance.now() - t0) / 1000,
    },
    null,
    1,
  ),
);

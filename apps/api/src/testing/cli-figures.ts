/**
 * What the API e2e tests of encoder and cross-encoder models share: the test query and items, and the checks
 * that the API's `score`, `rank` and rerank endpoints give `gradeshift score --model <bundle>`'s figures within
 * 1e-6 (the API's six decimals), with the same decided grades, ranks, OOD flags and rule.
 */
import { describeDecision, type GradeDecision } from '@gradeshift/core';
import type { ScoredPairs } from '@gradeshift/pipeline';
import { expect } from 'vitest';

import type { ScoredList } from '../scoring/score-items';
import { postJson, type TestServer } from './test-server';

/** The test query. */
export const QUERY = 'cordless drill';

/** ID-like items, far ones, a repeated text, the query itself and an empty-ish one. */
export const TEXTS = [
  'drill 18 v battery',
  'drill bit',
  'tile grout',
  'zyx 9000 kvq',
  'ææ øø ßß',
  '€€€ 12345 ///',
  'drill bit',
  'cordless drill',
];

/** {@link TEXTS} as the API's items. */
export const ITEMS = TEXTS.map((text, i) => ({ id: `d${i}`, text }));

/** {@link TEXTS} as the CLI's pairs with {@link QUERY}. */
export const CLI_PAIRS = TEXTS.map((item, i) => ({
  id: String(i),
  line: i + 2,
  query: QUERY,
  item,
}));

/** |a − b| ≤ 1e-6, naming what differs. */
export function expectClose(actual: number, expected: number, what: string): void {
  if (!(Math.abs(actual - expected) <= 1e-6))
    throw new Error(`${what}: API ${actual}, gradeshift score ${expected}`);
}

/** The entry `i` of `values`, which the test's lists hold. */
function at<T>(values: ArrayLike<T>, i: number, what: string): T {
  const value = values[i];
  if (value === undefined) throw new Error(`${what}: no entry ${i}`);
  return value;
}

/** Every figure of a scored list of {@link ITEMS} against the CLI's. */
export function expectCliFigures(
  list: ScoredList,
  cli: ScoredPairs,
  decision: GradeDecision,
): void {
  const k = cli.grades.length;
  const names = [...cli.ood.keys()].sort();
  expect(list.grades).toEqual([...cli.grades]);
  expect(list.decision).toEqual(describeDecision(decision, cli.grades));
  expect(Object.keys(list.thresholds).sort()).toEqual(names);
  list.items.forEach((row, i) => {
    expect(row.id).toBe(at(ITEMS, i, 'items').id);
    row.probs.forEach((p, c) =>
      expectClose(p, at(cli.probs, i * k + c, 'probs'), `${row.id} p[${c}]`),
    );
    expectClose(row.expected, at(cli.expected, i, 'expected'), `${row.id} expected`);
    const predicted = at(cli.predicted, i, 'predicted');
    expect(row.predictedIndex).toBe(predicted);
    expect(row.predicted).toBe(cli.grades[predicted]);
    const probs = Array.from(cli.probs.subarray(i * k, (i + 1) * k));
    expect(row.mostProbableIndex).toBe(probs.indexOf(Math.max(...probs)));
    expect(row.rank).toBe(at(cli.rank, i, 'rank') + 1);
    expect(Object.keys(row.ood).sort()).toEqual(names);
    for (const [name, o] of cli.ood) {
      const served = row.ood[name];
      if (served === undefined) throw new Error(`${row.id}: the API gives no ${name}`);
      expectClose(served.score, at(o.score, i, name), `${row.id} ${name} score`);
      expectClose(served.percentile, at(o.percentile, i, name), `${row.id} ${name} percentile`);
      expect(served.ood, `${row.id} ${name} flag`).toBe(o.flag[i] === 1);
      expect(list.thresholds[name]?.threshold).toBe(o.threshold);
    }
  });
}

/** A rerank response's body as the checks read it. */
interface RerankBodies {
  v2: {
    results: { index: number; relevance_score: number }[];
    gradeshift: { model: { sha256: string } };
  };
  v1: { results: { index: number; document: { text: string } }[] };
  tei: { index: number; score: number }[];
}

/**
 * `/v2/rerank`, `/v1/rerank` and `/rerank` (TEI's shape, which names no model: `id` must be the default) rank
 * {@link TEXTS} as the CLI and score them with its expected grades.
 * @param server - the running server
 * @param model - the served model's id and manifest sha256
 * @param cli - the CLI's answer
 */
export async function expectRerankAsCli(
  server: TestServer,
  model: { id: string; sha256: string },
  cli: ScoredPairs,
): Promise<void> {
  const byRank = [...TEXTS.keys()].sort(
    (a, b) => at(cli.rank, a, 'rank') - at(cli.rank, b, 'rank'),
  );
  const top = cli.grades.length - 1;
  const expected = (index: number) => at(cli.expected, index, 'expected');
  const request = { model: model.id, query: QUERY, documents: TEXTS };
  const v2 = await postJson(`${server.url}/v2/rerank`, request);
  expect(v2.status).toBe(200);
  const v2Body = v2.body as RerankBodies['v2'];
  expect(v2Body.results.map((r) => r.index)).toEqual(byRank);
  v2Body.results.forEach((r) =>
    expectClose(r.relevance_score, expected(r.index) / top, `v2 ${r.index}`),
  );
  expect(v2Body.gradeshift.model.sha256).toBe(model.sha256);

  const v1 = await postJson(`${server.url}/v1/rerank`, { ...request, top_n: 3 });
  expect(v1.status).toBe(200);
  const v1Body = v1.body as RerankBodies['v1'];
  expect(v1Body.results.map((r) => r.index)).toEqual(byRank.slice(0, 3));
  expect(v1Body.results[0]?.document.text).toBe(TEXTS[at(byRank, 0, 'ranks')]);

  const tei = await postJson(`${server.url}/rerank`, {
    query: QUERY,
    texts: TEXTS,
    raw_scores: true,
  });
  expect(tei.status).toBe(200);
  expect(tei.headers.get('x-gradeshift-model')).toBe(`${model.id}@1`);
  (tei.body as RerankBodies['tei']).forEach((r, i) => {
    expect(r.index).toBe(byRank[i]);
    expectClose(r.score, expected(r.index), `tei ${r.index}`);
  });
}

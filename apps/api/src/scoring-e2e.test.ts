import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { AppRouter } from './routers/index';
import { TEST_QUERIES, testItem } from './testing/create-test-bundle';
import { postJson, startTestServer, type TestServer } from './testing/test-server';

const items = (n: number, offset = 0) =>
  Array.from({ length: n }, (_, i) => ({ id: `p${offset + i}`, text: testItem(offset + i) }));

describe('score and rank over a real server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('scores each item: grade probabilities, expected and predicted grade, rank, OOD scores with flags', async () => {
    const client = server.client();
    const result = await client.score.mutate({ query: 'deck paint', items: items(50) });
    expect(result.model).toMatchObject({ id: 'default', version: 1 });
    expect(result.model.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result.grades).toEqual(['irrelevant', 'weak', 'strong']);
    expect(Object.keys(result.thresholds).sort()).toEqual(['energy', 'knn', 'mahalanobis']);
    expect(result.items).toHaveLength(50);
    expect(result.items.map((r) => r.id)).toEqual(items(50).map((i) => i.id));
    expect(result.items.map((r) => r.rank).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
    for (const row of result.items) {
      expect(row.probs).toHaveLength(3);
      expect(row.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      expect(row.expected).toBeCloseTo(row.probs[1]! + 2 * row.probs[2]!, 4);
      expect(result.grades[row.predictedIndex]).toBe(row.predicted);
      for (const [name, o] of Object.entries(row.ood)) {
        expect(o.percentile).toBeGreaterThanOrEqual(0);
        expect(o.percentile).toBeLessThanOrEqual(1);
        expect(o.ood).toBe(o.score > result.thresholds[name]!.threshold);
      }
    }
    // Rank follows the expected grade.
    const byRank = [...result.items].sort((a, b) => a.rank - b.rank);
    for (let i = 1; i < byRank.length; i++)
      expect(byRank[i - 1]!.expected).toBeGreaterThanOrEqual(byRank[i]!.expected);
    expect(result.timing.serverMs).toBeGreaterThan(0);
  });

  it('gives the same scores to the same item whatever the batch around it', async () => {
    const client = server.client();
    const alone = await client.score.mutate({ query: 'shower head', items: items(1, 7) });
    const among = await client.score.mutate({ query: 'shower head', items: items(20) });
    const row = among.items.find((r) => r.id === 'p7');
    expect(row?.probs).toEqual(alone.items[0]?.probs);
    expect(row?.ood).toEqual(alone.items[0]?.ood);
  });

  it('ranks best first and cuts to topN; another model answers when named', async () => {
    const client = server.client();
    const ranked = await client.rank.mutate({ query: 'angle bracket', items: items(30), topN: 5 });
    expect(ranked.total).toBe(30);
    expect(ranked.items.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5]);
    const alt = await client.rank.mutate({
      query: 'angle bracket',
      items: items(30),
      model: 'alt',
    });
    expect(alt.model.id).toBe('alt');
    expect(alt.model.sha256).not.toBe(ranked.model.sha256);
  });

  it('returns the most probable and the decided grade, and names and explains the rule behind "predicted"', async () => {
    const client = server.client();
    const plain = await client.score.mutate({ query: 'deck paint', items: items(40) });
    expect(plain.decision).toEqual({
      kind: 'argmax',
      name: 'most probable grade',
      explanation: 'The predicted grade is the most probable grade.',
    });
    for (const row of plain.items) {
      expect(row.mostProbableIndex).toBe(row.predictedIndex);
      expect(row.mostProbable).toBe(row.predicted);
    }
    const fitted = await client.score.mutate({
      query: 'deck paint',
      items: items(40),
      model: 'alt',
    });
    expect(fitted.decision.kind).toBe('grade-offsets');
    expect(fitted.decision.name).toBe('grade offsets');
    expect(fitted.decision.explanation).toContain('irrelevant +0.00, weak +0.80, strong −0.80');
    let differ = 0;
    for (const row of fitted.items) {
      // The most probable grade is the arg-max of the probabilities; predicted adds the offsets to the logs.
      const top = row.probs.indexOf(Math.max(...row.probs));
      expect(row.mostProbableIndex).toBe(top);
      expect(row.mostProbable).toBe(fitted.grades[top]);
      const adjusted = row.probs.map((p, c) => Math.log(Math.max(p, 1e-12)) + [0, 0.8, -0.8][c]!);
      expect(row.predictedIndex).toBe(adjusted.indexOf(Math.max(...adjusted)));
      if (row.predictedIndex !== row.mostProbableIndex) differ++;
    }
    expect(differ).toBeGreaterThan(0);
  });

  it('answers a plain HTTP POST with a JSON body (the README curl example)', async () => {
    const res = await postJson(`${server.url}/trpc/score`, {
      query: TEST_QUERIES[0],
      items: [
        { id: 'a', text: 'steel angle bracket' },
        { id: 'b', text: 'garden hose' },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.result.data.items).toHaveLength(2);
    expect(res.headers.get('x-request-id')).toMatch(/[0-9a-f-]{36}/);
  });

  it('refuses bad input with 400 naming the field, and limits by name', async () => {
    const client = server.client();
    const error = await client.score
      .mutate({ query: '  ', items: [{ id: 'a', text: 'x' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    const data = (error as TRPCClientError<AppRouter>).data;
    expect(data?.httpStatus).toBe(400);
    expect(data?.issues?.[0]?.path).toBe('query');

    const tooMany = await postJson(`${server.url}/trpc/score`, {
      query: 'deck',
      items: items(1001),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toContain('maxItems');
    expect(tooMany.body.error.data.limit).toMatchObject({
      name: 'maxItems',
      value: 1000,
      env: 'GRADESHIFT_MAX_ITEMS',
    });

    const long = await postJson(`${server.url}/trpc/score`, {
      query: 'deck',
      items: [{ id: 'a', text: 'x'.repeat(2001) }],
    });
    expect(long.status).toBe(400);
    expect(long.body.error.data.limit.name).toBe('maxTextChars');
    expect(long.body.error.data.issues[0].path).toBe('items.0.text');

    const duplicate = await postJson(`${server.url}/trpc/score`, {
      query: 'deck',
      items: [
        { id: 'a', text: 'x' },
        { id: 'a', text: 'y' },
      ],
    });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.error.data.issues[0].path).toBe('items.1.id');

    const unknown = await postJson(`${server.url}/trpc/score`, {
      query: 'deck',
      items: [{ id: 'a', text: 'x' }],
      model: 'nope',
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('default, alt');
  });
});

/**
 * The rerank-compatible endpoints through the clients engineers already use, against a real server on loopback:
 * the `cohere-ai` SDK (v2 and v1 clients, `environment` set to the server's URL), the Vercel AI SDK's `rerank()`
 * with `@ai-sdk/cohere` (`baseURL` set to the server's `/v2`), and TEI's and Jina's shapes through fetch (neither
 * has a JavaScript SDK).
 */
import { createCohere } from '@ai-sdk/cohere';
import { APICallError, rerank } from 'ai';
import { CohereClient, CohereClientV2, CohereError } from 'cohere-ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { testItem } from './testing/create-test-bundle';
import { postJson, startTestServer, type TestServer } from './testing/test-server';

const documents = Array.from({ length: 50 }, (_, i) => testItem(i));
const QUERY = 'deck paint';

/** What `rank` says for the same query and documents: ids best first and their expected grades. */
async function rankOf(server: TestServer, docs: readonly string[]) {
  const items = docs.map((text, i) => ({ id: String(i), text }));
  const ranked = await server.client().rank.mutate({ query: QUERY, items });
  return ranked.items.map((row) => ({ index: Number(row.id), expected: row.expected }));
}

describe('rerank-compatible endpoints through real clients', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { GRADESHIFT_MAX_ITEMS: '60' } });
  });
  afterAll(() => server.close());

  it('cohere-ai v2 client: results best first, relevance = expected grade / 2, extras in `gradeshift`', async () => {
    const cohere = new CohereClientV2({ token: 'unused', environment: server.url });
    const response = await cohere.rerank({ model: 'default', query: QUERY, documents, topN: 10 });
    const ranked = await rankOf(server, documents);
    expect(response.results.map((r) => r.index)).toEqual(ranked.slice(0, 10).map((r) => r.index));
    response.results.forEach((r, i) => {
      expect(r.relevanceScore).toBeCloseTo(ranked[i]!.expected / 2, 5);
      expect(r.relevanceScore).toBeGreaterThanOrEqual(0);
      expect(r.relevanceScore).toBeLessThanOrEqual(1);
    });
    const extra = (
      response.results[0] as unknown as {
        gradeshift: { probs: number[]; ood: object; predicted: string; mostProbable: string };
      }
    ).gradeshift;
    expect(extra.probs).toHaveLength(3);
    expect(extra.mostProbable).toBe(
      ['irrelevant', 'weak', 'strong'][extra.probs.indexOf(Math.max(...extra.probs))],
    );
    const decision = (response as unknown as { gradeshift: { decision: { name: string } } })
      .gradeshift.decision;
    expect(decision.name).toBe('most probable grade');
    expect(Object.keys(extra.ood).sort()).toEqual(['energy', 'knn', 'mahalanobis']);
    expect(['irrelevant', 'weak', 'strong']).toContain(extra.predicted);
    expect(response.id).toMatch(/[0-9a-f-]{36}/);
  });

  it('cohere-ai v1 client: documents returned, another model by name', async () => {
    const cohere = new CohereClient({ token: 'unused', environment: server.url });
    const response = await cohere.rerank({
      model: 'alt',
      query: QUERY,
      documents: documents.slice(0, 8),
      returnDocuments: true,
    });
    expect(response.results).toHaveLength(8);
    for (const r of response.results) expect(r.document?.text).toBe(documents[r.index]);
    const model = (response as unknown as { gradeshift: { model: { id: string } } }).gradeshift;
    expect(model.model.id).toBe('alt');
  });

  it('cohere-ai errors: an unknown model is NotFound, too many documents names the limit', async () => {
    const cohere = new CohereClientV2({ token: 'unused', environment: server.url });
    const unknown = await cohere
      .rerank({ model: 'rerank-v3.5', query: QUERY, documents: ['a'] })
      .catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(CohereError);
    expect((unknown as CohereError).statusCode).toBe(404);
    expect((unknown as CohereError).body).toMatchObject({
      message: expect.stringContaining('rerank-v3.5'),
    });
    const many = Array.from({ length: 61 }, (_, i) => testItem(i));
    const tooMany = await cohere
      .rerank({ model: 'default', query: QUERY, documents: many })
      .catch((e: unknown) => e);
    expect((tooMany as CohereError).statusCode).toBe(400);
    expect((tooMany as CohereError).body).toMatchObject({
      message: expect.stringContaining('over the limit maxItems (60'),
      limit: { name: 'maxItems', value: 60, env: 'GRADESHIFT_MAX_ITEMS' },
    });
  });

  it('Vercel AI SDK rerank() with the Cohere provider pointed at the server', async () => {
    const provider = createCohere({ baseURL: `${server.url}/v2`, apiKey: 'unused' });
    const { ranking, rerankedDocuments } = await rerank({
      model: provider.reranking('default'),
      query: QUERY,
      documents,
      topN: 5,
    });
    const ranked = await rankOf(server, documents);
    expect(ranking.map((r) => r.originalIndex)).toEqual(ranked.slice(0, 5).map((r) => r.index));
    ranking.forEach((r, i) => expect(r.score).toBeCloseTo(ranked[i]!.expected / 2, 5));
    expect(rerankedDocuments[0]).toBe(documents[ranked[0]!.index]);
    const error = await rerank({ model: provider.reranking('nope'), query: QUERY, documents })
      .then(() => undefined)
      .catch((e: unknown) => e);
    expect(APICallError.isInstance(error)).toBe(true);
    expect((error as APICallError).statusCode).toBe(404);
    expect((error as APICallError).message).toContain('nope');
  });

  it('Jina shape: return_documents false leaves documents out; objects with text are documents', async () => {
    const res = await postJson(`${server.url}/v1/rerank`, {
      model: 'default',
      query: QUERY,
      documents: [{ text: documents[0] }, documents[1]],
      top_n: 1,
      return_documents: false,
    });
    expect(res.status).toBe(200);
    expect(res.body.results).toHaveLength(1);
    expect(res.body.results[0].document).toBeUndefined();
    const bad = await postJson(`${server.url}/v1/rerank`, { query: QUERY, documents: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain('documents');
  });

  it('TEI shape: sorted [{index, score, text}], raw_scores is the expected grade, truncate cuts long texts', async () => {
    const texts = documents.slice(0, 6);
    const res = await postJson(`${server.url}/rerank`, { query: QUERY, texts, return_text: true });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-gradeshift-model')).toBe('default@1');
    const ranked = await rankOf(server, texts);
    expect(res.body.map((r: { index: number }) => r.index)).toEqual(ranked.map((r) => r.index));
    for (const r of res.body) expect(r.text).toBe(texts[r.index]);
    const raw = await postJson(`${server.url}/rerank`, { query: QUERY, texts, raw_scores: true });
    raw.body.forEach((r: { score: number }, i: number) =>
      expect(r.score).toBeCloseTo(ranked[i]!.expected, 5),
    );
    const long = ['x '.repeat(1500)];
    const refused = await postJson(`${server.url}/rerank`, { query: QUERY, texts: long });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      error_type: 'Validation',
      limit: { name: 'maxTextChars' },
    });
    expect(refused.body.error).toContain('texts.0');
    const cut = await postJson(`${server.url}/rerank`, {
      query: QUERY,
      texts: long,
      truncate: true,
    });
    expect(cut.status).toBe(200);
  });

  it('refuses other methods, bodies that are not JSON and bodies over maxBodyBytes in the vendor shape', async () => {
    const get = await fetch(`${server.url}/v2/rerank`);
    expect(get.status).toBe(405);
    expect(((await get.json()) as { message: string }).message).toContain('POST');
    const notJson = await postJson(`${server.url}/v2/rerank`, '{"query":');
    expect(notJson.status).toBe(400);
    expect(notJson.body.message).toContain('not valid JSON');
    const huge = await postJson(`${server.url}/rerank`, {
      query: QUERY,
      texts: ['y'.repeat(5_000_000)],
    });
    expect(huge.status).toBe(413);
    expect(huge.body.limit.name).toBe('maxBodyBytes');
  });
});

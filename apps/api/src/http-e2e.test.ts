import { request } from 'node:http';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { postJson, startTestServer, type TestServer } from './testing/test-server';

describe('plain HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      env: {
        GRADESHIFT_MAX_BODY_BYTES: '20000',
        GRADESHIFT_CORS_ORIGINS: 'http://dash.test:3000',
        GRADESHIFT_MAX_FILE_PAIRS: '50',
        GRADESHIFT_MAX_INLINE_PAIRS: '5',
      },
    });
  });
  afterAll(() => server.close());

  it('answers GET /healthz and the health procedure', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      status: string;
      models: unknown[];
      store: { kind: string; replica: string };
    };
    expect(body.status).toBe('ok');
    expect(body.models).toHaveLength(2);
    expect(body.store.kind).toBe('sqlite');
    expect(body.store.replica).toMatch(/^[0-9a-f-]{36}$/);
    const health = await fetch(`${server.url}/trpc/health`);
    expect(
      ((await health.json()) as { result: { data: { status: string } } }).result.data.status,
    ).toBe('ok');
  });

  it('serves GET queries with the input in the URL, and batches', async () => {
    const input = encodeURIComponent(JSON.stringify({ id: 'alt' }));
    const one = await fetch(`${server.url}/trpc/models.get?input=${input}`);
    expect(one.status).toBe(200);
    const batch = await fetch(
      `${server.url}/trpc/models.list,health?batch=1&input=${encodeURIComponent('{}')}`,
    );
    expect(batch.status).toBe(200);
    expect((await batch.json()) as unknown[]).toHaveLength(2);
    // Queries take POST with a JSON body too, for clients in other languages.
    const posted = await postJson(`${server.url}/trpc/models.get`, { id: 'alt' });
    expect(posted.status).toBe(200);
    expect(posted.body.result.data.id).toBe('alt');
  });

  it('refuses a body over maxBodyBytes with 413 naming the limit, before reading it', async () => {
    const items = Array.from({ length: 300 }, (_, i) => ({
      id: `i${i}`,
      text: 'steel angle bracket '.repeat(4),
    }));
    const res = await postJson(`${server.url}/trpc/score`, { query: 'deck', items });
    expect(res.status).toBe(413);
    expect(res.body.error.data.limit).toMatchObject({ name: 'maxBodyBytes', value: 20000 });
    expect(res.body.error.message).toContain('GRADESHIFT_MAX_BODY_BYTES');
  });

  it('refuses a chunked body over maxBodyBytes with 413 too', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${server.url}/trpc/score`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write('{"query":"deck","items":[');
      for (let i = 0; i < 500; i++)
        req.write(`{"id":"i${i}","text":"steel angle bracket steel angle bracket"},`);
      req.end('{"id":"last","text":"x"}]}');
    });
    expect(status).toBe(413);
  });

  it('refuses too many batched calls with 400 naming the limit', async () => {
    const paths = Array.from({ length: 17 }, () => 'health').join(',');
    const res = await fetch(`${server.url}/trpc/${paths}?batch=1&input={}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { data: { limit: { name: string } } } };
    expect(body.error.data.limit.name).toBe('maxBatchCalls');
  });

  it('answers malformed JSON, unknown procedures and unknown paths with 4xx', async () => {
    expect((await postJson(`${server.url}/trpc/score`, '{"query": ')).status).toBe(400);
    expect((await postJson(`${server.url}/trpc/score`, '[1,2,3]')).status).toBe(400);
    expect((await postJson(`${server.url}/trpc/nope`, {})).status).toBe(404);
    expect((await fetch(`${server.url}/elsewhere`)).status).toBe(404);
    expect((await fetch(`${server.url}/trpc/score`)).status).toBe(405);
  });

  it('allows the configured origin and refuses others', async () => {
    const preflight = await fetch(`${server.url}/trpc/score`, {
      method: 'OPTIONS',
      headers: { origin: 'http://dash.test:3000', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://dash.test:3000');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    const foreign = await postJson(
      `${server.url}/trpc/score`,
      { query: 'deck', items: [{ id: 'a', text: 'x' }] },
      { origin: 'http://evil.test' },
    );
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('keeps a sane client request id and logs every request with it', async () => {
    const res = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'trace-42' } });
    expect(res.headers.get('x-request-id')).toBe('trace-42');
    const odd = await fetch(`${server.url}/healthz`, {
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    expect(odd.headers.get('x-request-id')).not.toBe('bad id with spaces');
    await new Promise((done) => setTimeout(done, 20));
    const line = server.logs.find((l) => l['requestId'] === 'trace-42' && l['msg'] === 'request');
    expect(line).toMatchObject({ method: 'GET', path: '/healthz', status: 200 });
    expect(typeof line?.['ms']).toBe('number');
  });

  it('bounds datasets: inline pairs refused at once, file rows stop the job, each naming its limit', async () => {
    const pairs = Array.from({ length: 6 }, (_, i) => ({
      query: 'deck',
      item: `item ${i}`,
      grade: 0,
    }));
    const inline = await postJson(`${server.url}/trpc/evaluate`, { dataset: { pairs } });
    expect(inline.status).toBe(400);
    expect(inline.body.error.message).toContain('maxInlinePairs');
    expect(inline.body.error.data.limit?.name).toBe('maxInlinePairs');
    const noColumns = await postJson(`${server.url}/trpc/evaluate`, {
      dataset: { path: 'judged.csv' },
    });
    expect(noColumns.status).toBe(400);
    expect(noColumns.body.error.data.issues.map((i: { path: string }) => i.path)).toEqual([
      'dataset.columns',
      'dataset.grades',
    ]);
    const client = server.client();
    const started = await client.evaluate.mutate({
      dataset: {
        path: 'judged.csv',
        columns: { query: 'query', item: 'title', label: 'label' },
        grades: { kind: 'values', grades: [['0'], ['1'], ['2']] },
      },
    });
    let job = started;
    while (job.status === 'running') {
      await new Promise((done) => setTimeout(done, 50));
      job = await client.jobs.get.query({ id: started.id });
    }
    expect(job.status).toBe('failed');
    expect(job.error).toContain('maxFilePairs');
  });
});

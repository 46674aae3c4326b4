import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RouterOutputs } from './index';
import { TEST_QUERIES, testItem } from './testing/create-test-bundle';
import { postJson, rejection, startTestServer, type TestServer } from './testing/test-server';

type Job = RouterOutputs['jobs']['get'];

const CSV_DATASET = {
  path: 'judged.csv',
  columns: { id: 'id', query: 'query', item: 'title', label: 'label' },
  grades: { kind: 'values' as const, grades: [['0'], ['1'], ['2']] },
};

async function waitFor(server: TestServer, id: string): Promise<Job> {
  const client = server.client();
  for (let i = 0; i < 600; i++) {
    const job = await client.jobs.get.query({ id });
    if (job.status !== 'running') return job;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`job ${id} did not finish`);
}

describe('evaluate, select and runs over a real server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { GRADESHIFT_MAX_CONCURRENT_JOBS: '1' } });
    writeFileSync(join(server.root, 'outside.csv'), 'id,query,title,label\n1,a,b,0\n');
    symlinkSync(join(server.root, 'outside.csv'), join(server.dirs.data, 'link.csv'));
  });
  afterAll(() => server.close());

  it('evaluates a file of the data folder as a job whose result becomes a run', async () => {
    const client = server.client();
    const started = await client.evaluate.mutate({
      dataset: CSV_DATASET,
      name: 'judged',
      resamples: 50,
    });
    expect(started.kind).toBe('evaluate');
    expect(started.status).toBe('running');
    const job = await waitFor(server, started.id);
    expect(job.status, job.error ?? '').toBe('succeeded');
    if (job.kind !== 'evaluate' || job.result === null) throw new Error('no result');
    expect(job.result.pairs).toBe(80);
    expect(job.result.queries).toBe(10);
    expect(job.result.metrics['ndcg@10']?.value).toBeGreaterThan(0);
    expect(Object.keys(job.result.ood).sort()).toEqual(['energy', 'knn', 'mahalanobis']);

    const run = await client.runs.get.query({ id: job.result.runId });
    expect(run.run).toMatchObject({ name: 'judged', kind: 'evaluate', status: 'succeeded' });
    expect(run.metrics.length).toBeGreaterThan(5);
    expect(run.report?.format).toBe('gradeshift-evaluation');
    expect((await client.runs.get.query({ id: 'judged' })).run.id).toBe(job.result.runId);
    expect((await client.runs.list.query()).map((r) => r.name)).toContain('judged');
  });

  it("pages, filters and sorts a run's predictions", async () => {
    const client = server.client();
    const first = await client.runs.predictions.query({ id: 'judged', limit: 30 });
    expect(first.total).toBe(80);
    expect(first.rows).toHaveLength(30);
    expect(first.nextCursor).toBe(30);
    const last = await client.runs.predictions.query({ id: 'judged', limit: 30, cursor: 60 });
    expect(last.rows).toHaveLength(20);
    expect(last.nextCursor).toBeNull();

    const strong = await client.runs.predictions.query({ id: 'judged', grade: 2, limit: 100 });
    expect(strong.rows.every((r) => r.grade === 2)).toBe(true);
    const byError = await client.runs.predictions.query({
      id: 'judged',
      sort: { by: 'error', order: 'desc' },
      limit: 100,
    });
    const errors = byError.rows.map((r) => r.error ?? 0);
    expect(errors).toEqual([...errors].sort((a, b) => b - a));
    const byOod = await client.runs.predictions.query({
      id: 'judged',
      sort: { by: 'ood', detector: 'mahalanobis', order: 'asc' },
      limit: 100,
    });
    const scores = byOod.rows.map((r) => r.ood['mahalanobis'] ?? 0);
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    const flagged = await client.runs.predictions.query({
      id: 'judged',
      ood: { detector: 'mahalanobis', flagged: true },
      limit: 100,
    });
    const kept = await client.runs.predictions.query({
      id: 'judged',
      ood: { detector: 'mahalanobis', flagged: false },
      limit: 100,
    });
    expect(flagged.total + kept.total).toBe(80);
    expect(flagged.rows.every((r) => r.flags['mahalanobis'] === true)).toBe(true);

    const tooBig = await rejection(client.runs.predictions.query({ id: 'judged', limit: 501 }));
    expect(tooBig.data?.httpStatus).toBe(400);
    expect(tooBig.data?.limit?.name).toBe('maxPageSize');
    const unknown = await rejection(
      client.runs.predictions.query({
        id: 'judged',
        sort: { by: 'ood', detector: 'nope', order: 'desc' },
      }),
    );
    expect(unknown.data?.httpStatus).toBe(400);
  });

  it('evaluates inline pairs and compares two runs with a paired test', async () => {
    const client = server.client();
    const pairs = TEST_QUERIES.flatMap((query, q) =>
      Array.from({ length: 6 }, (_, j) => ({
        query,
        item: testItem(q * 100 + j),
        grade: (['irrelevant', 'weak', 'strong'] as const)[(q + j) % 3]!,
      })),
    );
    const started = await client.evaluate.mutate({
      dataset: { pairs },
      name: 'inline',
      model: 'alt',
      resamples: 20,
    });
    const job = await waitFor(server, started.id);
    expect(job.status, job.error ?? '').toBe('succeeded');
    const comparison = await client.runs.compare.query({
      a: 'judged',
      b: 'inline',
      split: 'external',
    });
    expect(comparison.a.name).toBe('judged');
    expect(comparison.paired?.queries).toBe(10);
    expect(comparison.paired?.tTestP).toBeGreaterThanOrEqual(0);
    expect(comparison.metrics.find((m) => m.name === 'ndcg@10')?.difference).not.toBeNull();
  });

  it('refuses a second job over maxConcurrentJobs with 429 naming the limit', async () => {
    const client = server.client();
    const first = await client.evaluate.mutate({ dataset: CSV_DATASET, resamples: 2000 });
    const second = await postJson(`${server.url}/trpc/evaluate`, { dataset: CSV_DATASET });
    expect(second.status).toBe(429);
    expect(second.body.error.data.limit.name).toBe('maxConcurrentJobs');
    // The first job may already be done on a fast machine; either way it ends.
    await client.jobs.cancel.mutate({ id: first.id });
    expect((await waitFor(server, first.id)).status).toMatch(/cancelled|succeeded/);
  });

  it('selects candidates distribution-aware, with reasons, exported as CSV and JSONL', async () => {
    const client = server.client();
    const pool = Array.from({ length: 120 }, (_, i) => ({
      id: `pool-${i}`,
      query: TEST_QUERIES[i % TEST_QUERIES.length]!,
      item: i % 10 === 0 ? `zzqx unseen words ${i}` : testItem(5000 + i),
    }));
    const started = await client.select.mutate({ pool: { pairs: pool }, budget: 12, seed: 1 });
    const job = await waitFor(server, started.id);
    expect(job.status, job.error ?? '').toBe('succeeded');
    if (job.kind !== 'select' || job.result === null) throw new Error('no result');
    expect(job.result.detectors).toEqual(['mahalanobis', 'knn']);
    // Near-duplicates are skipped, so a pool of a random tiny model may fall short of the budget: said in stats.
    const picked = job.result.candidates.length;
    expect(picked).toBeGreaterThan(0);
    expect(picked + Number(job.result.stats['shortfall'])).toBe(12);
    expect(new Set(job.result.candidates.map((c) => c.id)).size).toBe(picked);
    for (const c of job.result.candidates) expect(c.reason.length).toBeGreaterThan(0);

    const csv = await client.jobs.export.query({ id: job.id, format: 'csv' });
    expect(csv.contentType).toBe('text/csv');
    const lines = csv.content.trim().split('\r\n');
    expect(lines[0]).toBe('rank,id,query,item,reason,expected,predicted,label');
    expect(lines).toHaveLength(picked + 1);
    const jsonl = await client.jobs.export.query({ id: job.id, format: 'jsonl' });
    expect(
      jsonl.content
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).id),
    ).toEqual(job.result.candidates.map((c) => c.id));

    for (const strategy of ['random', 'uncertainty'] as const) {
      const other = await waitFor(
        server,
        (await client.select.mutate({ pool: { pairs: pool }, budget: 5, strategy })).id,
      );
      expect(other.status).toBe('succeeded');
      expect(other.kind === 'select' ? other.result?.candidates : []).toHaveLength(5);
    }
  });

  it('reads pools and datasets only inside the data folder', async () => {
    const client = server.client();
    const attempt = (path: string) =>
      rejection(client.evaluate.mutate({ dataset: { ...CSV_DATASET, path } }));
    expect((await attempt('../outside.csv')).data?.httpStatus).toBe(403);
    expect((await attempt('link.csv')).data?.httpStatus).toBe(403);
    expect((await attempt('/etc/passwd')).data?.httpStatus).toBe(400);
    expect((await attempt('missing.csv')).data?.httpStatus).toBe(404);
    const pool = await rejection(
      client.select.mutate({
        pool: { path: '../outside.csv', columns: { query: 'query', item: 'title' } },
        budget: 1,
      }),
    );
    expect(pool.data?.httpStatus).toBe(403);
  });

  it('refuses a bad mapping before any job starts, with the file, line and reason', async () => {
    const client = server.client();
    const error = await rejection(
      client.evaluate.mutate({
        dataset: { ...CSV_DATASET, columns: { ...CSV_DATASET.columns, label: 'nope' } },
      }),
    );
    expect(error.data?.httpStatus).toBe(400);
    expect(error.message).toMatch(
      /^judged\.csv:1: columns\.label is "nope", but the header has no such column/,
    );
  });

  it('reports a malformed row as a failed job naming the file as given, never the server folder', async () => {
    const client = server.client();
    writeFileSync(
      join(server.dirs.data, 'bad-row.csv'),
      'id,query,title,label\n1,steel bracket,Acme bracket,2\n2,steel bracket,Acme hinge,x\n',
    );
    const started = await client.evaluate.mutate({
      dataset: { ...CSV_DATASET, path: 'bad-row.csv' },
      resamples: 2,
    });
    const job = await waitFor(server, started.id);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/^bad-row\.csv:3: label "x" is in no grade's value list/);
    expect(job.error).not.toContain(server.root);
  });
});

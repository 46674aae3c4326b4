/**
 * The annotation procedures over a real server: a finished selection exported as CSV, JSONL and a Label Studio
 * import with its labelling config; `labels.train` refusing what it cannot use before any job starts. Training
 * on labels end to end (a prepared run folder): tests/integration/labels-round-trip.test.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { parseLabels } from '@gradeshift/pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { TEST_QUERIES, testItem } from './testing/create-test-bundle';
import { rejection, startTestServer, type TestServer } from './testing/test-server';

const TOKEN = 'labels-test-token-0123456789';

describe('labels.export and labels.train over a real server', () => {
  let server: TestServer;
  let jobId: string;
  beforeAll(async () => {
    server = await startTestServer({ env: { GRADESHIFT_API_TOKEN: TOKEN } });
    const client = server.client({ token: TOKEN });
    const pool = Array.from({ length: 80 }, (_, i) => ({
      id: `pool-${i}`,
      query: TEST_QUERIES[i % TEST_QUERIES.length]!,
      item: testItem(7000 + i),
    }));
    const started = await client.select.mutate({ pool: { pairs: pool }, budget: 8, seed: 2 });
    for (let i = 0; i < 600; i++) {
      const job = await client.jobs.get.query({ id: started.id });
      if (job.status !== 'running') break;
      await new Promise((done) => setTimeout(done, 50));
    }
    jobId = started.id;
  });
  afterAll(() => server.close());

  it('exports a selection as CSV, JSONL and Label Studio tasks whose labels read back', async () => {
    const client = server.client();
    const job = await client.jobs.get.query({ id: jobId });
    if (job.kind !== 'select' || job.result === null) throw new Error(job.error ?? 'no result');
    const ids = job.result.candidates.map((c) => c.id);
    expect(ids.length).toBeGreaterThan(0);
    const csv = await client.labels.export.query({ id: jobId, format: 'csv' });
    expect(csv.filename).toMatch(/^selection-distribution-aware-\w{8}\.csv$/);
    expect(csv.content.split('\r\n')[0]).toMatch(/^id,rank,query,item,reason,.*,label$/);
    expect(csv.labelConfig).toBeNull();
    const jsonl = await client.labels.export.query({ id: jobId, format: 'jsonl' });
    expect(jsonl.content.trim().split('\n')).toHaveLength(ids.length);
    const ls = await client.labels.export.query({ id: jobId, format: 'labelstudio' });
    const tasks = JSON.parse(ls.content) as { data: { gradeshift_id: string; reason: string } }[];
    expect(tasks.map((t) => t.data.gradeshift_id)).toEqual(ids);
    expect(ls.labelConfig).toContain('<Choice value="weak"/>');
    // The filled CSV reads back against the same ids.
    const filled = csv.content.replace(/,\r\n/g, ',strong\r\n');
    const labels = parseLabels(filled, {
      grades: ['irrelevant', 'weak', 'strong'],
      ids,
      file: 'q.csv',
    });
    expect([...labels.labels.values()]).toEqual(ids.map(() => 2));
  });

  it('refuses before any job: no token, a missing run, a run without a selection, a bad labels file', async () => {
    const open = server.client();
    const input = { run: 'nope', labels: { content: 'id,label\n', format: 'csv' as const } };
    expect((await rejection(open.labels.train.mutate(input))).data?.httpStatus).toBe(401);
    const client = server.client({ token: TOKEN });
    expect((await rejection(client.labels.train.mutate(input))).data?.httpStatus).toBe(404);
    mkdirSync(join(server.dirs.runs, 'empty'));
    writeFileSync(join(server.dirs.runs, 'empty', 'run.json'), '{}');
    const empty = await rejection(client.labels.train.mutate({ ...input, run: 'empty' }));
    expect(empty.data?.httpStatus).toBe(422);
    const outside = await rejection(
      client.labels.train.mutate({ run: 'empty', labels: { path: '../x.csv' } }),
    );
    expect(outside.data?.httpStatus).toBe(403);
    expect((await client.jobs.list.query()).filter((j) => j.kind === 'labels')).toEqual([]);
  });
});

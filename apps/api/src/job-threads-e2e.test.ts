/**
 * Jobs run off the HTTP thread: while an evaluate job with a heavy bootstrap runs, the server answers health
 * checks and scoring at once, and the job can be cancelled mid-bootstrap; its run is then `interrupted`, its
 * folder holds no temporary file, and its name can be used again.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { TEST_QUERIES, testItem } from './testing/create-test-bundle';
import { startTestServer, type TestServer } from './testing/test-server';

/** The nice value of every thread of this process (field 19 of /proc/self/task/<tid>/stat), by thread id. */
function threadNiceValues(): Map<number, number> {
  const nice = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // Fields after the command name "(…)": state is field 3, nice field 19.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      nice.set(Number(tid), Number(fields[16]));
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return nice;
}

describe('jobs in threads', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const pairs = Array.from({ length: 5000 }, (_, i) => ({
    query: TEST_QUERIES[i % TEST_QUERIES.length]!,
    item: testItem(i),
    grade: i % 3,
  }));

  it('answers /healthz and score during a 10,000-resample bootstrap, then cancels it', async () => {
    const client = server.client();
    const started = await client.evaluate.mutate({
      dataset: { pairs },
      name: 'heavy',
      resamples: 10_000,
    });
    // Wait until the job is past reading and scoring.
    for (let i = 0; i < 600; i++) {
      const job = await client.jobs.get.query({ id: started.id });
      if (job.progress.message?.startsWith('bootstrap') === true) break;
      await new Promise((done) => setTimeout(done, 50));
    }
    // The job thread (and the onnxruntime threads it started) run at a lower priority than the server's threads.
    if (process.platform === 'linux') {
      const nice = threadNiceValues();
      expect(nice.get(process.pid)).toBe(0);
      expect([...nice.values()].filter((n) => n === 10).length).toBeGreaterThanOrEqual(1);
    }
    const slowest = { health: 0, score: 0 };
    for (let i = 0; i < 20; i++) {
      let t0 = performance.now();
      const health = await fetch(`${server.url}/healthz`);
      slowest.health = Math.max(slowest.health, performance.now() - t0);
      expect(health.status).toBe(200);
      t0 = performance.now();
      await client.score.mutate({
        query: 'angle bracket',
        items: [{ id: 'a', text: testItem(1) }],
      });
      slowest.score = Math.max(slowest.score, performance.now() - t0);
    }
    // Loose bounds for a loaded CI machine; the job alone would hold the thread for seconds.
    expect(slowest.health).toBeLessThan(1000);
    expect(slowest.score).toBeLessThan(1000);
    expect((await client.jobs.get.query({ id: started.id })).status).toBe('running');

    const t0 = performance.now();
    expect((await client.jobs.cancel.mutate({ id: started.id })).cancelled).toBe(true);
    let job = await client.jobs.get.query({ id: started.id });
    while (job.status === 'running') {
      await new Promise((done) => setTimeout(done, 50));
      job = await client.jobs.get.query({ id: started.id });
    }
    expect(job.status).toBe('cancelled');
    expect(performance.now() - t0).toBeLessThan(10_000);
    const run = (await client.runs.list.query({})).find((r) => r.name === 'heavy');
    expect(run?.status).toBe('interrupted');
    expect(readdirSync(join(server.dirs.runs, 'heavy')).filter((f) => f.endsWith('.tmp'))).toEqual(
      [],
    );

    // The interrupted run's name is free again.
    const again = await client.evaluate.mutate({
      dataset: { pairs: pairs.slice(0, 60) },
      name: 'heavy',
      resamples: 2,
    });
    let done = await client.jobs.get.query({ id: again.id });
    while (done.status === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 50));
      done = await client.jobs.get.query({ id: again.id });
    }
    expect(done.status, done.error ?? '').toBe('succeeded');
  }, 120_000);
});

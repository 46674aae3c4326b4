/**
 * The API killed with SIGKILL while an evaluate job runs (during its scoring, then during its bootstrap), then
 * started again on the same folders: the run is listed `interrupted`, its folder holds no temporary file, the
 * store passes SQLite's integrity check, and the run's name can be used again. `npm run test:postgres` runs it with
 * the runs read from a PostgreSQL store (the restarted server copies the recovered run there before it answers).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { TEST_QUERIES, testItem, writeTestBundle } from '@gradeshift/api/testing';

import { REPO_ROOT } from './home-depot-slice';

let root: string;

function startApi(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(REPO_ROOT, 'apps/api/src/server.ts')],
    {
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        GRADESHIFT_MODELS: `default=${join(root, 'runs', 'bundle')}`,
        GRADESHIFT_MODELS_DIR: join(root, 'runs'),
        GRADESHIFT_RUNS_DIR: join(root, 'runs'),
        GRADESHIFT_DATA_DIR: join(root, 'data'),
        GRADESHIFT_SCORING_THREADS: '0',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /"url":"(http:[^"]+)"/.exec(out);
      if (match?.[1] !== undefined) resolve({ child, url: match[1] });
    });
    child.on('exit', (code) => reject(new Error(`the API exited (${code})`)));
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test reads whatever JSON came back and asserts on it
async function call(url: string, procedure: string, input: unknown): Promise<any> {
  const response = await fetch(`${url}/trpc/${procedure}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  return ((await response.json()) as { result?: { data: unknown }; error?: unknown }).result?.data;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gradeshift-api-faults-'));
  mkdirSync(join(root, 'data'));
  await writeTestBundle({ dir: join(root, 'runs', 'bundle'), size: 'pipeline' });
  const lines = ['id,query,title,label'];
  for (let i = 0; i < 20_000; i++)
    lines.push(`${i},${TEST_QUERIES[i % TEST_QUERIES.length]},${testItem(i)},${i % 3}`);
  writeFileSync(join(root, 'data', 'pairs.csv'), `${lines.join('\n')}\n`);
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the API killed during a job', () => {
  it.each([
    [
      'scoring',
      (message: string | undefined, stage: string) => stage === 'scoring' && message !== undefined,
    ],
    ['bootstrap', (message: string | undefined) => message?.startsWith('bootstrap') === true],
  ])(
    'during %s: restarted, the run is interrupted and its name free',
    async (phase, reached) => {
      const name = `killed-${phase}`;
      const first = await startApi();
      const job = await call(first.url, 'evaluate', {
        dataset: {
          path: 'pairs.csv',
          columns: { id: 'id', query: 'query', item: 'title', label: 'label' },
          grades: { kind: 'values', grades: [['0'], ['1'], ['2']] },
        },
        name,
        resamples: 5000,
      });
      expect(job?.status).toBe('running');
      for (let i = 0; i < 1200; i++) {
        const now = await call(first.url, 'jobs.get', { id: job.id });
        expect(now.status).toBe('running');
        if (reached(now.progress.message, now.progress.stage)) break;
        await new Promise((done) => setTimeout(done, 50));
      }
      first.child.kill('SIGKILL');
      await new Promise((done) => first.child.once('exit', done));

      const second = await startApi();
      try {
        // The store the servers ran on: PostgreSQL with `npm run test:postgres`, else the SQLite file.
        const health = (await (await fetch(`${second.url}/healthz`)).json()) as {
          store: { kind: string };
        };
        expect(health.store.kind).toBe(
          process.env['GRADESHIFT_STORE'] === undefined ? 'sqlite' : 'postgres',
        );
        const runs = (await call(second.url, 'runs.list', {})) as {
          name: string;
          status: string;
          outDir: string;
        }[];
        const run = runs.find((r) => r.name === name);
        expect(run?.status).toBe('interrupted');
        expect(run?.outDir).toBe(name);
        expect(readdirSync(join(root, 'runs', name)).filter((f) => f.includes('.tmp'))).toEqual([]);
        const db = new Database(join(root, 'runs', 'runs.sqlite'), { readonly: true });
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        db.close();
        const again = await call(second.url, 'evaluate', {
          dataset: { pairs: [{ query: 'angle bracket', item: testItem(1), grade: 0 }] },
          name,
          resamples: 2,
        });
        expect(again?.status).toBe('running');
      } finally {
        second.child.kill('SIGTERM');
        await new Promise((done) => second.child.once('exit', done));
      }
    },
    240_000,
  );
});

/**
 * Measures how long a `models.reload` on one replica takes to reach another: a throwaway PostgreSQL cluster, replica
 * A in this process and replica B in a child process on the same store and models folder (a copy of the bundle
 * given), five reloads on A, each timed until B serves the new version.
 *
 *   node --import tsx apps/api/scripts/replica-reload.ts [bundle folder, default runs/default/bundle]
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { createTRPCClient, httpLink } from '@trpc/client';

import { startPostgresCluster } from '@gradeshift/pipeline/testing';

import { REPO_ROOT } from '../src/env';
import type { AppRouter } from '../src/routers/index';
import { startTestServer } from '../src/testing/test-server';

/** As the child: start replica B with the environment in argv[3], print its URL, close on SIGTERM. */
async function replicaB(env: Record<string, string>): Promise<void> {
  const b = await startTestServer({ env });
  process.stdout.write(`${b.url}\n`);
  process.on('SIGTERM', () => void b.close().then(() => process.exit(0)));
}

async function measure(bundle: string): Promise<void> {
  const cluster = await startPostgresCluster();
  const scratch = mkdtempSync(join(tmpdir(), 'gradeshift-replica-reload-'));
  const child = { kill: () => undefined } as { kill: () => void; done?: Promise<unknown> };
  try {
    cpSync(bundle, join(scratch, 'models', 'bundle'), { recursive: true });
    const env = {
      GRADESHIFT_STORE: cluster.url,
      GRADESHIFT_MODELS: `default=${join(scratch, 'models', 'bundle')}`,
      GRADESHIFT_MODELS_DIR: join(scratch, 'models'),
    };
    const a = await startTestServer({ env });
    const envB = { ...env, GRADESHIFT_RUN_STORE: join(scratch, 'b.sqlite') };
    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', import.meta.filename, '--replica-b', JSON.stringify(envB)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    child.kill = () => proc.kill('SIGTERM');
    child.done = new Promise((done) => proc.once('exit', done));
    const url = await new Promise<string>((done) =>
      proc.stdout.once('data', (d: Buffer) => done(d.toString().trim())),
    );
    const b = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${url}/trpc` })] });
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const reloaded = await a.client().models.reload.mutate({ id: 'default' });
      const t1 = performance.now();
      while ((await b.models.get.query({ id: 'default' })).version < reloaded.model.version)
        await new Promise((done) => setTimeout(done, 5));
      const t2 = performance.now();
      process.stdout.write(
        `reload on A ${(t1 - t0).toFixed(0)} ms; B serves it ${(t2 - t1).toFixed(0)} ms after A answered\n`,
      );
    }
    await a.close();
  } finally {
    child.kill();
    await child.done;
    cluster.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--replica-b')
  await replicaB(JSON.parse(process.argv[3] ?? '{}') as Record<string, string>);
else await measure(resolve(process.argv[2] ?? join(REPO_ROOT, 'runs', 'default', 'bundle')));

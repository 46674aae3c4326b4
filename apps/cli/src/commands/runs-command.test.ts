import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { openRunStore, openRunStoreBackend, snapshotOf } from '@gradeshift/pipeline';
import { postgresBinDir, startPostgresCluster } from '@gradeshift/pipeline/testing';

import { runCli } from '../run-cli';
import { createTempDir, createTestContext } from '../test-context';

let temp: ReturnType<typeof createTempDir>;
let storePath: string;
let ids: string[];

beforeEach(() => {
  temp = createTempDir();
  storePath = join(temp.dir, 'runs.sqlite');
  const store = openRunStore(storePath);
  const a = store.createRun({
    id: 'aaaa1111',
    name: 'first',
    kind: 'pipeline',
    outDir: '/o/first',
    config: {},
  });
  store.startStage(a.id, 'prepare');
  store.finishStage(a.id, 'prepare', {});
  store.putMetrics(a.id, [
    { stage: 'final', split: 'id_test', name: 'macro_f1', value: 0.61, lo: 0.6, hi: 0.62 },
    { stage: 'final', split: 'ood_detection', name: 'knn.auroc', value: 0.7 },
  ]);
  store.putArtifacts(a.id, [{ kind: 'report', path: '/o/first/report.json' }]);
  store.finishRun(a.id, { status: 'succeeded' });
  const b = store.createRun({
    id: 'aaaa2222',
    name: 'second',
    kind: 'other',
    outDir: '/o/second',
    config: {},
  });
  ids = [a.id, b.id];
  store.close();
});
afterEach(() => {
  temp.remove();
});

describe('gradeshift runs', () => {
  it('lists the runs newest first', async () => {
    const t = createTestContext({ cwd: temp.dir });
    expect(await runCli(['runs', '--store', 'runs.sqlite'], t.ctx)).toBe(0);
    const lines = t.stdout().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^id\s+status\s+kind\s+name\s+created \(UTC\)\s+took\s+out$/);
    expect(lines[1]).toMatch(
      /^aaaa2222\s+running\s+other\s+second\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+–\s+\/o\/second$/,
    );
    expect(lines[2]).toMatch(/^aaaa1111\s+succeeded\s+pipeline\s+first\s/);
    expect(lines).toHaveLength(3);
  });

  it('filters by kind, limits, and prints JSON', async () => {
    const t = createTestContext({ cwd: temp.dir });
    expect(
      await runCli(['runs', 'list', '--store', storePath, '--kind', 'pipeline', '--json'], t.ctx),
    ).toBe(0);
    expect(JSON.parse(t.stdout()).map((r: { id: string }) => r.id)).toEqual([ids[0]]);
    const limited = createTestContext({ cwd: temp.dir });
    expect(
      await runCli(['runs', '--store', storePath, '--limit', '1', '--json'], limited.ctx),
    ).toBe(0);
    expect(JSON.parse(limited.stdout())).toHaveLength(1);
  });

  it('shows one run by a unique prefix, with stages, metrics and artifacts', async () => {
    const t = createTestContext({ cwd: temp.dir });
    expect(await runCli(['runs', 'show', 'aaaa1', '--store', storePath], t.ctx)).toBe(0);
    const out = t.stdout();
    expect(out).toMatch(/^run aaaa1111\n {2}name: {5}first\n/);
    expect(out).toContain('  status:   succeeded\n');
    expect(out).toMatch(/stages:\n {2}prepare\s+\d+\.\ds\n/);
    expect(out).toMatch(/final\s+id_test\s+macro_f1\s+0\.610 \[0\.600, 0\.620\]/);
    expect(out).toMatch(/final\s+ood_detection\s+knn\.auroc\s+0\.700\n/);
    expect(out).toMatch(/artifacts:\n {2}report\s+\/o\/first\/report\.json\n$/);
  });

  it('shows JSON with --json', async () => {
    const t = createTestContext({ cwd: temp.dir });
    expect(await runCli(['runs', 'show', 'aaaa2222', '--store', storePath, '--json'], t.ctx)).toBe(
      0,
    );
    expect(JSON.parse(t.stdout())).toMatchObject({
      run: { name: 'second', status: 'running' },
      metrics: [],
    });
  });

  it('rejects an ambiguous prefix (2) and an unknown id (66)', async () => {
    const ambiguous = createTestContext({ cwd: temp.dir });
    expect(await runCli(['runs', 'show', 'aaaa', '--store', storePath], ambiguous.ctx)).toBe(2);
    expect(ambiguous.stderr()).toContain('run id prefix "aaaa" matches 2 runs');
    const unknown = createTestContext({ cwd: temp.dir });
    expect(await runCli(['runs', 'show', 'zzz', '--store', storePath], unknown.ctx)).toBe(66);
    expect(unknown.stderr()).toContain(`gradeshift: error: run not found: zzz in ${storePath}`);
  });

  it('reports a missing store with exit code 66 and how to create one', async () => {
    const t = createTestContext({ cwd: temp.dir });
    expect(await runCli(['runs', '--store', 'nope.sqlite'], t.ctx)).toBe(66);
    expect(t.stderr()).toBe(
      [
        `gradeshift: error: run store not found: ${join(temp.dir, 'nope.sqlite')}`,
        'hint: run `gradeshift pipeline --out runs/<name>` first (it records into runs/runs.sqlite), or pass --store <file|url> (or set GRADESHIFT_STORE)',
        '',
      ].join('\n'),
    );
  });

  it('reads GRADESHIFT_STORE when --store is not given; --store wins over it', async () => {
    const env = createTestContext({ cwd: temp.dir, env: { GRADESHIFT_STORE: 'runs.sqlite' } });
    expect(await runCli(['runs', '--json'], env.ctx)).toBe(0);
    expect((JSON.parse(env.stdout()) as { id: string }[]).map((r) => r.id)).toEqual([
      'aaaa2222',
      'aaaa1111',
    ]);
    const explicit = createTestContext({
      cwd: temp.dir,
      env: { GRADESHIFT_STORE: 'runs.sqlite' },
    });
    expect(await runCli(['runs', '--store', 'nope.sqlite'], explicit.ctx)).toBe(66);
  });
});

describe.skipIf(postgresBinDir() === undefined)('gradeshift runs on PostgreSQL', () => {
  it('lists and shows the runs of a PostgreSQL store, the URL from --store or GRADESHIFT_STORE', async () => {
    const cluster = await startPostgresCluster();
    try {
      const pg = await openRunStoreBackend(cluster.url);
      const sqlite = openRunStore(storePath, { readonly: true });
      try {
        for (const id of ids) await pg.putRun(snapshotOf(sqlite, id));
      } finally {
        sqlite.close();
        await pg.close();
      }
      const listed = createTestContext({ cwd: temp.dir });
      expect(await runCli(['runs', '--store', cluster.url], listed.ctx)).toBe(0);
      const lines = listed.stdout().trimEnd().split('\n');
      expect(lines[1]).toMatch(/^aaaa2222\s+running\s+other\s+second\s/);
      expect(lines[2]).toMatch(/^aaaa1111\s+succeeded\s+pipeline\s+first\s/);
      const shown = createTestContext({ cwd: temp.dir, env: { GRADESHIFT_STORE: cluster.url } });
      expect(await runCli(['runs', 'show', 'aaaa1', '--json'], shown.ctx)).toBe(0);
      expect(JSON.parse(shown.stdout())).toMatchObject({
        run: { id: 'aaaa1111', name: 'first', status: 'succeeded' },
        stages: [{ stage: 'prepare' }],
        metrics: expect.arrayContaining([
          expect.objectContaining({ name: 'macro_f1', value: 0.61, lo: 0.6, hi: 0.62 }),
        ]) as unknown,
        artifacts: [{ kind: 'report', path: '/o/first/report.json' }],
      });
      const unknown = createTestContext({ cwd: temp.dir });
      expect(await runCli(['runs', 'show', 'zzz', '--store', cluster.url], unknown.ctx)).toBe(66);
      expect(unknown.stderr()).toContain('run not found: zzz in postgres://postgres@127.0.0.1:');
    } finally {
      cluster.stop();
    }
  }, 60_000);
});

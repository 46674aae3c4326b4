/**
 * Fault tests of `gradeshift evaluate`, spawned as a user runs it on invented pairs: the process is killed with
 * SIGKILL while it scores, while it computes the bootstrap and while it writes predictions.jsonl (a temp file of
 * the atomic write exists), or interrupted with SIGINT in each phase (loading, scoring, bootstrap, writing). After
 * each, `gradeshift runs` (the next process to open the store) shows the run interrupted (or none, when the
 * process stopped before it recorded one; or succeeded with every file, for a SIGINT that arrived while the last
 * file was written and is seen once the run is complete), the store passes SQLite's integrity check, and the run
 * folder holds no temporary file.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { TEST_QUERIES, testItem, writeTestBundle } from '@gradeshift/api/testing';
import {
  postgresBinDir,
  startPostgresCluster,
  type PostgresCluster,
} from '@gradeshift/pipeline/testing';

import { REPO_ROOT } from './home-depot-slice';

const BIN = join(REPO_ROOT, 'apps/cli/bin/gradeshift.js');
const PAIRS = 20_000;

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Phases and what ends the process there. */
type Trigger = { on: 'stderr'; text: string; delayMs?: number } | { on: 'temp-file' };

let dir: string;
let bundle: string;
let data: string;

/** Runs `gradeshift evaluate` into `out` and sends `signal` when the trigger fires. */
function evaluate(
  out: string,
  signal: NodeJS.Signals,
  trigger: Trigger,
  options: { resamples?: number; store?: string; leaseMs?: number } = {},
): Promise<Outcome> {
  const { resamples = 1500, store, leaseMs } = options;
  const args = [
    'evaluate',
    '--model',
    bundle,
    '--data',
    data,
    '--query-col',
    'query',
    '--item-col',
    'title',
    '--label-col',
    'label',
    '--values',
    '0:irrelevant,1:weak,2:strong',
    '--resamples',
    String(resamples),
    '--out',
    out,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: dir,
      env: {
        ...process.env,
        NO_COLOR: '1',
        GRADESHIFT_DEBUG: '',
        ...(store === undefined ? {} : { GRADESHIFT_STORE: store }),
        ...(leaseMs === undefined ? {} : { GRADESHIFT_RUN_LEASE_MS: String(leaseMs) }),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let sent = false;
    const fire = (): void => {
      if (sent) return;
      sent = true;
      child.kill(signal);
    };
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (trigger.on === 'stderr' && stderr.includes(trigger.text))
        setTimeout(fire, trigger.delayMs ?? 0);
    });
    let watcher: ReturnType<typeof watch> | undefined;
    if (trigger.on === 'temp-file') {
      const poll = setInterval(() => {
        try {
          watcher ??= watch(out, (_event, name) => {
            if (name?.endsWith('.tmp') === true) fire();
          });
          clearInterval(poll);
        } catch {
          // The folder does not exist yet.
        }
      }, 5);
    }
    child.on('error', reject);
    child.on('close', (code, sig) => {
      watcher?.close();
      resolve({ code, signal: sig, stderr });
    });
  });
}

/** `gradeshift runs --json` on the store (the SQLite file, or `store`): the next process to open it. */
function listRuns(
  store = join(dir, 'runs', 'runs.sqlite'),
): Promise<{ name: string; status: string; error: string | null }[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'runs', '--store', store, '--json'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    // No store yet (stopped before anything was recorded): no runs.
    child.on('close', (code) => resolve(code === 0 ? JSON.parse(stdout) : []));
  });
}

function integrity(): string {
  const db = new Database(join(dir, 'runs', 'runs.sqlite'), { readonly: true });
  try {
    return String(db.pragma('integrity_check', { simple: true }));
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gradeshift-faults-'));
  bundle = join(dir, 'bundle');
  await writeTestBundle({ dir: bundle, size: 'pipeline' });
  data = join(dir, 'pairs.csv');
  const lines = ['id,query,title,label'];
  for (let i = 0; i < PAIRS; i++)
    lines.push(`${i},${TEST_QUERIES[i % TEST_QUERIES.length]},${testItem(i)},${i % 3}`);
  writeFileSync(data, `${lines.join('\n')}\n`);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SCORING: Trigger = { on: 'stderr', text: '[evaluate] scoring pairs' };
// The last scoring progress line, then a moment: the bootstrap (seconds at 1,500 resamples) is running.
const BOOTSTRAP: Trigger = { on: 'stderr', text: `(${PAIRS}/${PAIRS}`, delayMs: 500 };
const WRITING: Trigger = { on: 'temp-file' };
const LOADING: Trigger = { on: 'stderr', text: '[load] reading rows' };

async function expectCleanStop(name: string, allowSucceeded = false): Promise<void> {
  const run = (await listRuns()).find((r) => r.name === name);
  // Stopped while loading: no run was recorded yet, and none is left running.
  if (run === undefined && name.endsWith('loading')) return;
  expect(integrity()).toBe('ok');
  if (allowSucceeded && run?.status === 'succeeded')
    expect(readdirSync(join(dir, 'runs', name)).sort()).toEqual([
      'predictions.jsonl',
      'report.json',
    ]);
  else expect(run?.status).toBe('interrupted');
  expect(integrity()).toBe('ok');
  expect(readdirSync(join(dir, 'runs', name)).filter((f) => f.includes('.tmp'))).toEqual([]);
}

describe('gradeshift evaluate killed with SIGKILL', () => {
  it.each([
    ['scoring', SCORING],
    ['bootstrap', BOOTSTRAP],
    ['atomic-write', WRITING],
  ])(
    'during %s: the next process marks the run interrupted',
    async (name, trigger) => {
      const outcome = await evaluate(join(dir, 'runs', `kill-${name}`), 'SIGKILL', trigger);
      expect(outcome.signal).toBe('SIGKILL');
      await expectCleanStop(`kill-${name}`);
    },
    180_000,
  );
});

describe('gradeshift evaluate interrupted with SIGINT', () => {
  it.each([
    ['loading', LOADING, false],
    ['scoring', SCORING, false],
    ['bootstrap', BOOTSTRAP, false],
    ['writing', WRITING, true],
  ])(
    'during %s: ends by the signal and the run is not left running',
    async (name, trigger, done) => {
      const outcome = await evaluate(join(dir, 'runs', `int-${name}`), 'SIGINT', trigger);
      // A signal that arrives while the last file is written is seen once the run is complete: exit 0, succeeded.
      if (done && outcome.code === 0) expect(outcome.signal).toBeNull();
      else expect(outcome.signal, `exit ${outcome.code}`).toBe('SIGINT');
      expect(outcome.stderr).not.toContain('terminate called');
      expect(outcome.stderr).not.toContain('Napi::Error');
      if (!done) expect(outcome.stderr).toContain('gradeshift: interrupted (SIGINT)');
      await expectCleanStop(`int-${name}`, done);
    },
    180_000,
  );
});

describe.skipIf(postgresBinDir() === undefined)(
  'gradeshift evaluate recording into PostgreSQL, stopped by SIGINT or SIGKILL',
  () => {
    let cluster: PostgresCluster;
    beforeAll(async () => {
      cluster = await startPostgresCluster();
    }, 60_000);
    afterAll(() => cluster.stop());

    it.each([
      ['scoring', SCORING],
      ['bootstrap', BOOTSTRAP],
    ])(
      'during %s: the run is marked interrupted in PostgreSQL before the process ends',
      async (name, trigger) => {
        const out = join(dir, 'runs', `pg-int-${name}`);
        const outcome = await evaluate(out, 'SIGINT', trigger, { store: cluster.url });
        expect(outcome.signal, `exit ${outcome.code}: ${outcome.stderr}`).toBe('SIGINT');
        expect(outcome.stderr).toContain('gradeshift: interrupted (SIGINT)');
        const run = (await listRuns(cluster.url)).find((r) => r.name === `pg-int-${name}`);
        expect(run?.status).toBe('interrupted');
        // Marked by the process itself on its way out, not by the next process's check of a dead owner.
        expect(run?.error).toMatch(/interrupted/);
        expect(run?.error).not.toContain('killed or crashed');
        expect(readdirSync(out).filter((f) => f.includes('.tmp'))).toEqual([]);
      },
      180_000,
    );

    it('killed with SIGKILL while it writes: the next process on this host marks the run interrupted and removes its temporary file', async () => {
      const out = join(dir, 'runs', 'pg-kill-write');
      const outcome = await evaluate(out, 'SIGKILL', WRITING, { store: cluster.url });
      expect(outcome.signal).toBe('SIGKILL');
      const run = (await listRuns(cluster.url)).find((r) => r.name === 'pg-kill-write');
      expect(run?.status).toBe('interrupted');
      expect(run?.error).toContain('killed or crashed');
      expect(readdirSync(out).filter((f) => f.includes('.tmp'))).toEqual([]);
    }, 180_000);

    it('killed with SIGKILL on another host (as the store sees it): its lease lapses and the next process marks the run interrupted', async () => {
      const out = join(dir, 'runs', 'pg-kill-lease');
      const outcome = await evaluate(out, 'SIGKILL', SCORING, { store: cluster.url, leaseMs: 200 });
      expect(outcome.signal).toBe('SIGKILL');
      // The run's owner moved to a host this machine cannot judge: only the lapsed lease can tell.
      const moved = execFileSync(
        join(postgresBinDir() ?? '', 'psql'),
        [
          cluster.url,
          '-qtAc',
          `UPDATE runs SET owner = 'elsewhere:4242:1' WHERE out_dir = '${out}' AND status = 'running' RETURNING id`,
        ],
        { encoding: 'utf8' },
      );
      expect(moved.trim().split('\n')).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 200 * 6 + 500));
      const run = (await listRuns(cluster.url)).find((r) => r.name === 'pg-kill-lease');
      expect(run?.status).toBe('interrupted');
      expect(run?.error).toContain("stopped renewing the run's lease");
    }, 180_000);
  },
);

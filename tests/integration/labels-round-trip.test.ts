/**
 * The annotation round trip through the CLI on a 3,000-row slice of the Home Depot file: prepare → train →
 * select → `export --queue csv|labelstudio` → the label column filled from the held-back ground truth (the
 * grades and ratings the selection revealed) → `train --labels` → a new run whose stage 2/3 equal the simulated
 * reveal's (`train --stage 2` on the same picks and seed) to the last bit; Label Studio's JSON export built from
 * the exported tasks as an annotator's export would hold them; and a bad labels file refused with file:line.
 * Through the API (a server on loopback): `labels.train` trains the same run in a job thread (at nice 10, with
 * `/healthz` answered within 50 ms while it featurises), `jobs.cancel` stops it and leaves its run `interrupted`,
 * and inline labels are removed however the job ends (refused, succeeded, failed, cancelled).
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

import { writeTestBundle } from '@gradeshift/api/testing';
import { openRunStore, parseCsv, readRunJson, type SelectionLine } from '@gradeshift/pipeline';
import { freePort, startInGroup, stopGroup } from '@gradeshift/vitest-config/process-group';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { REPO_ROOT, writeHomeDepotSlice } from './home-depot-slice';
import { gradeshift, prepareSliceArgs, step } from './run-gradeshift';

const GRADES = ['irrelevant', 'weak', 'strong'];

/** A job as `jobs.get` answers it (the parts the test reads). */
interface Job {
  id: string;
  kind: string;
  status: string;
  progress: { stage: string; done?: number };
  error: string | null;
  result: unknown;
}

/** The parts of a tRPC answer (a job, a cancel, or an error) the test reads. */
interface Answer {
  result?: { data: Job & { cancelled?: boolean } };
  error?: { message: string };
}

/** The prefix of the folder an inline labels file is written to (apps/api/src/labels/train-labels.ts). */
const SCRATCH = 'gradeshift-labels-';

const csvField = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

describe('select → export the queue → labels back → train --labels', () => {
  let dir: string;
  const run = 'runs/steps';
  let truth: Map<string, SelectionLine>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gradeshift-labels-'));
    await writeHomeDepotSlice(dir, 3000);
    await step(dir, prepareSliceArgs(run));
    await step(dir, ['train', '--run', run, '--epochs', '2']);
    await step(dir, ['select', '--run', run, '--budget', '0.05']);
    const lines = readFileSync(join(dir, run, 'selection.jsonl'), 'utf8')
      .trim()
      .split('\n');
    truth = new Map(
      lines.map((l) => JSON.parse(l) as SelectionLine).map((l) => [l.id, l] as const),
    );
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the filled CSV trains a linked run equal to the simulated reveal on the same picks and seed', async () => {
    const exported = await step(dir, ['export', '--run', run, '--queue', 'csv']);
    expect(exported.stdout).toMatch(/exported the annotation queue: \d+ tasks as csv/);
    const queuePath = join(dir, run, 'annotation', 'queue.csv');
    const records = parseCsv(readFileSync(queuePath, 'utf8')).flatMap((e) =>
      e.kind === 'record' ? [e.fields] : [],
    );
    const header = records[0] ?? [];
    expect(header.slice(0, 5)).toEqual(['id', 'rank', 'query', 'item', 'reason']);
    expect(header).toContain('mahalanobis_percentile');
    expect(header.at(-1)).toBe('label');
    expect(records.slice(1).every((r) => r.at(-1) === '')).toBe(true);
    expect(records.length - 1).toBe(truth.size);
    // An annotator fills the label (and here the rating) from the held-back ground truth.
    const filled = [
      [...header, 'rating'].join(','),
      ...records.slice(1).map((r) => {
        const t = truth.get(r[0] ?? '');
        return [...r.slice(0, -1), GRADES[t?.grade ?? -1] ?? '', String(t?.rating ?? '')]
          .map(csvField)
          .join(',');
      }),
    ];
    writeFileSync(join(dir, 'labels.csv'), `${filled.join('\n')}\n`);

    const labelled = await step(dir, [
      'train',
      '--run',
      run,
      '--labels',
      'labels.csv',
      '--epochs',
      '1',
    ]);
    expect(labelled.stdout).toMatch(/trained on \d+ labels from .*labels\.csv \(csv; 0 differ/);
    await step(dir, ['train', '--run', run, '--stage', '2', '--epochs', '1']);

    const simulated = readRunJson(join(dir, run));
    const fromLabels = readRunJson(join(dir, 'runs', 'steps-labels-labels'));
    expect(fromLabels.stages.stage1).toEqual(simulated.stages.stage1);
    expect(fromLabels.stages.stage2?.metrics).toEqual(simulated.stages.stage2?.metrics);
    expect(fromLabels.stages.stage2?.params.sha256).toBe(simulated.stages.stage2?.params.sha256);
    expect(fromLabels.stages.stage3?.alpha).toBe(simulated.stages.stage3?.alpha);
    expect(fromLabels.stages.stage3?.metrics).toEqual(simulated.stages.stage3?.metrics);
    expect(fromLabels.stages.stage3?.params.sha256).toBe(simulated.stages.stage3?.params.sha256);

    const store = openRunStore(join(dir, 'runs', 'runs.sqlite'), { readonly: true });
    try {
      const record = store.requireRun(fromLabels.store?.run_id ?? '');
      expect(record).toMatchObject({ kind: 'labels', status: 'succeeded' });
      expect(record.config).toMatchObject({
        from_run: { id: simulated.store?.run_id, dir: join(dir, run) },
        selection: { sha256: simulated.selection?.sha256 },
        labels: { file: join(dir, 'labels.csv'), format: 'csv', count: truth.size, changed: 0 },
      });
      expect(store.getStages(record.id).map((s) => s.stage)).toEqual(['stage2']);
    } finally {
      store.close();
    }
  }, 120_000);

  it("reads Label Studio's JSON export of the exported tasks, and refuses a bad file naming each line", async () => {
    await step(dir, ['export', '--run', run, '--queue', 'labelstudio']);
    const tasksPath = join(dir, run, 'annotation', 'labelstudio-tasks.json');
    const config = readFileSync(join(dir, run, 'annotation', 'labelstudio-config.xml'), 'utf8');
    expect(config).toContain('<Choice value="strong"/>');
    const tasks = JSON.parse(readFileSync(tasksPath, 'utf8')) as {
      data: Record<string, unknown>;
    }[];
    // Label Studio's export: each imported task with its id and the annotators' results
    // (https://labelstud.io/guide/task_format).
    const exportOf = (grade: (id: string) => string) =>
      tasks.map((task, i) => ({
        id: i + 1,
        data: task.data,
        annotations: [
          {
            id: 100 + i,
            result: [
              {
                id: `r${i}`,
                from_name: 'grade',
                to_name: 'item',
                type: 'choices',
                value: { choices: [grade(String(task.data['gradeshift_id']))] },
              },
            ],
            was_cancelled: false,
            completed_by: 1,
          },
        ],
        predictions: [],
      }));
    writeFileSync(
      join(dir, 'ls-bad.json'),
      JSON.stringify(
        exportOf(() => 'excellent'),
        null,
        2,
      ),
    );
    const refused = await gradeshift(dir, [
      'train',
      '--run',
      run,
      '--labels',
      'ls-bad.json',
      '--out',
      'runs/ls',
    ]);
    expect(refused.code).toBe(65);
    expect(refused.stderr).toMatch(
      /problems? in the labels file; nothing was imported:\n.*ls-bad\.json:2: id \S+: label "excellent" is not on the scale/,
    );
    expect(existsSync(join(dir, 'runs', 'ls'))).toBe(false);

    writeFileSync(
      join(dir, 'ls.json'),
      JSON.stringify(
        exportOf((id) => GRADES[truth.get(id)?.grade ?? -1] ?? '?'),
        null,
        2,
      ),
    );
    const ok = await step(dir, [
      'train',
      '--run',
      run,
      '--labels',
      'ls.json',
      '--out',
      'runs/ls',
      '--epochs',
      '1',
    ]);
    expect(ok.stdout).toMatch(/\(labelstudio; 0 differ from the revealed grades\)/);
    const picks = readFileSync(join(dir, 'runs', 'ls', 'selection.jsonl'), 'utf8')
      .trim()
      .split('\n');
    for (const line of picks.map((l) => JSON.parse(l) as SelectionLine))
      expect(line.grade).toBe(truth.get(line.id)?.grade);
  }, 120_000);

  describe('the API job labels.train (a server on loopback)', () => {
    let api: Awaited<ReturnType<typeof startInGroup>>;
    let base: string;
    /** The server's temporary folder (TMPDIR), where inline labels are written. */
    let serverTmp: string;
    const scratchFiles = () => readdirSync(serverTmp).filter((f) => f.startsWith(SCRATCH));
    const post = (path: string, body: unknown) =>
      fetch(`${base}/trpc/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Answer }));
    const getJob = async (id: string) => {
      const got = await fetch(
        `${base}/trpc/jobs.get?input=${encodeURIComponent(JSON.stringify({ id }))}`,
      );
      const job = ((await got.json()) as Answer).result?.data;
      if (job === undefined) throw new Error(`job ${id} is unknown`);
      return job;
    };
    /** Polls a job until `until` holds (by default: until it is no longer running). */
    const follow = async (id: string, until = (job: Job) => job.status !== 'running') => {
      for (let i = 0; i < 2400; i++) {
        const job = await getJob(id);
        if (until(job)) return job;
        await new Promise((done) => setTimeout(done, 50));
      }
      throw new Error(`job ${id}: still waiting after 120 s`);
    };

    beforeAll(async () => {
      const bundle = join(dir, 'models', 'default');
      await writeTestBundle({ dir: bundle, seed: 1 });
      serverTmp = join(dir, 'server-tmp');
      mkdirSync(serverTmp);
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      api = await startInGroup(
        process.execPath,
        ['--import', 'tsx', join(REPO_ROOT, 'apps/api/src/server.ts')],
        {
          cwd: REPO_ROOT,
          env: {
            PORT: String(port),
            HOST: '127.0.0.1',
            GRADESHIFT_MODELS: `default=${bundle}`,
            GRADESHIFT_MODELS_DIR: join(dir, 'models'),
            GRADESHIFT_DATA_DIR: dir,
            GRADESHIFT_RUNS_DIR: join(dir, 'runs'),
            GRADESHIFT_RUN_STORE: join(dir, 'runs', 'runs.sqlite'),
            GRADESHIFT_SCORING_THREADS: '0',
            TMPDIR: serverTmp,
            LOG_LEVEL: 'info',
          },
          ready: /"url":"http/,
          timeoutMs: 60_000,
        },
      );
    }, 90_000);
    afterAll(() => stopGroup(api.child));

    it('trains the same run from the same labels file, followed with jobs.get', async () => {
      const refused = await post('labels.train', {
        run: 'steps',
        labels: { content: 'id,label\nnot-a-pick,weak\n', format: 'csv' },
      });
      expect(refused.status).toBe(400);
      expect(refused.body.error?.message).toMatch(/labels\.csv:2: unknown id "not-a-pick"/);
      expect(scratchFiles()).toEqual([]);
      const started = await post('labels.train', {
        run: 'steps',
        labels: { path: 'labels.csv' },
        name: 'api-labels',
        epochs: 1,
      });
      expect(started.status, JSON.stringify(started.body)).toBe(200);
      const job = await follow(started.body.result?.data.id ?? '');
      expect(job.status, job.error ?? '').toBe('succeeded');
      expect(job.kind).toBe('labels');
      const simulated = readRunJson(join(dir, run));
      const fromApi = readRunJson(join(dir, 'runs', 'api-labels'));
      expect(fromApi.stages.stage2?.params.sha256).toBe(simulated.stages.stage2?.params.sha256);
      expect(fromApi.stages.stage3?.params.sha256).toBe(simulated.stages.stage3?.params.sha256);
      expect(job.result).toMatchObject({
        name: 'api-labels',
        labels: { format: 'csv', changed: 0, count: truth.size },
        stage3: { alpha: simulated.stages.stage3?.alpha },
      });
      // The answer names the source run relative to the server's folders, never by its absolute path.
      const { fromRun, out } = job.result as { fromRun: string; out: string };
      expect(fromRun).toBe(basename(run));
      expect(out.startsWith('/')).toBe(false);
    }, 120_000);

    it('trains in a job thread: /healthz answers at once throughout, and jobs.cancel stops it', async () => {
      const content = readFileSync(join(dir, 'labels.csv'), 'utf8');
      const started = await post('labels.train', {
        run: 'steps',
        labels: { content, format: 'csv' },
        name: 'api-cancel',
        epochs: 1000,
      });
      expect(started.status, JSON.stringify(started.body)).toBe(200);
      const id = started.body.result?.data.id ?? '';
      // Inline labels are a scratch file while the job runs.
      expect(scratchFiles()).toHaveLength(1);
      // Featurising the run's data holds its thread for seconds without a break (on the HTTP thread, nothing
      // would be answered meanwhile).
      const before = await follow(
        id,
        (job) => job.status !== 'running' || job.progress.stage === 'prepare',
      );
      expect(before.status, before.error ?? '').toBe('running');
      // The job thread runs at nice 10, the server's own thread at 0 (fields after "(comm)": nice is field 19).
      const pid = api.child.pid ?? 0;
      const niceOf = (tid: string) => {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
      };
      const nice = readdirSync(`/proc/${pid}/task`).map(niceOf);
      expect(niceOf(String(pid))).toBe(0);
      expect(nice.filter((n) => n === 10).length).toBeGreaterThanOrEqual(1);
      const times: number[] = [];
      for (let i = 0; i < 30; i++) {
        const t0 = performance.now();
        const health = await fetch(`${base}/healthz`);
        await health.arrayBuffer();
        times.push(performance.now() - t0);
        expect(health.status).toBe(200);
        await new Promise((done) => setTimeout(done, 20));
      }
      expect((await getJob(id)).status).toBe('running');
      // Within 50 ms; two of 30 may be slower on a shared machine, none by much.
      times.sort((a, b) => a - b);
      expect(times[27], times.map((t) => t.toFixed(1)).join(' ')).toBeLessThan(50);
      expect(times[29]).toBeLessThan(500);

      const t0 = performance.now();
      const cancelled = await post('jobs.cancel', { id });
      expect(cancelled.body.result?.data).toMatchObject({ cancelled: true });
      const job = await follow(id);
      expect(job.status).toBe('cancelled');
      expect(performance.now() - t0).toBeLessThan(5000);
      // The run is interrupted (not left running), its folder without temporary files; the scratch file is gone.
      const store = openRunStore(join(dir, 'runs', 'runs.sqlite'), { readonly: true });
      try {
        const record = store.listRuns({ limit: 1000 }).find((r) => r.name === 'api-cancel');
        expect(record).toMatchObject({ kind: 'labels', status: 'interrupted' });
      } finally {
        store.close();
      }
      const left = readdirSync(join(dir, 'runs', 'api-cancel'), { recursive: true });
      expect(left.filter((f) => String(f).endsWith('.tmp'))).toEqual([]);
      expect(scratchFiles()).toEqual([]);
    }, 120_000);

    it('removes inline labels when the job succeeds and when it fails', async () => {
      const content = readFileSync(join(dir, 'labels.csv'), 'utf8');
      const inline = { content, format: 'csv' };
      const ok = await post('labels.train', {
        run: 'steps',
        labels: inline,
        name: 'api-inline',
        epochs: 1,
      });
      const done = await follow(ok.body.result?.data.id ?? '');
      expect(done.status, done.error ?? '').toBe('succeeded');
      expect(scratchFiles()).toEqual([]);
      // A copy of the run without its stage-1 weights passes the labels check, and the job then fails.
      cpSync(join(dir, run), join(dir, 'runs', 'no-weights'), { recursive: true });
      rmSync(join(dir, 'runs', 'no-weights', 'params'), { recursive: true });
      const bad = await post('labels.train', {
        run: 'no-weights',
        labels: inline,
        name: 'api-failed',
      });
      expect(bad.status, JSON.stringify(bad.body)).toBe(200);
      const failed = await follow(bad.body.result?.data.id ?? '');
      expect(failed.status).toBe('failed');
      expect(failed.error).toMatch(/stage1\.bin/);
      expect(scratchFiles()).toEqual([]);
    }, 120_000);
  });
});

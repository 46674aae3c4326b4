import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
  DataError,
  openRunStore,
  type PipelineOptions,
  type PipelineResult,
} from '@gradeshift/pipeline';

import { samplePipelineReport } from '@gradeshift/pipeline/testing';

import type { CliBackends } from '../backends';
import { runCli } from '../run-cli';
import { createTempDir, createTestContext } from '../test-context';

let temp: ReturnType<typeof createTempDir>;
beforeEach(() => {
  temp = createTempDir();
  writeFileSync(join(temp.dir, 'pairs.csv'), 'q,t,r\na,b,1\n');
});
afterEach(() => {
  temp.remove();
});

const FILE = [
  '--data',
  'pairs.csv',
  '--query-col',
  'q',
  '--item-col',
  't',
  '--label-col',
  'r',
  '--thresholds',
  '1.5',
];

function fakeResult(options: PipelineOptions): PipelineResult {
  return {
    runId: 'run-1',
    outDir: options.outDir,
    reportPath: join(options.outDir, 'report.json'),
    predictionsPath: join(options.outDir, 'predictions.jsonl'),
    bundleDir: join(options.outDir, 'bundle'),
    storePath: options.storePath ?? '',
    seconds: 2.25,
    // Only what the summary prints: a fake backend's report, not a full one.
    report: {
      format: 'gradeshift-report',
      version: 2,
      kind: 'pipeline',
      run: { name: 'mine' },
      splits: {
        id_test: { macro_f1: { value: 0.61, lo: 0.6, hi: 0.62 }, n: 10 },
        ood_test: { macro_f1: { value: 0.5, lo: 0.45, hi: 0.55 }, n: 5 },
      },
    } as unknown as PipelineResult['report'],
  };
}

function recording(): { backends: CliBackends; calls: PipelineOptions[] } {
  const calls: PipelineOptions[] = [];
  return {
    calls,
    backends: {
      runPipeline: (options) => {
        calls.push(options);
        options.progress?.({ stage: 'stage1', message: 'epoch 1', done: 1, total: 2 });
        return Promise.resolve(fakeResult(options));
      },
    },
  };
}

describe('gradeshift pipeline', () => {
  it('passes absolute paths, the repository root and a progress sink, and prints a summary', async () => {
    const { backends, calls } = recording();
    const t = createTestContext({ cwd: temp.dir, backends });
    expect(await runCli(['pipeline', ...FILE, '--out', 'runs/mine', '--seeds', '0'], t.ctx)).toBe(
      0,
    );
    expect(calls).toHaveLength(1);
    const options = calls[0]!;
    expect(options).toMatchObject({
      data: { path: join(temp.dir, 'pairs.csv') },
      outDir: join(temp.dir, 'runs/mine'),
      storePath: join(temp.dir, 'runs/runs.sqlite'),
      repoRoot: temp.dir,
      selectionSeeds: [0],
    });
    expect(typeof options.progress).toBe('function');
    expect(t.stderr()).toBe('[stage1] epoch 1 (1/2, 50%)\n');
    expect(t.stdout()).toBe(
      [
        'run run-1 (mine) finished in 2.3 s',
        `report:       ${join(temp.dir, 'runs/mine/report.json')}`,
        `predictions:  ${join(temp.dir, 'runs/mine/predictions.jsonl')}`,
        `model bundle: ${join(temp.dir, 'runs/mine/bundle')}`,
        `run store:    ${join(temp.dir, 'runs/runs.sqlite')}`,
        '',
        'metric    id_test               ood_test',
        'macro_f1  0.610 [0.600, 0.620]  0.500 [0.450, 0.550]',
        '',
      ].join('\n'),
    );
  });

  it('prints paths (bundle included) and split metrics as JSON with --json', async () => {
    const { backends } = recording();
    const t = createTestContext({ cwd: temp.dir, backends });
    expect(
      await runCli(['pipeline', ...FILE, '--out', 'o', '--store', 's.sqlite', '--json'], t.ctx),
    ).toBe(0);
    const json = JSON.parse(t.stdout());
    expect(json).toMatchObject({ runId: 'run-1', storePath: join(temp.dir, 's.sqlite') });
    expect(json.splits.id_test.macro_f1.value).toBe(0.61);
    expect(json.bundleDir).toBe(join(temp.dir, 'o/bundle'));
    expect(json).not.toHaveProperty('report');
  });

  it('refuses an --out that holds a finished run unless --overwrite (exit code 2)', async () => {
    mkdirSync(join(temp.dir, 'o'));
    writeFileSync(join(temp.dir, 'o/report.json'), '{}');
    const { backends, calls } = recording();
    const t = createTestContext({ cwd: temp.dir, backends });
    expect(await runCli(['pipeline', ...FILE, '--out', 'o'], t.ctx)).toBe(2);
    expect(t.stderr()).toContain('already holds a finished run (report.json): pass --overwrite');
    expect(calls).toHaveLength(0);
    expect(await runCli(['pipeline', ...FILE, '--out', 'o', '--overwrite'], t.ctx)).toBe(0);
    expect(calls).toHaveLength(1);
  });

  it('with --if-missing keeps a finished run and prints its summary instead of running', async () => {
    mkdirSync(join(temp.dir, 'o/bundle'), { recursive: true });
    writeFileSync(join(temp.dir, 'o/bundle/manifest.json'), '{}');
    const finished = samplePipelineReport();
    writeFileSync(
      join(temp.dir, 'o/report.json'),
      JSON.stringify({ ...finished, run: { ...finished.run, id: 'r1', name: 'default' } }),
    );
    const { backends, calls } = recording();
    const t = createTestContext({ cwd: temp.dir, backends });
    expect(await runCli(['pipeline', ...FILE, '--out', 'o', '--if-missing'], t.ctx)).toBe(0);
    expect(calls).toHaveLength(0);
    expect(t.stdout()).toContain('run r1 (default) already in');
    expect(t.stdout()).toContain(`model bundle: ${join(temp.dir, 'o/bundle')}`);
    rmSync(join(temp.dir, 'o/report.json'));
    expect(await runCli(['pipeline', ...FILE, '--out', 'o', '--if-missing'], t.ctx)).toBe(0);
    expect(calls).toHaveLength(1);
  });

  it('with --if-missing runs again over a run that has no model bundle', async () => {
    mkdirSync(join(temp.dir, 'o'));
    writeFileSync(join(temp.dir, 'o/report.json'), JSON.stringify({ run: { id: 'old' } }));
    const { backends, calls } = recording();
    const t = createTestContext({ cwd: temp.dir, backends });
    expect(await runCli(['pipeline', ...FILE, '--out', 'o', '--if-missing'], t.ctx)).toBe(0);
    expect(calls).toMatchObject([{ overwrite: true }]);
    expect(t.stderr()).toContain('holds a run without a model bundle');
  });

  it('reports a missing data file with exit code 66 before starting a run', async () => {
    const { backends, calls } = recording();
    const t = createTestContext({ cwd: temp.dir, backends });
    const argv = ['pipeline', '--data', 'gone.csv', ...FILE.slice(2), '--out', 'o'];
    expect(await runCli(argv, t.ctx)).toBe(66);
    expect(t.stderr()).toContain(
      `gradeshift: error: data file not found: ${join(temp.dir, 'gone.csv')}\n`,
    );
    expect(calls).toHaveLength(0);
    // A repository root one level down, so that its ../shared is inside the temp folder (and absent) even on a
    // machine that has a shared folder beside the system's temp folder.
    const root = join(temp.dir, 'repo');
    mkdirSync(root);
    const preset = createTestContext({ cwd: root, backends });
    expect(await runCli(['pipeline', '--preset', 'homedepot', '--out', 'o'], preset.ctx)).toBe(66);
    expect(preset.stderr()).toMatch(
      /hint: the homedepot preset reads \.\.\/shared\/data\/homedepot\/train\.csv/,
    );
  });

  it('maps a DataError from the pipeline to exit code 65 with file:line: reason and the fix', async () => {
    const backends: CliBackends = {
      runPipeline: () =>
        Promise.reject(
          new DataError(
            'FIELD_COUNT',
            { file: 'pairs.csv', reason: 'expected 3 fields, got 4' },
            { line: 7 },
          ),
        ),
    };
    const t = createTestContext({ cwd: temp.dir, backends });
    expect(await runCli(['pipeline', ...FILE, '--out', 'o'], t.ctx)).toBe(65);
    expect(t.stderr()).toMatch(
      /^gradeshift: error: pairs\.csv:7: expected 3 fields, got 4 \[FIELD_COUNT\]\nhint: check the delimiter/,
    );
  });

  it('on SIGINT stops with exit code 130 and marks its run interrupted in the store', async () => {
    const backends: CliBackends = {
      runPipeline: (options) => {
        const store = openRunStore(options.storePath ?? '');
        store.createRun({ name: 'other', kind: 'pipeline', outDir: '/elsewhere', config: {} });
        store.createRun({ name: 'mine', kind: 'pipeline', outDir: options.outDir, config: {} });
        store.close();
        options.progress?.({ stage: 'stage1', message: 'training', done: 0, total: 8 });
        return new Promise<never>(() => undefined);
      },
    };
    const t = createTestContext({ cwd: temp.dir, backends });
    const pending = runCli(['pipeline', ...FILE, '--out', 'runs/mine'], t.ctx);
    await new Promise((resolve) => setTimeout(resolve, 20));
    t.abort();
    expect(await pending).toBe(130);
    const store = openRunStore(join(temp.dir, 'runs/runs.sqlite'), { readonly: true });
    const byName = Object.fromEntries(store.listRuns().map((r) => [r.name, r]));
    store.close();
    expect(byName['mine']).toMatchObject({
      status: 'interrupted',
      error: 'interrupted by Ctrl-C (SIGINT)',
    });
    // Another process's run in the same store is left alone.
    expect(byName['other']?.status).toBe('running');
    expect(t.stderr()).toContain(
      `gradeshift: interrupted (SIGINT); run ${byName['mine']?.id ?? ''} marked interrupted in ${join(temp.dir, 'runs/runs.sqlite')}\n`,
    );
    // The progress line is ended before the message.
    expect(t.stderr().startsWith('[stage1] training (0/8, 0%)\n')).toBe(true);
  });
});

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { CliBackends } from './backends';
import { MISSING_BACKENDS } from './backends';
import { defaultEvaluateOut } from './commands/step-commands';
import { runCli } from './run-cli';
import { createTempDir, createTestContext } from './test-context';

let temp: ReturnType<typeof createTempDir>;
beforeEach(() => {
  temp = createTempDir();
});
afterEach(() => {
  temp.remove();
});

describe('runCli: help and usage errors', () => {
  it('prints the help on stdout with exit code 0', async () => {
    const t = createTestContext({ cwd: temp.dir });
    expect(await runCli(['train', '--help'], t.ctx)).toBe(0);
    expect(t.stdout()).toMatch(
      /^Usage: gradeshift train --run <dir> \[--stage 1\|2\|debias\|distill\] \[options\]/,
    );
    expect(t.stderr()).toBe('');
  });

  it('prints what was wrong, the usage line and a hint on stderr, with exit code 2', async () => {
    const t = createTestContext({ cwd: temp.dir });
    expect(await runCli(['runs', '--limit'], t.ctx)).toBe(2);
    expect(t.stderr()).toBe(
      [
        'gradeshift: error: --limit needs a value',
        'usage: gradeshift runs [list | show <id>] [options]',
        'hint: see `gradeshift runs --help`',
        '',
      ].join('\n'),
    );
    expect(t.stdout()).toBe('');
  });
});

describe('runCli: subcommands whose backend is missing', () => {
  it.each([
    [['train', '--run', '.'], 'train', MISSING_BACKENDS.train],
    [['select', '--run', '.'], 'select', MISSING_BACKENDS.select],
    [['export', '--run', '.'], 'export', MISSING_BACKENDS.exportBundle],
    [
      ['evaluate', '--model', '.', '--preset', 'homedepot'],
      'evaluate',
      MISSING_BACKENDS.evaluateFile,
    ],
    [
      ['score', '--model', '.', '--data', 'p.csv', '--query-col', 'q', '--item-col', 'i'],
      'score',
      MISSING_BACKENDS.scoreFile,
    ],
    [['pipeline', '--preset', 'homedepot', '--out', 'o'], 'pipeline', MISSING_BACKENDS.runPipeline],
  ])('%j exits with 70 and says what is missing', async (argv, command, missing) => {
    const t = createTestContext({ cwd: temp.dir, backends: {} });
    expect(await runCli(argv, t.ctx)).toBe(70);
    expect(t.stderr()).toContain(
      `gradeshift: error: gradeshift ${command} is not available yet: ${missing}\n`,
    );
    expect(t.stdout()).toBe('');
  });
});

describe('runCli: subcommands with a backend', () => {
  it('train resolves the run folder, passes the progress sink and prints the summary', async () => {
    mkdirSync(join(temp.dir, 'run'));
    const calls: unknown[] = [];
    const backends: CliBackends = {
      train: (options) => {
        calls.push(options);
        options.progress?.({ stage: 'stage1', message: 'epoch 1', done: 1, total: 1 });
        return Promise.resolve({ summary: ['stage 1: best epoch 1'], files: ['run/params.json'] });
      },
    };
    const t = createTestContext({ cwd: temp.dir, backends });
    expect(await runCli(['train', '--run', 'run', '--epochs', '1'], t.ctx)).toBe(0);
    expect(calls).toMatchObject([
      { runDir: join(temp.dir, 'run'), stage: 1, hyperparameters: { epochs: 1 } },
    ]);
    expect(t.stdout()).toBe('stage 1: best epoch 1\nwrote run/params.json\n');
    expect(t.stderr()).toBe('[stage1] epoch 1 (1/1, 100%)\n');
  });

  it('train on a missing run folder exits with 66 before calling the backend', async () => {
    let called = false;
    const backends: CliBackends = {
      train: () => {
        called = true;
        return Promise.resolve({ summary: [], files: [] });
      },
    };
    const t = createTestContext({ cwd: temp.dir, backends });
    expect(await runCli(['train', '--run', 'nope'], t.ctx)).toBe(66);
    expect(called).toBe(false);
    expect(t.stderr()).toContain(
      `gradeshift: error: run folder not found: ${join(temp.dir, 'nope')}\n`,
    );
  });

  it('evaluate --queue runs on the queue backend and, stopped, waits for its chunks to come off the queue', async () => {
    mkdirSync(join(temp.dir, 'bundle'));
    writeFileSync(join(temp.dir, 'new.csv'), 'q,t,r\n');
    const argv = ['evaluate', '--model', 'bundle', '--data', 'new.csv', '--query-col', 'q'];
    argv.push('--item-col', 't', '--label-col', 'r', '--thresholds', '2', '--out', 'out/q');
    argv.push('--queue', 'redis://127.0.0.1:1', '--chunk', '256');
    const done = {
      pairs: 3,
      metrics: { macro_f1: { value: 0.5, lo: 0.4, hi: 0.6 } },
      chunks: 2,
      queuedMs: 10,
    };
    const ran = createTestContext({
      cwd: temp.dir,
      backends: {
        queueEvaluateFile: (options) => {
          expect(options.queue).toEqual({ url: 'redis://127.0.0.1:1', chunkPairs: 256 });
          expect(options.outDir).toBe(join(temp.dir, 'out/q'));
          return Promise.resolve(done);
        },
      },
    });
    expect(await runCli(argv, ran.ctx)).toBe(0);
    expect(ran.stdout()).toMatch(/^3 pairs scored in 2 chunks on the queue\nmetric/);
    let cleaned = false;
    const stopped = createTestContext({
      cwd: temp.dir,
      backends: {
        // As the pipeline does: it sees the signal, takes its chunks off the queue, then rejects.
        queueEvaluateFile: (options) =>
          new Promise((_, reject) =>
            options.signal.addEventListener('abort', () =>
              setTimeout(() => {
                cleaned = true;
                reject(new Error('interrupted while waiting for the queue'));
              }, 50),
            ),
          ),
      },
    });
    const exit = runCli(argv, stopped.ctx);
    setTimeout(() => stopped.abort(), 20);
    expect(await exit).toBe(130);
    expect(cleaned).toBe(true);
    expect(stopped.stderr()).toMatch(
      /nothing more is queued, and chunks already queued but not yet taken were removed/,
    );
  });

  it('evaluate prints the metric table, the OOD flag rates and the files of the run', async () => {
    mkdirSync(join(temp.dir, 'bundle'));
    writeFileSync(join(temp.dir, 'new.csv'), 'q,t,r\n');
    const backends: CliBackends = {
      evaluateFile: (options) => {
        expect(options.data).toMatchObject({ path: join(temp.dir, 'new.csv') });
        expect(options.outDir).toBe(join(temp.dir, 'out/ext'));
        expect(options.threads).toBe(1);
        return Promise.resolve({
          pairs: 3,
          metrics: { macro_f1: { value: 0.5, lo: 0.4, hi: 0.6 } },
          ood: { energy: { flag_rate: 0.25, threshold: -1.5, mean_percentile: 0.6 } },
          files: ['out/ext/report.json'],
          runId: 'r1',
        });
      },
    };
    const t = createTestContext({ cwd: temp.dir, backends });
    const argv = [
      'evaluate',
      '--model',
      'bundle',
      '--data',
      'new.csv',
      '--query-col',
      'q',
      '--item-col',
      't',
      '--label-col',
      'r',
      '--thresholds',
      '2',
      '--out',
      'out/ext',
      '--threads',
      '1',
    ];
    expect(await runCli(argv, t.ctx)).toBe(0);
    expect(t.stdout()).toBe(
      [
        '3 pairs scored',
        'metric    test',
        'macro_f1  0.500 [0.400, 0.600]',
        'flagged OOD at the bundle thresholds (95% of ID kept):',
        '  energy                  25.0%  (threshold -1.500)',
        'wrote out/ext/report.json',
        'recorded as run r1',
        '',
      ].join('\n'),
    );
  });

  it('evaluate writes into a dated runs/ folder by default', () => {
    expect(defaultEvaluateOut(Date.UTC(2026, 10, 23, 15, 45, 1))).toBe(
      'runs/evaluate-20261123-154501',
    );
  });

  it('score hands stdout to the backend for `--out -`', async () => {
    mkdirSync(join(temp.dir, 'bundle'));
    writeFileSync(join(temp.dir, 'p.csv'), 'q,t\n');
    const backends: CliBackends = {
      scoreFile: (options) => {
        expect(options.threads).toBeUndefined();
        options.stdout.write('{"id":"1"}\n');
        return Promise.resolve({ pairs: 1 });
      },
    };
    const t = createTestContext({ cwd: temp.dir, backends });
    const argv = [
      'score',
      '--model',
      'bundle',
      '--data',
      'p.csv',
      '--query-col',
      'q',
      '--item-col',
      't',
    ];
    expect(await runCli(argv, t.ctx)).toBe(0);
    expect(t.stdout()).toBe('{"id":"1"}\n');
  });
});

describe('runCli: error reporting', () => {
  const failing = (error: unknown): CliBackends => ({
    train: () => Promise.reject(error instanceof Error ? error : new Error(String(error))),
  });

  it('prints one line and a hint, never a stack trace by default', async () => {
    mkdirSync(join(temp.dir, 'run'));
    const t = createTestContext({
      cwd: temp.dir,
      backends: failing(new TypeError('boom\nsecond line')),
    });
    expect(await runCli(['train', '--run', 'run'], t.ctx)).toBe(1);
    expect(t.stderr()).toMatch(/^gradeshift: error: boom\nhint: this looks like a bug.*\n$/);
    expect(t.stderr()).not.toContain('    at ');
  });

  it('adds the stack trace and causes with GRADESHIFT_DEBUG=1', async () => {
    mkdirSync(join(temp.dir, 'run'));
    const error = new Error('outer', { cause: new Error('inner') });
    const t = createTestContext({
      cwd: temp.dir,
      backends: failing(error),
      env: { GRADESHIFT_DEBUG: '1' },
    });
    expect(await runCli(['train', '--run', 'run'], t.ctx)).toBe(1);
    expect(t.stderr()).toContain('gradeshift: error: outer\n');
    expect(t.stderr()).toMatch(/Error: outer\n\s+at /);
    expect(t.stderr()).toMatch(/caused by:\nError: inner/);
  });
});

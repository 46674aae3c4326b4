/**
 * The real command, spawned: `node --import tsx src/main.ts …` (and once through the bin launcher), checking
 * stdout, stderr and exit codes, plus an end-to-end pipeline run on a small synthetic file and an interrupt.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openRunStore } from '@gradeshift/pipeline';

import { createTempDir, writeSyntheticPairs } from './test-context';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Spawns the CLI; `onStderr` may act on the process as progress arrives (e.g. send SIGINT). */
function gradeshift(
  args: readonly string[],
  options: { entry?: string[]; onStderr?: (text: string, kill: () => void) => void } = {},
): Promise<Outcome> {
  const entry = options.entry ?? ['--import', 'tsx', 'src/main.ts'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...entry, ...args], {
      cwd: APP_DIR,
      env: { ...process.env, NO_COLOR: '1', GRADESHIFT_DEBUG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      options.onStderr?.(stderr, () => child.kill('SIGINT'));
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({ code, signal, stdout, stderr });
    });
  });
}

let temp: ReturnType<typeof createTempDir>;
beforeAll(() => {
  temp = createTempDir();
});
afterAll(() => {
  temp.remove();
});

describe('gradeshift (spawned)', () => {
  it('--help prints the command list and exits with 0', async () => {
    const result = await gradeshift(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: gradeshift <command> \[options\]\n/);
    expect(result.stdout).toContain('  pipeline  ');
    expect(result.stderr).toBe('');
  }, 30_000);

  it('runs through the bin launcher too', async () => {
    const result = await gradeshift(['pipeline', '--help'], { entry: ['bin/gradeshift.js'] });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--out <dir>');
  }, 30_000);

  it('`runs` on an empty store prints that there are no runs and exits with 0', async () => {
    const storePath = join(temp.dir, 'empty.sqlite');
    openRunStore(storePath).close();
    const result = await gradeshift(['runs', '--store', storePath]);
    expect(result).toMatchObject({ code: 0, stdout: `no runs in ${storePath}\n`, stderr: '' });
  }, 30_000);

  it('exits with 2 on a usage error and 66 for a folder that is not a run', async () => {
    const usage = await gradeshift(['pipeline', '--preset', 'homedepot', '--out']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(
      /^gradeshift: error: --out needs a value\nusage: gradeshift pipeline /,
    );
    const missing = await gradeshift(['train', '--run', '.']);
    expect(missing.code).toBe(66);
    expect(missing.stderr).toMatch(
      /^gradeshift: error: .*: no run\.json: the folder is not a prepared run \[NOT_FOUND\]\nhint: create the run first: gradeshift prepare … --out <dir>\n$/,
    );
  }, 30_000);

  it('runs the whole pipeline on a synthetic file with a category shift', async () => {
    const data = join(temp.dir, 'pairs.csv');
    const rows = writeSyntheticPairs(data, 4);
    expect(rows).toBe(384);
    const out = join(temp.dir, 'runs', 'synthetic');
    const args = [
      'pipeline',
      '--data',
      data,
      '--query-col',
      'query',
      '--item-col',
      'title',
      '--label-col',
      'rating',
      '--id-col',
      'id',
      '--category-col',
      'cat',
      '--thresholds',
      '1.75,2.33',
      '--range',
      '1,3',
      '--shift',
      'category',
      '--held-out',
      'garden',
      '--seeds',
      '0',
      '--epochs',
      '3',
      '--stage2-epochs',
      '1',
      '--resamples',
      '100',
      '--no-ablation',
      '--cache',
      join(temp.dir, 'cache'),
      '--out',
      out,
    ];
    const result = await gradeshift(args);
    expect(result.stderr).toContain('[stage1] training (0/3, 0%)');
    expect(result.stderr).toContain('[evaluate] ');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^run [0-9a-f-]{36} \(synthetic\) finished in \d+\.\d s\n/);
    expect(result.stdout).toMatch(/\nmacro_f1 +0\.\d{3} \[0\.\d{3}, 0\.\d{3}\] +0\.\d{3} \[/);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.format).toBe('gradeshift-report');
    expect(report.data.rows).toBe(384);
    expect(report.data.shift).toEqual({ kind: 'category', heldOut: ['garden'] });
    expect(readFileSync(join(out, 'predictions.jsonl'), 'utf8').split('\n').length).toBeGreaterThan(
      10,
    );

    const listed = await gradeshift([
      'runs',
      '--store',
      join(temp.dir, 'runs', 'runs.sqlite'),
      '--json',
    ]);
    expect(listed.code).toBe(0);
    const runs = JSON.parse(listed.stdout);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ name: 'synthetic', status: 'succeeded', outDir: out });

    const again = await gradeshift(args);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already holds a finished run');

    // The run's bundle on a labelled file (here the same file) and on unlabelled pairs.
    const ext = join(temp.dir, 'runs', 'external');
    const evaluated = await gradeshift([
      'evaluate',
      '--model',
      join(out, 'bundle'),
      ...args.slice(1, 17),
      '--resamples',
      '50',
      '--out',
      ext,
    ]);
    expect(evaluated.stderr).toContain('[evaluate] scoring');
    expect(evaluated.code).toBe(0);
    expect(evaluated.stdout).toMatch(/^384 pairs scored\n/);
    expect(evaluated.stdout).toMatch(/\n {2}mahalanobis +\d+\.\d%/);
    const evaluation = JSON.parse(readFileSync(join(ext, 'report.json'), 'utf8'));
    expect(evaluation.data.same_data_as_training).toBe(true);
    expect(readFileSync(join(ext, 'predictions.jsonl'), 'utf8').trim().split('\n')).toHaveLength(
      384,
    );
    const scored = await gradeshift([
      'score',
      '--model',
      join(out, 'bundle'),
      '--data',
      data,
      '--query-col',
      'query',
      '--item-col',
      'title',
      '--id-col',
      'id',
    ]);
    expect(scored.code).toBe(0);
    const lines = scored.stdout.trim().split('\n');
    expect(lines).toHaveLength(384);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ line: 2, rank: expect.any(Number) });
    const broken = await gradeshift([
      'score',
      '--model',
      join(temp.dir, 'runs'),
      '--data',
      data,
      '--query-col',
      'query',
      '--item-col',
      'title',
    ]);
    expect(broken.code).toBe(65);
    expect(broken.stderr).toMatch(/NOT_A_BUNDLE|MISSING_FILE/);
  }, 120_000);

  it('stops on SIGINT, ending by the signal (status 130 in a shell), and marks the run interrupted', async () => {
    // Large enough that loading alone takes seconds after the first progress line (every 10,000 rows).
    const data = join(temp.dir, 'big.csv');
    writeSyntheticPairs(data, 3000);
    const out = join(temp.dir, 'interrupted', 'run');
    let sent = false;
    const result = await gradeshift(
      [
        'pipeline',
        '--data',
        data,
        '--query-col',
        'query',
        '--item-col',
        'title',
        '--label-col',
        'rating',
        '--thresholds',
        '1.75,2.33',
        '--out',
        out,
      ],
      {
        onStderr: (text, kill) => {
          if (!sent && text.includes('[load] reading rows')) {
            sent = true;
            kill();
          }
        },
      },
    );
    expect(sent).toBe(true);
    // The process re-raises SIGINT once its runs are marked, so scoring threads are not torn down mid-run.
    expect(result.code).toBeNull();
    expect(result.signal).toBe('SIGINT');
    expect(result.stderr).toMatch(
      /\ngradeshift: interrupted \(SIGINT\); run [0-9a-f-]{36} marked interrupted in /,
    );
    const storePath = join(temp.dir, 'interrupted', 'runs.sqlite');
    expect(existsSync(storePath)).toBe(true);
    const store = openRunStore(storePath, { readonly: true });
    const runs = store.listRuns();
    store.close();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      status: 'interrupted',
      error: 'interrupted by Ctrl-C (SIGINT)',
    });
  }, 90_000);
});

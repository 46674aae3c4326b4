/**
 * The crafted-file corpus, against the API (its own process, on loopback) and the CLI: a 1 GB sparse file of NUL
 * bytes, a 300 MB single line, NUL bytes, invalid UTF-8, a million columns, an unterminated quote with a long
 * tail, a 2 MB JSONL line, and a BOM + CRLF file that must load. Neither process crashes, each answer is a short
 * `file:line: reason`, and each process's peak RSS (VmHWM for the API, `maxRSS` for the CLI) stays under 1 GB.
 * The corpus is generated here; the sparse file costs no disk.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { TEST_QUERIES, testItem, writeTestBundle } from '@gradeshift/api/testing';

import { REPO_ROOT } from './home-depot-slice';

const GB = 1 << 30;
const HEADER = 'id,query,title,label';

/** name → how to write it, and the reason expected (null: the file loads). */
const CORPUS: Record<string, { make: (path: string) => void; expect: RegExp | null }> = {
  'sparse-1gb.csv': {
    make: (p) => {
      writeFileSync(p, '');
      truncateSync(p, GB);
    },
    expect: /sparse-1gb\.csv:1: the record holds a NUL byte/,
  },
  'line-300mb.csv': {
    make: (p) => {
      const block = Buffer.alloc(1 << 20, 'a');
      writeFileSync(p, '');
      for (let i = 0; i < 300; i++) writeFileSync(p, block, { flag: 'a' });
    },
    expect: /line-300mb\.csv:1: the record is longer than 1048576 characters/,
  },
  'nul-row.csv': {
    make: (p) => writeFileSync(p, `${HEADER}\n1,a,b,0\n2,a\0b,c,1\n`),
    expect: /nul-row\.csv:3: the record holds a NUL byte/,
  },
  'latin1.csv': {
    make: (p) => writeFileSync(p, Buffer.from(`${HEADER}\n1,caf\xe9,mug,0\n`, 'latin1')),
    expect: /latin1\.csv:2: .*UTF-8/,
  },
  'million-columns.csv': {
    make: (p) =>
      writeFileSync(p, `${Array.from({ length: 1_000_000 }, (_, i) => `c${i}`).join(',')}\n`),
    expect: /million-columns\.csv:1: the record has more than 10000 fields/,
  },
  'open-quote.csv': {
    make: (p) => writeFileSync(p, `${HEADER}\n1,"never closed,${'x'.repeat(8 << 20)}\n2,a,b,0\n`),
    expect:
      /open-quote\.csv:2: the record is longer than 1048576 characters \(a quote opened on line 2/,
  },
  'long-line.jsonl': {
    make: (p) =>
      writeFileSync(p, `{"id":"1","query":"${'z'.repeat(2 << 20)}","title":"t","label":"0"}\n`),
    expect: /long-line\.jsonl:1: the line is longer than 1048576 characters/,
  },
  'bom-crlf.csv': {
    make: (p) =>
      writeFileSync(
        p,
        `\ufeff${HEADER}\r\n${TEST_QUERIES.flatMap((q, i) => [0, 1, 2].map((g) => `${i}-${g},${q},${testItem(i * 3 + g)},${g}`)).join('\r\n')}\r\n`,
      ),
    expect: null,
  },
};

let root: string;
let dataDir: string;
let bundle: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gradeshift-crafted-'));
  dataDir = join(root, 'data');
  mkdirSync(dataDir);
  bundle = join(root, 'runs', 'bundle');
  await writeTestBundle({ dir: bundle });
  for (const [name, file] of Object.entries(CORPUS)) file.make(join(dataDir, name));
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const mapping = {
  columns: { id: 'id', query: 'query', item: 'title', label: 'label' },
  grades: { kind: 'values', grades: [['0'], ['1'], ['2']] },
};

describe('the API on the crafted corpus', () => {
  let api: ChildProcess;
  let url = '';
  beforeAll(async () => {
    api = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'apps/api/src/server.ts')], {
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        GRADESHIFT_MODELS: `default=${bundle}`,
        GRADESHIFT_MODELS_DIR: join(root, 'runs'),
        GRADESHIFT_RUNS_DIR: join(root, 'runs'),
        GRADESHIFT_DATA_DIR: dataDir,
        GRADESHIFT_SCORING_THREADS: '0',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      api.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /"url":"(http:[^"]+)"/.exec(out);
        if (match?.[1] !== undefined) resolve(match[1]);
      });
      api.on('exit', (code) => reject(new Error(`the API exited (${code})`)));
    });
  }, 120_000);
  afterAll(() => {
    api.kill('SIGTERM');
  });

  it('answers each file with file:line:reason (or loads it), stays up, under 1 GB', async () => {
    for (const [name, file] of Object.entries(CORPUS)) {
      const res = await fetch(`${url}/trpc/evaluate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ dataset: { path: name, ...mapping }, resamples: 2 }),
      });
      const body = (await res.json()) as {
        error?: { message: string };
        result?: { data: { id: string } };
      };
      let message = body.error?.message;
      if (res.status === 200 && body.result !== undefined) {
        // Accepted: the job runs; its error (if any) is the answer.
        let job: { status: string; error: string | null } = { status: 'running', error: null };
        for (let i = 0; i < 600 && job.status === 'running'; i++) {
          await new Promise((done) => setTimeout(done, 100));
          const got = await fetch(
            `${url}/trpc/jobs.get?input=${encodeURIComponent(JSON.stringify({ id: body.result.data.id }))}`,
          );
          job = ((await got.json()) as { result: { data: typeof job } }).result.data;
        }
        if (file.expect === null) expect(job.status, job.error ?? '').toBe('succeeded');
        message = job.error ?? undefined;
      } else expect(res.status, name).toBeLessThan(500);
      if (file.expect !== null) {
        expect(message, name).toMatch(file.expect);
        expect(message?.length ?? 0, name).toBeLessThan(1000);
        expect(message, name).not.toContain(root);
      }
      expect((await fetch(`${url}/healthz`)).status, `healthz after ${name}`).toBe(200);
    }
    const status = readFileSync(`/proc/${api.pid}/status`, 'utf8');
    const peakKb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
    expect(peakKb * 1024).toBeLessThan(GB);
  }, 300_000);
});

describe('the CLI on the crafted corpus', () => {
  /** `gradeshift evaluate` on one file, reporting the process's peak RSS from inside it. */
  function evaluate(
    name: string,
  ): Promise<{ code: number | null; stderr: string; maxRssKb: number }> {
    const hook = join(root, 'max-rss.mjs');
    writeFileSync(
      hook,
      "process.on('exit', () => process.stderr.write(`\\nmaxrss=${process.resourceUsage().maxRSS}\\n`));\n",
    );
    // The bin launcher registers tsx from its own folder, so the CLI runs from the data folder.
    const args = [
      '--import',
      hook,
      join(REPO_ROOT, 'apps/cli/bin/gradeshift.js'),
      'evaluate',
      '--model',
      bundle,
      '--data',
      name,
      '--query-col',
      'query',
      '--item-col',
      'title',
      '--label-col',
      'label',
      '--values',
      '0:irrelevant,1:weak,2:strong',
      '--resamples',
      '2',
      '--out',
      join(root, 'runs', `cli-${name}`),
    ];
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, args, {
        cwd: dataDir,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        const maxRssKb = Number(/maxrss=(\d+)/.exec(stderr)?.[1] ?? Number.NaN);
        resolve({ code, stderr, maxRssKb });
      });
    });
  }

  it.each(Object.keys(CORPUS))(
    '%s: a file:line:reason error (or a run), under 1 GB',
    async (name) => {
      const { code, stderr, maxRssKb } = await evaluate(name);
      const file = CORPUS[name]!;
      expect(stderr).not.toMatch(/FATAL ERROR|heap limit|Invalid string length/);
      if (file.expect === null) expect(code, stderr.slice(-500)).toBe(0);
      else {
        expect(code).toBe(65);
        const line = /gradeshift: error: (.*)/.exec(stderr)?.[1] ?? '';
        // The CLI names the file by the path it resolved (the user's own path).
        expect(line).toMatch(new RegExp(`^(.*/)?${file.expect.source}`));
        expect(line.length).toBeLessThan(1000);
      }
      expect(maxRssKb * 1024).toBeLessThan(GB);
    },
    120_000,
  );
});

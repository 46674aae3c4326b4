/**
 * API load benchmark: the gradeshift API in its own process on loopback, driven by autocannon on the same
 * machine (2 cores shared by client and server).
 *
 *   npm run bench -- api            (API_BENCH_SECONDS=30 and API_SOAK_SECONDS=60 by default)
 *
 * 1. `score` with 50-item requests (one query, 50 product titles; bodies cycle through 200 different requests)
 *    for 30 s at a fixed number of connections, after a 30 s warm-up: requests/s, pairs/s, latency percentiles.
 * 2. `POST /v2/rerank` (the Cohere-compatible endpoint) with the same 50 texts as `documents` and `top_n` 50, at
 *    16 connections (API_RERANK_CONNECTIONS) for the same time after a 10 s warm-up, against the same targets.
 * 3. A 60 s soak at the same load: the server's resident memory (VmRSS) sampled every 2 s; growth = median of
 *    the last five samples over the median of the first five (single samples swing with the garbage collector).
 * 4. Latency under other work (api-under-jobs.ts): during an evaluate job of the whole Home Depot file with 10,000
 *    resamples, and with a model reload every 500 ms. `API_BENCH_ONLY=jobs` runs only these rows.
 * The model is runs/default/bundle when the pipeline has written it, else a bundle of the pipeline's default
 * scorer sizes (100-d embeddings) built on the spot.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

import autocannon from 'autocannon';

import { TEST_QUERIES, testItem, writeTestBundle } from '@gradeshift/api/testing';
import { loadPreset, readBundle } from '@gradeshift/pipeline';

import { runJobRows } from './api-under-jobs';
import { median } from './report';

const REPO = resolve(import.meta.dirname, '..', '..');
const ITEMS = 50;
const CONNECTIONS = Number(process.env['API_BENCH_CONNECTIONS'] ?? 8);
const RERANK_CONNECTIONS = Number(process.env['API_RERANK_CONNECTIONS'] ?? 16);
const SECONDS = Number(process.env['API_BENCH_SECONDS'] ?? 30);
const SOAK_SECONDS = Number(process.env['API_SOAK_SECONDS'] ?? 60);
/** Load before measuring: V8's heap grows under load for about a minute before it reaches its steady size. */
const WARMUP_SECONDS = Number(process.env['API_BENCH_WARMUP_SECONDS'] ?? 30);

/** 200 request bodies of 50 items: Home Depot queries and titles when the data file is there. */
export async function requestBodies(): Promise<{ bodies: string[]; source: string }> {
  const file = join(REPO, '..', 'shared', 'data', 'homedepot', 'train.csv');
  let queries: string[] = [...TEST_QUERIES];
  let titles: string[] = Array.from({ length: 5000 }, (_, i) => testItem(i));
  let source = 'generated texts';
  if (existsSync(file)) {
    const dataset = await loadPreset('homedepot', { repoRoot: REPO });
    queries = [...new Set(dataset.pairs.map((p) => p.query))].slice(0, 2000);
    titles = [...new Set(dataset.pairs.map((p) => p.item))];
    source = 'Home Depot queries and titles';
  }
  let seed = 1;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const bodies = Array.from({ length: 200 }, (_, r) =>
    JSON.stringify({
      query: queries[next(queries.length)],
      items: Array.from({ length: ITEMS }, (_, i) => ({
        id: `${r}-${i}`,
        text: titles[next(titles.length)],
      })),
    }),
  );
  return { bodies, source };
}

function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return kb === undefined ? Number.NaN : Number(kb) * 1024;
}

/** Starts the API on `modelDir` in its own process; resolves once it listens. */
export async function startServer(
  modelDir: string,
  runsDir: string,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(REPO, 'apps', 'api', 'src', 'server.ts')],
    {
      cwd: REPO,
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        GRADESHIFT_MODELS: `default=${modelDir}`,
        GRADESHIFT_RUNS_DIR: runsDir,
        GRADESHIFT_MODELS_DIR: dirname(modelDir),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((done, fail) => {
    child.once('exit', (code) =>
      fail(new Error(`the API exited with code ${code} before listening`)),
    );
    lines.on('line', (line) => {
      // Every request is logged (as in production); the lines are read and dropped.
      if (line.includes('"level":60')) process.stderr.write(`${line}\n`);
      if (!line.includes('"url"')) return;
      const parsed = JSON.parse(line) as { url?: string };
      if (parsed.url !== undefined) done(parsed.url);
    });
  });
  return { child, url };
}

/** The same requests as Cohere v2 rerank bodies (`documents` = the item texts, every one ranked). */
function rerankBodies(bodies: readonly string[]): string[] {
  return bodies.map((body) => {
    const { query, items } = JSON.parse(body) as { query: string; items: { text: string }[] };
    return JSON.stringify({
      model: 'default',
      query,
      documents: items.map((i) => i.text),
      top_n: items.length,
    });
  });
}

/** autocannon against `url` with `bodies` (POST, JSON), `score` unless another path is given. */
export function load(
  url: string,
  bodies: string[],
  options: { seconds: number; path?: string; connections?: number },
): Promise<autocannon.Result> {
  return autocannon({
    url,
    connections: options.connections ?? CONNECTIONS,
    duration: options.seconds,
    requests: bodies.map((body) => ({
      method: 'POST' as const,
      path: options.path ?? '/trpc/score',
      headers: { 'content-type': 'application/json' },
      body,
    })),
  });
}

/** Runs the API benchmark and prints its table. */
export async function runApiBench(opts: { log: (line: string) => void }): Promise<void> {
  const { log } = opts;
  const work = mkdtempSync(join(tmpdir(), 'gradeshift-api-bench-'));
  const real = join(REPO, 'runs', 'default', 'bundle');
  let modelDir = real;
  let model = 'runs/default/bundle (the pipeline run)';
  const unusable = await readBundle(real).then(
    async (bundle) => {
      await bundle.session.dispose();
      return undefined;
    },
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
  if (unusable !== undefined) {
    modelDir = join(work, 'bundle');
    await writeTestBundle({ dir: modelDir, size: 'pipeline' });
    model = `a bundle of the pipeline default scorer sizes (100-d embeddings, random weights; runs/default/bundle: ${unusable.slice(0, 160)})`;
  }
  const { bodies, source } = await requestBodies();
  const { child, url } = await startServer(modelDir, join(work, 'runs'));
  try {
    log(
      `model: ${model}; requests: ${ITEMS} items each, ${source}; ${CONNECTIONS} connections; ${WARMUP_SECONDS} s warm-up; client and server on one machine (load average ${loadavg()[0]?.toFixed(1)} at start)`,
    );
    if (process.env['API_BENCH_ONLY'] === 'jobs') {
      log('');
      log('| figure | value | target |');
      log('| --- | ---: | ---: |');
      const met = await runJobRows({ url, bodies, connections: CONNECTIONS, log });
      log(met ? 'api (jobs rows): every target met' : 'api (jobs rows): a target was missed');
      return;
    }
    await load(url, bodies, { seconds: WARMUP_SECONDS });
    const run = await load(url, bodies, { seconds: SECONDS });
    const rps = run.requests.average;
    const ok = run.non2xx === 0 && run.errors === 0 && run.timeouts === 0;
    log('');
    log('| figure | value | target |');
    log('| --- | ---: | ---: |');
    log(`| requests/s (mean over ${SECONDS} s) | ${rps.toFixed(0)} | ≥ 300 |`);
    log(`| pairs/s | ${(rps * ITEMS).toFixed(0)} | ≥ 15000 |`);
    log(
      `| latency p50 / p90 / p99 (ms) | ${run.latency.p50} / ${run.latency.p90} / ${run.latency.p99} | p99 < 50 |`,
    );
    log(`| non-2xx / errors / timeouts | ${run.non2xx} / ${run.errors} / ${run.timeouts} | 0 |`);

    const rerankOptions = { path: '/v2/rerank', connections: RERANK_CONNECTIONS };
    const cohere = rerankBodies(bodies);
    await load(url, cohere, { ...rerankOptions, seconds: 10 });
    const rerank = await load(url, cohere, { ...rerankOptions, seconds: SECONDS });
    const rerankOk = rerank.non2xx === 0 && rerank.errors === 0 && rerank.timeouts === 0;
    log(
      `| /v2/rerank, ${RERANK_CONNECTIONS} connections: requests/s, documents/s | ${rerank.requests.average.toFixed(0)}, ${(rerank.requests.average * ITEMS).toFixed(0)} | ≥ 300, ≥ 15000 |`,
    );
    log(
      `| /v2/rerank latency p50 / p90 / p99 (ms) | ${rerank.latency.p50} / ${rerank.latency.p90} / ${rerank.latency.p99} | p99 < 50 |`,
    );
    log(
      `| /v2/rerank non-2xx / errors / timeouts | ${rerank.non2xx} / ${rerank.errors} / ${rerank.timeouts} | 0 |`,
    );

    const samples: number[] = [rssBytes(child.pid!)];
    const sampler = setInterval(() => samples.push(rssBytes(child.pid!)), 2000);
    const soak = await load(url, bodies, { seconds: SOAK_SECONDS });
    clearInterval(sampler);
    const first = median(samples.slice(0, 5));
    const last = median(samples.slice(-5));
    const peak = Math.max(...samples);
    const growth = (last - first) / first;
    const mb = (b: number) => (b / 2 ** 20).toFixed(1);
    log(
      `| soak ${SOAK_SECONDS} s: requests/s, p99 (ms) | ${soak.requests.average.toFixed(0)}, ${soak.latency.p99} | |`,
    );
    log(`| soak RSS start / end / peak (MiB) | ${mb(first)} / ${mb(last)} / ${mb(peak)} | |`);
    log(`| soak RSS growth | ${(growth * 100).toFixed(1)}% | < 10% |`);
    log(`| soak non-2xx / errors | ${soak.non2xx} / ${soak.errors} | 0 |`);
    const jobsMet = await runJobRows({ url, bodies, connections: CONNECTIONS, log });
    log('');
    const rerankPass = rerankOk && rerank.requests.average >= 300 && rerank.latency.p99 < 50;
    const pass =
      ok &&
      rps >= 300 &&
      run.latency.p99 < 50 &&
      growth < 0.1 &&
      soak.non2xx === 0 &&
      rerankPass &&
      jobsMet;
    log(pass ? 'api: every target met' : 'api: a target was missed (see the table)');
  } finally {
    child.kill('SIGTERM');
    await new Promise((done) => child.once('exit', done));
    rmSync(work, { recursive: true, force: true });
  }
}

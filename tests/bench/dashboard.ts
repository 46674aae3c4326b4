/**
 * Dashboard render-time benchmark: the server time to render each view of the default run (runs/default, the
 * full Home Depot run that `npm start` serves), cold and warm.
 *
 *   npm run bench -- dashboard        (DASHBOARD_BENCH_WARM=5 warm requests per view by default;
 *                                      DASHBOARD_BENCH_REPEATS=1 for one server start per view instead of 3)
 *
 * The pieces `npm start` runs: the API (`apps/api/src/server.ts`) and `next start` (after `npm run build -w
 * @gradeshift/dashboard` when the build is missing), each in its own process group on a free loopback port,
 * stopped as groups afterwards. Time = request sent → whole HTML document received, from Node (no browser: no
 * client JS, no chart rendering).
 * - cold: the view's first request after both servers start (they are restarted for every view and repeat),
 *   so it includes the API reading the run's report and predictions and Next loading the route;
 * - warm: median of the following requests of the same view on the same servers.
 * Each figure is the median over `repeats` server starts. Target: under 1.5 s per view.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { freePort, startInGroup, stopGroup } from '@gradeshift/vitest-config/process-group';

import { median } from './report';

const REPO = resolve(import.meta.dirname, '..', '..');
const APP = join(REPO, 'apps', 'dashboard');
const BUNDLE = join(REPO, 'runs', 'default', 'bundle');
const WARM = Number(process.env['DASHBOARD_BENCH_WARM'] ?? 5);
/** How long a server may take to start on a loaded machine. */
const START_TIMEOUT_MS = 120_000;

/** The views, as the analyst opens them (`run=default` names the run, as a shared URL would). */
const VIEWS: readonly { name: string; path: string }[] = [
  { name: 'Overview', path: '/?run=default' },
  { name: 'Detectors', path: '/detectors?run=default' },
  { name: 'Calibration', path: '/calibration?run=default' },
  { name: 'Slices', path: '/slices?run=default' },
  { name: 'Samples', path: '/samples?run=default' },
  {
    name: 'Samples (OOD test, sorted by knn)',
    path: '/samples?run=default&split=ood_test&sort=ood:knn',
  },
  {
    name: 'Samples (a pair open: percentiles over every ID test score)',
    path: '/samples?run=default&split=ood_test&sort=error&order=desc&pair=ood_test:{firstOodPair}',
  },
  { name: 'Selection', path: '/selection?run=default' },
  { name: 'Map (every point of map.json)', path: '/map?run=default' },
  {
    name: 'Samples (a map region of far OOD)',
    path: '/samples?run=default&region=-10,10,-10,10&split=far_test',
  },
  { name: 'Runs', path: '/runs?run=default' },
  { name: 'Playground (3 items through the API)', path: '/playground' },
];

interface Server {
  readonly child: ChildProcess;
  readonly url: string;
}

async function startBoth(): Promise<{ api: Server; web: Server }> {
  const api = await startInGroup('node', ['--import', 'tsx', 'apps/api/src/server.ts'], {
    cwd: REPO,
    env: { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    ready: /listening on (http:\/\/[\d.]+:\d+)/,
    timeoutMs: START_TIMEOUT_MS,
  });
  const apiUrl = api.match[1] ?? '';
  try {
    const port = await freePort();
    const web = await startInGroup(
      join(REPO, 'node_modules', '.bin', 'next'),
      ['start', '-p', String(port), '-H', '127.0.0.1'],
      {
        cwd: APP,
        env: {
          GRADESHIFT_API_URL: apiUrl,
          GRADESHIFT_BUNDLE_DIR: BUNDLE,
          NEXT_TELEMETRY_DISABLED: '1',
        },
        ready: /Ready in|started server/i,
        timeoutMs: START_TIMEOUT_MS,
      },
    );
    return {
      api: { child: api.child, url: apiUrl },
      web: { child: web.child, url: `http://127.0.0.1:${port}` },
    };
  } catch (error) {
    await stopGroup(api.child);
    throw error;
  }
}

/** The id of the run's first OOD test pair, asked of the API (for the view with a pair open). */
async function firstOodPair(apiUrl: string): Promise<string> {
  const input = encodeURIComponent(JSON.stringify({ id: 'default', split: 'ood_test', limit: 1 }));
  const response = await fetch(`${apiUrl}/trpc/runs.predictions?input=${input}`);
  const body = (await response.json()) as { result?: { data?: { rows?: { id: string }[] } } };
  const id = body.result?.data?.rows?.[0]?.id;
  if (id === undefined) throw new Error('runs/default has no OOD test pair');
  return id;
}

/** One request: ms until the whole document is in; throws on an error page. */
async function render(url: string): Promise<{ ms: number; bytes: number }> {
  const t0 = performance.now();
  const response = await fetch(url);
  const html = await response.text();
  const ms = performance.now() - t0;
  if (response.status !== 200 || html.includes('callout-error'))
    throw new Error(
      `${url}: status ${response.status}, ${html.includes('callout-error') ? 'an error state' : 'no page'}`,
    );
  return { ms, bytes: html.length };
}

/** Runs the benchmark and prints a Markdown table. */
export async function runDashboardBench(opts: {
  repeats: number;
  log: (line: string) => void;
}): Promise<unknown> {
  const { log } = opts;
  const repeats = Number(process.env['DASHBOARD_BENCH_REPEATS'] ?? opts.repeats);
  if (
    !existsSync(join(BUNDLE, 'manifest.json')) ||
    !existsSync(join(REPO, 'runs', 'default', 'report.json'))
  ) {
    log(
      'runs/default is missing: `npm start` (or `npm run api`) builds it first (about three minutes).',
    );
    return undefined;
  }
  if (!existsSync(join(APP, '.next', 'BUILD_ID'))) {
    const built = spawnSync('npm', ['run', 'build', '-w', '@gradeshift/dashboard'], {
      cwd: REPO,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
      stdio: 'inherit',
    });
    if (built.status !== 0) throw new Error('npm run build -w @gradeshift/dashboard failed');
  }
  const results: { name: string; path: string; cold: number[]; warm: number[]; bytes: number }[] =
    VIEWS.map((v) => ({ ...v, cold: [], warm: [], bytes: 0 }));
  for (let r = 0; r < repeats; r++) {
    for (const result of results) {
      const { api, web } = await startBoth();
      try {
        const path = result.path.includes('{firstOodPair}')
          ? result.path.replace('{firstOodPair}', encodeURIComponent(await firstOodPair(api.url)))
          : result.path;
        const url = `${web.url}${path}`;
        const first = await render(url);
        result.cold.push(first.ms);
        result.bytes = first.bytes;
        const warm: number[] = [];
        for (let i = 0; i < WARM; i++) warm.push((await render(url)).ms);
        result.warm.push(median(warm));
        process.stderr.write(
          `  ${result.name}: cold ${first.ms.toFixed(0)} ms, warm ${median(warm).toFixed(0)} ms (${r + 1}/${repeats})\n`,
        );
      } finally {
        await stopGroup(web.child);
        await stopGroup(api.child);
      }
    }
  }
  log(
    `Server render time per view on runs/default (API + next start on loopback; cold = first request after both servers start, warm = median of ${WARM} following requests; median of ${repeats} server starts):`,
  );
  log('');
  log('| view | URL | cold ms | warm ms | HTML kB | under 1.5 s |');
  log('| --- | --- | ---: | ---: | ---: | --- |');
  for (const r of results) {
    const cold = median(r.cold);
    const warm = median(r.warm);
    log(
      `| ${r.name} | \`${r.path}\` | ${cold.toFixed(0)} | ${warm.toFixed(0)} | ${(r.bytes / 1024).toFixed(0)} | ${Math.max(cold, warm) < 1500 ? 'yes' : 'no'} |`,
    );
  }
  return results;
}

/**
 * The real servers for the browser test: the API (`apps/api/src/server.ts`) on an ephemeral port over a given
 * runs folder and bundle, and `next start` on another, each in its own process group so stopping kills the
 * whole group. `next build` runs first when the build is missing or older than the sources.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { freePort, startInGroup, stopGroup } from '@gradeshift/vitest-config/process-group';

const APP = resolve(import.meta.dirname, '..', '..');
const API_SERVER = resolve(APP, '..', 'api', 'src', 'server.ts');

/** A started server. */
export interface RunningServer {
  readonly url: string;
  readonly output: () => string;
  stop(): Promise<void>;
}

function newest(dir: string): number {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return t;
}

/** Runs `npm run build` in the app when `.next` is missing or older than `src/`. */
export function ensureBuilt(): void {
  const id = join(APP, '.next', 'BUILD_ID');
  if (existsSync(id) && statSync(id).mtimeMs > newest(join(APP, 'src'))) return;
  const result = spawnSync('npm', ['run', 'build'], {
    cwd: APP,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    encoding: 'utf8',
  });
  if (result.status !== 0)
    throw new Error(`next build failed:\n${result.stdout}\n${result.stderr}`);
}

/** Starts the API over a runs folder, serving `bundleDir` as the default model. */
export async function startApi(runsDir: string, bundleDir: string): Promise<RunningServer> {
  const { child, match, output } = await startInGroup('node', ['--import', 'tsx', API_SERVER], {
    cwd: APP,
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      GRADESHIFT_MODELS: `default=${bundleDir}`,
      GRADESHIFT_MODELS_DIR: runsDir,
      GRADESHIFT_RUNS_DIR: runsDir,
      LOG_LEVEL: 'info',
    },
    ready: /listening on (http:\/\/[\d.]+:\d+)/,
    timeoutMs: 60_000,
  });
  return { url: match[1] ?? '', output, stop: () => stopGroup(child) };
}

/** Starts `next start` against an API; `bundleDir` is the API's bundle, which the Playground scores in the browser. */
export async function startDashboard(apiUrl: string, bundleDir: string): Promise<RunningServer> {
  const port = await freePort();
  const { child, output } = await startInGroup(
    [
      join(APP, 'node_modules', '.bin', 'next'),
      join(APP, '..', '..', 'node_modules', '.bin', 'next'),
    ].find((path) => existsSync(path)) ?? 'next',
    ['start', '-p', String(port), '-H', '127.0.0.1'],
    {
      cwd: APP,
      env: {
        GRADESHIFT_API_URL: apiUrl,
        GRADESHIFT_BUNDLE_DIR: bundleDir,
        NEXT_TELEMETRY_DISABLED: '1',
      },
      ready: /Ready in|started server/i,
      timeoutMs: 60_000,
    },
  );
  return { url: `http://127.0.0.1:${port}`, output, stop: () => stopGroup(child) };
}

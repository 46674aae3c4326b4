/**
 * The real servers for the browser test: the API (`apps/api/src/server.ts`) on an ephemeral port over a given
 * runs folder and bundle, and `next start` on another, each in its own process group so stopping kills the
 * whole group. `next build` runs first when the build is missing or older than the sources.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

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

/** A free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => ok(port));
    });
  });
}

function stopGroup(child: ChildProcess): Promise<void> {
  return new Promise((ok) => {
    if (child.exitCode !== null || child.pid === undefined) return ok();
    const timer = setTimeout(() => {
      try {
        process.kill(-(child.pid ?? 0), 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      ok();
    });
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      clearTimeout(timer);
      ok();
    }
  });
}

function start(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: Record<string, string>; ready: RegExp; timeoutMs: number },
): Promise<{ child: ChildProcess; match: RegExpMatchArray; output: () => string }> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => {
      void stopGroup(child);
      fail(new Error(`${command} did not start in ${options.timeoutMs} ms:\n${log}`));
    }, options.timeoutMs);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const match = options.ready.exec(log);
      if (match !== null) {
        clearTimeout(timer);
        ok({ child, match, output: () => log });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`${command} exited with ${code}:\n${log}`));
    });
  });
}

/** Starts the API over a runs folder, serving `bundleDir` as the default model. */
export async function startApi(runsDir: string, bundleDir: string): Promise<RunningServer> {
  const { child, match, output } = await start('node', ['--import', 'tsx', API_SERVER], {
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
  const { child, output } = await start(
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

/**
 * `npm start`: builds the default run if it is missing or stale (the pipeline shows its progress), builds the dashboard
 * if it has no build, then starts the API and the dashboard, each in its own process group, prints both URLs,
 * and stops both on Ctrl-C. Ports: PORT (API, default 4000) and DASHBOARD_PORT (default 3000).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const API_PORT = process.env.PORT ?? '4000';
const WEB_PORT = process.env.DASHBOARD_PORT ?? '3000';
const HOST = process.env.HOST ?? '127.0.0.1';
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };

function step(title, command, args) {
  process.stderr.write(`\n▸ ${title}\n`);
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env });
  if (result.status !== 0) {
    process.stderr.write(`✗ ${title} failed (exit ${result.status ?? result.signal})\n`);
    process.exit(result.status ?? 1);
  }
}

// The API's own check: builds runs/default with the pipeline (progress on stderr) when its bundle is missing
// or was written by an older gradeshift and no longer loads; does nothing otherwise.
step('checking the default run (runs/default; building it takes about three minutes)', 'node', [
  '--import',
  'tsx',
  'apps/api/scripts/ensure-default-bundle.ts',
]);

if (!existsSync(join(ROOT, 'apps', 'dashboard', '.next', 'BUILD_ID')))
  step('building the dashboard (about a minute)', 'npm', [
    'run',
    'build',
    '-w',
    '@gradeshift/dashboard',
  ]);
else
  process.stderr.write(
    '▸ the dashboard is built (npm run build -w @gradeshift/dashboard rebuilds it)\n',
  );

const children = [];
let stopping = false;

function start(name, command, args, options) {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...env, ...options.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((ok, fail) => {
    let log = '';
    let ready = false;
    const onData = (chunk) => {
      if (ready) return;
      log += chunk.toString();
      if (options.ready.test(log)) {
        ready = true;
        log = '';
        ok(child);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => {
      process.stderr.write(chunk);
      onData(chunk);
    });
    child.once('exit', (code) => {
      if (!stopping) process.stderr.write(`${name} exited with ${code}\n${log.slice(-2000)}`);
      if (ready && !stopping) {
        stopAll();
        process.exit(1);
      }
      fail(new Error(`${name} exited with ${code}`));
    });
  });
}

function stopAll() {
  for (const child of children)
    if (child.exitCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
}

for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    process.stderr.write('\nstopping the API and the dashboard…\n');
    stopAll();
    setTimeout(() => process.exit(0), 500);
  });

try {
  const apiUrl = `http://${HOST}:${API_PORT}`;
  await start('the API', 'node', ['--import', 'tsx', 'apps/api/src/server.ts'], {
    cwd: ROOT,
    env: { PORT: API_PORT, HOST, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
    ready: /listening on http/,
  });
  const web = await start(
    'the dashboard',
    'npm',
    ['run', 'start', '-w', '@gradeshift/dashboard', '--', '-p', WEB_PORT, '-H', HOST],
    { cwd: ROOT, env: { GRADESHIFT_API_URL: apiUrl }, ready: /Ready in|started server/i },
  );
  process.stdout.write(
    `\ngradeshift is up:\n  dashboard  http://${HOST}:${WEB_PORT}\n  API        ${apiUrl}/trpc  (health: ${apiUrl}/healthz)\nPress Ctrl-C to stop both.\n`,
  );
} catch (error) {
  process.stderr.write(`✗ ${error instanceof Error ? error.message : String(error)}\n`);
  stopAll();
  process.exit(1);
}

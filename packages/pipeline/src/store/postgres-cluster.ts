/**
 * @file A throwaway PostgreSQL server for tests: Debian's binaries (/usr/lib/postgresql/<version>/bin), a cluster
 * in a temporary folder, listening on 127.0.0.1 at a free port with trust authentication, one database. As root
 * the server runs as the `postgres` user (postgres refuses to run as root). Stopped and removed by `stop()`.
 * @internal
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PG_ROOT = '/usr/lib/postgresql';

/** A running throwaway server. @internal */
export interface PostgresCluster {
  /** `postgres://postgres@127.0.0.1:<port>/gradeshift` */
  readonly url: string;
  /** Stops the server and removes its folder. */
  stop(): void;
}

/** The bin folder of the newest installed PostgreSQL, or undefined when none is installed. @internal */
export function postgresBinDir(): string | undefined {
  if (!existsSync(PG_ROOT)) return undefined;
  const versions = readdirSync(PG_ROOT)
    .filter((v) => existsSync(join(PG_ROOT, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(PG_ROOT, versions[0], 'bin');
}

/** A free TCP port on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

function postgresUser(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

/**
 * Starts a throwaway cluster.
 * @throws Error when PostgreSQL is not installed (check {@link postgresBinDir} first) or does not start
 * @internal
 */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = postgresBinDir();
  if (bin === undefined)
    throw new Error(`PostgreSQL is not installed (no ${PG_ROOT}/*/bin/pg_ctl)`);
  const root = mkdtempSync(join(tmpdir(), 'gradeshift-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { uid, gid } = postgresUser();
    chownSync(root, uid, gid);
  }
  const run = (tool: string, args: string[]): void => {
    const [cmd, full] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]]
      : [join(bin, tool), args];
    execFileSync(cmd, full, { stdio: 'pipe', cwd: root });
  };
  const data = join(root, 'data');
  const port = await freePort();
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off`;
  run('pg_ctl', ['-D', data, '-o', options, '-l', join(root, 'log'), '-w', 'start']);
  const stop = (): void => {
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  };
  try {
    run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'gradeshift']);
  } catch (error) {
    stop();
    throw error;
  }
  return { url: `postgres://postgres@127.0.0.1:${port}/gradeshift`, stop };
}

/**
 * A vitest global setup: with `GRADESHIFT_TEST_STORE=postgres`, one throwaway cluster for the run, its URL in the
 * environment variable `urlVariable`, stopped at the end; without it, nothing.
 * @param urlVariable - where the tests read the cluster's URL
 * @throws Error when PostgreSQL is asked for but not installed
 * @internal
 */
export function postgresGlobalSetup(urlVariable: string): () => Promise<(() => void) | undefined> {
  return async () => {
    if (process.env['GRADESHIFT_TEST_STORE'] !== 'postgres') return undefined;
    if (postgresBinDir() === undefined)
      throw new Error(
        'GRADESHIFT_TEST_STORE=postgres: PostgreSQL is not installed (no /usr/lib/postgresql/*/bin; apt-get install postgresql)',
      );
    const cluster = await startPostgresCluster();
    process.env[urlVariable] = cluster.url;
    return () => cluster.stop();
  };
}

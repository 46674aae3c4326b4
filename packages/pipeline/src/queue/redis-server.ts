/**
 * @file A private redis-server for tests and benchmarks: Debian's `redis-server` on a free loopback port, in a
 * temp folder, without persistence, in its own process group; `stop` ends that group.
 * @internal
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort, stopGroup } from '@gradeshift/vitest-config/process-group';

import { openRedis } from './queue-settings';

/** A running redis-server. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** Stops the server (SIGTERM to its process group) and removes its folder. */
  stop(): Promise<void>;
}

/** Whether `redis-server` is on the PATH. */
export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Starts a redis-server and waits until it answers PING.
 * @param bind - addresses to listen on besides 127.0.0.1 (e.g. the host end of a network namespace's link)
 * @throws Error when it does not answer within 10 s
 */
export async function startRedisServer(bind: readonly string[] = []): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'gradeshift-redis-'));
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', ...bind, '--dir', dir];
  const child = spawn(
    'redis-server',
    [
      ...args,
      '--save',
      '',
      '--appendonly',
      'no',
      // Protected mode refuses every client off loopback while there is no password: off for extra addresses.
      '--protected-mode',
      bind.length > 0 ? 'no' : 'yes',
      '--loglevel',
      'warning',
    ],
    { detached: true, stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    await stopGroup(child);
    rmSync(dir, { recursive: true, force: true });
  };
  for (let attempt = 0; ; attempt++) {
    try {
      const redis = await openRedis(url, 500);
      await redis.quit();
      return { url, port, stop };
    } catch (error) {
      if (attempt >= 40) {
        await stop();
        throw error;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

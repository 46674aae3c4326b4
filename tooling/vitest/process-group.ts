/**
 * Real servers for end-to-end tests and benchmarks: a command started in its own process group (so stopping it
 * stops everything it spawned, e.g. `next start` under a wrapper), ready once its output matches a pattern, and a
 * free loopback port to give it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A started command: its process, the match of its ready pattern, and its output so far. */
export interface StartedProcess {
  readonly child: ChildProcess;
  readonly match: RegExpMatchArray;
  readonly output: () => string;
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

/** Stops a process group: SIGTERM, then SIGKILL after 5 s. */
export function stopGroup(child: ChildProcess): Promise<void> {
  return new Promise((ok) => {
    const pid = child.pid;
    if (child.exitCode !== null || pid === undefined) return ok();
    const timer = setTimeout(() => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      ok();
    });
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      clearTimeout(timer);
      ok();
    }
  });
}

/**
 * Starts `command` in its own process group and resolves once its stdout or stderr matches `ready`; rejects (and
 * stops the group) when it exits first or is not ready within `timeoutMs`, with the tail of its output.
 */
export function startInGroup(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: Record<string, string>; ready: RegExp; timeoutMs: number },
): Promise<StartedProcess> {
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
      fail(new Error(`${command} did not start in ${options.timeoutMs} ms:\n${log.slice(-2000)}`));
    }, options.timeoutMs);
    const onData = (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-100_000);
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
      fail(new Error(`${command} exited with ${code}:\n${log.slice(-2000)}`));
    });
  });
}

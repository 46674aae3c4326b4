/**
 * Crash recovery of the run store: a run left `running` by a process that is gone (killed, crashed, the machine
 * restarted) is marked `interrupted`, and the temporary files its atomic writes left in its folder are removed.
 * A run is owned by `host:pid:start:boot:pidns` (the process's start time, so a recycled pid is not mistaken for
 * the owner; the kernel's boot id and the pid namespace, so that a process in another container that shares the
 * host name, whose pids mean nothing here, is not judged by them); a run whose owner is alive is left alone.
 */
import { readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

import type { RunStore } from './run-store';

/** Runs this process has started and not finished: run id → store file and run folder. */
const ACTIVE = new Map<string, { storePath: string; outDir: string }>();

/** Notes a run this process started (the run store calls it). */
export function trackRun(id: string, storePath: string, outDir: string): void {
  ACTIVE.set(id, { storePath, outDir });
}

/** Notes that a run of this process finished (the run store calls it). */
export function untrackRun(id: string): void {
  ACTIVE.delete(id);
}

/** Runs this process started and has not finished. */
export function activeRuns(): { id: string; storePath: string; outDir: string }[] {
  return [...ACTIVE].map(([id, run]) => ({ id, ...run }));
}

/** Start of this process, in whole seconds since the epoch. */
const STARTED = Math.round((Date.now() - process.uptime() * 1000) / 1000);

/** `/proc`'s answer, or '' where there is none (not Linux). */
function procText(read: () => string): string {
  try {
    return read().trim();
  } catch {
    return '';
  }
}

/** The kernel's boot id: another one on this host name means the owner's machine has restarted since. */
const BOOT_ID = procText(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8'));
/** This process's pid namespace (`pid:[4026531836]` → `4026531836`): pids are only comparable inside one. */
const PID_NAMESPACE = procText(() => readlinkSync('/proc/self/ns/pid')).replace(/\D/g, '');

/** The owner string of runs this process creates. */
export function processOwner(): string {
  return `${hostname()}:${process.pid}:${STARTED}:${BOOT_ID}:${PID_NAMESPACE}`;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the owner of a running run is gone. Judged only on this host: another host's runs, and on this host the
 * runs of another pid namespace (a container sharing the host name) are never judged here — the PostgreSQL store's
 * leases judge them. A run of this host name from an earlier boot is gone. Owners written before the boot id and
 * namespace were recorded (`host:pid:start`) are judged by their pid, as they were.
 */
export function ownerGone(owner: string | null): boolean {
  if (owner === null) return true;
  const [host, pidText, start, boot, namespace] = owner.split(':');
  if (host !== hostname()) return false;
  if (boot !== undefined && boot !== BOOT_ID) return BOOT_ID !== '' && boot !== '';
  if (namespace !== undefined && namespace !== PID_NAMESPACE) return false;
  const pid = Number(pidText);
  if (pid === process.pid) return Number(start) !== STARTED;
  return !Number.isInteger(pid) || !pidAlive(pid);
}

/** Whether a run's owner ran on this host and in this pid namespace (its run folder's path means the same here). */
export function ownerLocal(owner: string | null): boolean {
  if (owner === null) return false;
  const [host, , , boot, namespace] = owner.split(':');
  return (
    host === hostname() &&
    (boot ?? BOOT_ID) === BOOT_ID &&
    (namespace ?? PID_NAMESPACE) === PID_NAMESPACE
  );
}

/** Temporary files of the atomic writes (`.<name>.<pid>.<ms>.tmp`, `.<name>.tmp-<tag>` bundle folders). */
export const TEMP_NAME = /^\..+(\.\d+\.\d+\.tmp|\.tmp-[\w-]+)$/;

/** Removes temporary files from a run folder and its direct subfolders; returns how many. */
export function removeTempFiles(dir: string): number {
  let removed = 0;
  const sweep = (folder: string, depth: number): void => {
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(folder, name);
      if (TEMP_NAME.test(name)) {
        rmSync(path, { recursive: true, force: true });
        removed++;
      } else if (depth > 0 && statSync(path, { throwIfNoEntry: false })?.isDirectory() === true)
        sweep(path, depth - 1);
    }
  };
  sweep(dir, 1);
  return removed;
}

/**
 * Marks the runs of dead processes `interrupted` and removes their temporary files.
 * @param store - an open, writable run store
 * @returns the ids of the runs marked
 */
export function recoverRuns(store: RunStore): string[] {
  const marked: string[] = [];
  for (const run of store.runningRuns()) {
    if (!ownerGone(run.owner)) continue;
    store.finishRun(run.id, {
      status: 'interrupted',
      error: 'the process running it stopped before it finished (killed or crashed)',
    });
    removeTempFiles(run.outDir);
    marked.push(run.id);
  }
  return marked;
}

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ownerGone, ownerLocal, processOwner, removeTempFiles } from './recover-runs';
import { openRunStore } from './run-store';

describe('run recovery', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gradeshift-recover-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (path: string, id: string, outDir: string, owner: string | null): void => {
    const db = new Database(path);
    db.prepare(
      `INSERT INTO runs (id, name, kind, status, created_at, out_dir, config_json, owner)
       VALUES (?, ?, 'evaluate', 'running', '2026-01-01', ?, '{}', ?)`,
    ).run(id, id, outDir, owner);
    db.close();
  };

  it('marks runs of dead processes interrupted, leaves live ones, and removes temp files', () => {
    const path = join(dir, 'runs.sqlite');
    openRunStore(path).close();
    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid ?? 0;
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], {
      stdio: 'ignore',
    });
    try {
      const out = join(dir, 'dead-run');
      mkdirSync(join(out, 'params'), { recursive: true });
      writeFileSync(join(out, '.predictions.jsonl.123.1700000000000.tmp'), 'partial');
      writeFileSync(join(out, 'params', '.stage1.bin.123.1700000000000.tmp'), 'partial');
      mkdirSync(join(out, '.bundle.tmp-abc123'));
      writeFileSync(join(out, 'kept.txt'), 'kept');
      insert(path, 'dead', out, `${hostname()}:${dead}:1`);
      insert(path, 'live', join(dir, 'live-run'), `${hostname()}:${live.pid}:1`);
      insert(path, 'old', join(dir, 'old-run'), null);
      insert(path, 'elsewhere', join(dir, 'x'), `another-host:${dead}:1`);
      const store = openRunStore(path);
      expect(store.requireRun('dead').status).toBe('interrupted');
      expect(store.requireRun('dead').error).toMatch(/stopped before it finished/);
      expect(store.requireRun('old').status).toBe('interrupted');
      expect(store.requireRun('live').status).toBe('running');
      expect(store.requireRun('elsewhere').status).toBe('running');
      expect(readdirSync(out).sort()).toEqual(['kept.txt', 'params']);
      expect(readdirSync(join(out, 'params'))).toEqual([]);
      store.close();
    } finally {
      live.kill('SIGKILL');
    }
  });

  it('knows its own runs from a recycled pid', () => {
    expect(ownerGone(processOwner())).toBe(false);
    const [host, pid] = processOwner().split(':');
    expect(ownerGone(`${host}:${pid}:12345`)).toBe(true);
    expect(ownerLocal(processOwner())).toBe(true);
    expect(ownerLocal(`elsewhere:${pid}:1`)).toBe(false);
  });

  it('judges only owners of its own boot and pid namespace by their pid', () => {
    const [host, , start, boot, namespace] = processOwner().split(':');
    if (boot === '' || namespace === '') return; // not Linux: no boot id or namespace to compare
    // A pid that cannot be alive here: in this namespace it is gone, in another container's namespace not judged.
    const dead = 2 ** 22 + 7;
    expect(ownerGone(`${host}:${dead}:${start}:${boot}:${namespace}`)).toBe(true);
    expect(ownerGone(`${host}:${dead}:${start}:${boot}:1`)).toBe(false);
    expect(ownerLocal(`${host}:${dead}:${start}:${boot}:1`)).toBe(false);
    // The same host name in an earlier boot: that process is gone, whatever its namespace.
    expect(ownerGone(`${host}:${process.pid}:${start}:not-this-boot:1`)).toBe(true);
    // An owner written without boot and namespace is judged by its pid, as before.
    expect(ownerGone(`${host}:${dead}:${start}`)).toBe(true);
    expect(ownerGone(`${host}:${process.pid}:${start}`)).toBe(false);
    expect(removeTempFiles(join(dir, 'missing'))).toBe(0);
    expect(existsSync(dir)).toBe(true);
  });
});

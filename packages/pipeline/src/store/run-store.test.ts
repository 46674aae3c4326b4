import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { openRunStore } from './run-store';

describe('run store (a real SQLite file)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gradeshift-store-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('records runs, stages, metrics and artifacts and reads them back after reopening', () => {
    const path = join(dir, 'runs.sqlite');
    const store = openRunStore(path);
    const run = store.createRun({
      name: 'demo',
      kind: 'pipeline',
      outDir: '/tmp/x',
      config: { seed: 1 },
      dataFingerprint: 'abc',
    });
    store.startStage(run.id, 'stage1');
    store.putMetrics(run.id, [
      { stage: 'stage1', split: 'id_test', name: 'macro_f1', value: 0.5, lo: 0.45, hi: 0.55 },
      { stage: 'stage1', split: 'ood_test', name: 'macro_f1', value: 0.4 },
    ]);
    store.finishStage(run.id, 'stage1', { epochs: 3 });
    store.putArtifacts(run.id, [{ kind: 'report', path: '/tmp/x/report.json', bytes: 10 }]);
    store.finishRun(run.id, { status: 'succeeded' });
    store.close();

    const again = openRunStore(path, { readonly: true });
    const got = again.requireRun(run.id);
    expect(got).toMatchObject({
      name: 'demo',
      status: 'succeeded',
      config: { seed: 1 },
      dataFingerprint: 'abc',
    });
    expect(again.getMetrics(run.id)).toEqual([
      { stage: 'stage1', split: 'id_test', name: 'macro_f1', value: 0.5, lo: 0.45, hi: 0.55 },
      { stage: 'stage1', split: 'ood_test', name: 'macro_f1', value: 0.4, lo: null, hi: null },
    ]);
    expect(again.getStages(run.id)).toMatchObject([{ stage: 'stage1', summary: { epochs: 3 } }]);
    expect(again.getArtifacts(run.id)).toEqual([
      { kind: 'report', path: '/tmp/x/report.json', sha256: null, bytes: 10 },
    ]);
    expect(again.listRuns().map((r) => r.id)).toEqual([run.id]);
    again.close();
  });

  it('writes a batch of metrics all or nothing', () => {
    const store = openRunStore(join(dir, 'runs.sqlite'));
    const run = store.createRun({ name: 'x', kind: 'pipeline', outDir: dir, config: {} });
    expect(() =>
      store.putMetrics(run.id, [
        { stage: 's', split: 'a', name: 'ok', value: 1 },
        { stage: 's', split: 'a', name: 'bad', value: Number.NaN },
      ]),
    ).toThrow('metric s/a/bad must be finite');
    expect(store.getMetrics(run.id)).toEqual([]);
    store.close();
  });

  it('survives a writer killed mid-run: the file stays readable and opening it marks the run interrupted', () => {
    const path = join(dir, 'runs.sqlite');
    openRunStore(path).close();
    // A child process opens the store, starts a run, writes metrics in a loop and is killed with SIGKILL.
    const script = `
      const Database = require('better-sqlite3');
      const db = new Database(${JSON.stringify(path)});
      db.pragma('journal_mode = WAL');
      db.prepare("INSERT INTO runs (id, name, kind, status, created_at, out_dir, config_json) VALUES ('r1','k','pipeline','running','2026-01-01','/x','{}')").run();
      const st = db.prepare("INSERT OR REPLACE INTO metrics (run_id, stage, split, name, value) VALUES ('r1','s','a',?,?)");
      let i = 0;
      const tx = db.transaction(() => { for (let j = 0; j < 500; j++) st.run('m' + (i++ % 5000), Math.random()); });
      for (;;) { tx(); if (i > 200000) process.kill(process.pid, 'SIGKILL'); }
    `;
    const child = spawnSync(process.execPath, ['-e', script], {
      cwd: process.cwd(),
      encoding: 'utf8',
    });
    expect(child.signal).toBe('SIGKILL');
    const store = openRunStore(path);
    // Opening read-write already marked the dead writer's run (recover-runs.ts): nothing is left running.
    expect(store.markInterrupted()).toBe(0);
    expect(store.requireRun('r1').status).toBe('interrupted');
    expect(store.getMetrics('r1').length).toBe(5000);
    const integrity = spawnSync(
      process.execPath,
      [
        '-e',
        `const D=require('better-sqlite3');console.log(new D(${JSON.stringify(path)}).pragma('integrity_check',{simple:true}))`,
      ],
      { encoding: 'utf8' },
    );
    expect(integrity.stdout.trim()).toBe('ok');
    store.close();
  });

  it('refuses a file that is not a run store, saying what to do', () => {
    const path = join(dir, 'junk.sqlite');
    writeFileSync(
      path,
      'this is not sqlite at all, just text that is long enough to have a header '.repeat(10),
    );
    expect(() => openRunStore(path)).toThrow(/not a gradeshift run store .*Move it away and rerun/);
  });

  it('names the store when a run id is unknown', () => {
    const path = join(dir, 'runs.sqlite');
    const store = openRunStore(path);
    expect(() => store.requireRun('nope')).toThrow(`no run with id "nope" in ${path}`);
    store.close();
  });
});

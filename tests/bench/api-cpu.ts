/**
 * CPU time the API spends per `score` request and per model reload, thread by thread: figures a busy shared machine
 * distorts far less than requests/s or latency (each thread's user + system time from /proc/<pid>/task/<tid>/stat,
 * not wall time). Linux only. From tests/:
 *
 *   node --import tsx bench/api-cpu.ts [bundle folder]   (default runs/default/bundle)
 *
 * API_CPU_SECONDS (15) of the suite's 50-item `score` requests at 8 connections after a 5 s warm-up, then
 * API_CPU_RELOADS (20) `models.reload` calls one after the other with no other traffic. The main thread is the HTTP
 * thread; the scoring threads are the two busiest others; the rest are V8's and libuv's helpers (garbage collection).
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { load, requestBodies, startServer } from './api';

const REPO = resolve(import.meta.dirname, '..', '..');
const SECONDS = Number(process.env['API_CPU_SECONDS'] ?? 15);
const RELOADS = Number(process.env['API_CPU_RELOADS'] ?? 20);

/** CPU seconds used so far by each thread of `pid`, by thread id. */
function threadCpu(pid: number): Map<number, number> {
  const ticks = 100; // USER_HZ on Linux
  const cpu = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // Fields after the command name "(…)": utime is field 14, stime field 15.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      cpu.set(Number(tid), (Number(fields[11]) + Number(fields[12])) / ticks);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return cpu;
}

/** Milliseconds of CPU per unit of work, by thread (main, then the others busiest first). */
function perUnit(pid: number, before: Map<number, number>, units: number): string {
  const spent = [...threadCpu(pid)]
    .map(([tid, s]) => ({ tid, ms: ((s - (before.get(tid) ?? 0)) * 1000) / units }))
    .filter((t) => t.tid === pid || t.ms >= 0.05)
    .sort((a, b) => (a.tid === pid ? -1 : b.tid === pid ? 1 : b.ms - a.ms));
  const total = spent.reduce((sum, t) => sum + t.ms, 0);
  const shown = spent.map((t) => `${t.tid === pid ? 'HTTP' : t.tid} ${t.ms.toFixed(2)}`).join(', ');
  return `${total.toFixed(2)} in all (${shown})`;
}

const modelDir = resolve(process.argv[2] ?? join(REPO, 'runs', 'default', 'bundle'));
const { bodies } = await requestBodies();
const { child, url } = await startServer(
  modelDir,
  mkdtempSync(join(tmpdir(), 'gradeshift-api-cpu-')),
);
const pid = child.pid ?? 0;
try {
  console.log(`bundle ${modelDir}; load average ${loadavg()[0]?.toFixed(1)} at start`);
  await load(url, bodies, { seconds: 5 });
  let before = threadCpu(pid);
  const run = await load(url, bodies, { seconds: SECONDS });
  console.log(
    `score: ${run.requests.total} requests, ${run.requests.average.toFixed(0)}/s; ms CPU per request: ${perUnit(pid, before, run.requests.total)}`,
  );
  before = threadCpu(pid);
  const t0 = performance.now();
  for (let i = 0; i < RELOADS; i++) {
    const answer = await fetch(`${url}/trpc/models.reload`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'default' }),
    });
    if (!answer.ok) throw new Error(`reload ${i} failed: ${answer.status} ${await answer.text()}`);
  }
  const wall = (performance.now() - t0) / RELOADS;
  console.log(
    `reload: ${RELOADS}, ${wall.toFixed(0)} ms each (wall); ms CPU per reload: ${perUnit(pid, before, RELOADS)}`,
  );
} finally {
  child.kill('SIGTERM');
  await new Promise((done) => child.once('exit', done));
}

/**
 * CPU cost of the exported scorer graph per 50-pair request: per operator type (onnxruntime-node's profiler), and
 * A/B between two model files in one process (alternating rounds, so load drift on a shared machine cancels out).
 * From tests/:
 *
 *   node --import tsx bench/graph-cost.ts profile <bundle folder> [model.onnx]
 *   node --import tsx bench/graph-cost.ts ab <bundle folder> <model A.onnx> <model B.onnx>
 *   node --import tsx bench/graph-cost.ts compare <bundle folder> <model A.onnx> <model B.onnx>
 *
 * Requests: one Home Depot query and 50 titles each (as in bench/api.ts), featurised once with the bundle's
 * featuriser. One intra-op thread, no spinning (as the API runs its sessions). CPU time is the process's user +
 * system time (`process.cpuUsage`), not wall time.
 */
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';

import * as ort from 'onnxruntime-node';

import {
  createBundleFeaturizer,
  parseManifest,
  SCORER_ONNX_INPUTS,
  scorerBatchFeeds,
  type TensorLike,
} from '@gradeshift/core';
import { loadPreset } from '@gradeshift/pipeline';

import { median } from './report';

const REPO = resolve(import.meta.dirname, '..', '..');
const ITEMS = 50;
const REQUESTS = Number(process.env['GRAPH_COST_REQUESTS'] ?? 40);
const ROUNDS = Number(process.env['GRAPH_COST_ROUNDS'] ?? 30);

type Feeds = Record<string, ort.Tensor>;

/** REQUESTS feeds of one query and ITEMS titles each, from the Home Depot file. */
async function requestFeeds(bundle: string): Promise<Feeds[]> {
  const manifest = parseManifest(JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8')));
  const featurizer = createBundleFeaturizer(manifest);
  const dataset = await loadPreset('homedepot', { repoRoot: REPO });
  const queries = [...new Set(dataset.pairs.map((p) => p.query))];
  const titles = [...new Set(dataset.pairs.map((p) => p.item))];
  let seed = 1;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  return Array.from({ length: REQUESTS }, () => {
    const query = queries[next(queries.length)] ?? '';
    const items = Array.from({ length: ITEMS }, () => titles[next(titles.length)] ?? '');
    const feeds = scorerBatchFeeds(featurizer.featurizeQuery(query, items), {
      config: manifest.scorer,
      inputs: SCORER_ONNX_INPUTS,
    });
    return Object.fromEntries(
      Object.entries(feeds).map(([name, t]: [string, TensorLike]) => [
        name,
        new ort.Tensor(t.type as 'float32', t.data as Float32Array, t.dims),
      ]),
    );
  });
}

function session(model: string, profile = false): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(model, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    ...(profile ? { enableProfiling: true, profileFilePrefix: '/tmp/gc/profile' } : {}),
  });
}

/** Milliseconds of CPU per run over every request once. */
async function cpuPerRun(s: ort.InferenceSession, feeds: Feeds[]): Promise<number> {
  const before = process.cpuUsage();
  for (const f of feeds) await s.run(f);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / feeds.length;
}

async function profile(bundle: string, model: string): Promise<void> {
  const feeds = await requestFeeds(bundle);
  for (const f of readdirSync('/tmp/gc')) if (f.startsWith('profile')) rmSync(join('/tmp/gc', f));
  const s = await session(model, true);
  for (let r = 0; r < 5; r++) for (const f of feeds) await s.run(f);
  s.endProfiling();
  await s.release();
  const file = readdirSync('/tmp/gc').find((f) => f.startsWith('profile'));
  if (file === undefined) throw new Error('onnxruntime wrote no profile');
  const events = JSON.parse(readFileSync(join('/tmp/gc', file), 'utf8')) as {
    cat: string;
    name: string;
    dur: number;
    args?: { op_name?: string };
  }[];
  // Medians per node over the runs: a run preempted by other work on a shared machine inflates a few samples only.
  const samples = new Map<string, number[]>();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
    const key = `${e.args?.op_name ?? '?'} ${e.name.replace(/_kernel_time$/, '')}`;
    const list = samples.get(key) ?? [];
    list.push(e.dur);
    samples.set(key, list);
  }
  const byNode = [...samples].map(([key, list]) => [key, median(list)] as const);
  const byType = new Map<string, number>();
  for (const [key, us] of byNode) {
    const op = key.split(' ')[0] ?? '?';
    byType.set(op, (byType.get(op) ?? 0) + us);
  }
  const total = byNode.reduce((sum, [, us]) => sum + us, 0);
  const show = (us: number): string =>
    `${us.toFixed(0).padStart(6)} ${((100 * us) / total).toFixed(1).padStart(5)}%`;
  console.log(
    `median µs per run over ${feeds.length * 5} runs, by operator type (sum ${total.toFixed(0)} µs); load ${loadavg()[0]?.toFixed(1)}`,
  );
  for (const [op, us] of [...byType].sort((a, b) => b[1] - a[1])) console.log(`${show(us)}  ${op}`);
  console.log('--- top nodes');
  for (const [key, us] of [...byNode].sort((a, b) => b[1] - a[1]).slice(0, 30))
    console.log(`${show(us)}  ${key}`);
}

async function ab(bundle: string, a: string, b: string): Promise<void> {
  const feeds = await requestFeeds(bundle);
  const sa = await session(a);
  const sb = await session(b);
  for (let r = 0; r < 3; r++) {
    await cpuPerRun(sa, feeds);
    await cpuPerRun(sb, feeds);
  }
  const ta: number[] = [];
  const tb: number[] = [];
  const load0 = loadavg()[0];
  for (let r = 0; r < ROUNDS; r++) {
    if (r % 2 === 0) {
      ta.push(await cpuPerRun(sa, feeds));
      tb.push(await cpuPerRun(sb, feeds));
    } else {
      tb.push(await cpuPerRun(sb, feeds));
      ta.push(await cpuPerRun(sa, feeds));
    }
  }
  const ma = median(ta);
  const mb = median(tb);
  const ratios = ta.map((t, i) => (tb[i] ?? 0) / t);
  console.log(
    `${ROUNDS} alternating rounds of ${feeds.length} ${ITEMS}-pair runs; load ${load0?.toFixed(1)} → ${loadavg()[0]?.toFixed(1)}`,
  );
  console.log(`A ${a}: median ${ma.toFixed(3)} ms CPU per run`);
  console.log(`B ${b}: median ${mb.toFixed(3)} ms CPU per run`);
  console.log(`B/A: median of per-round ratios ${median(ratios).toFixed(3)}`);
}

/** Max |A − B| (and max |A − B| / max(1, |A|)) of every output over every request; NaN or a missing output fails. */
async function compare(bundle: string, a: string, b: string): Promise<void> {
  const feeds = await requestFeeds(bundle);
  const sa = await session(a);
  const sb = await session(b);
  const worst = new Map<string, { abs: number; rel: number }>();
  for (const f of feeds) {
    const [oa, ob] = [await sa.run(f), await sb.run(f)];
    for (const name of sa.outputNames) {
      const x = oa[name]?.data as Float32Array;
      const y = ob[name]?.data as Float32Array | undefined;
      if (y?.length !== x.length) throw new Error(`${b}: output ${name} differs in size`);
      const w = worst.get(name) ?? { abs: 0, rel: 0 };
      for (let i = 0; i < x.length; i++) {
        const d = Math.abs((x[i] ?? 0) - (y[i] ?? 0));
        if (Number.isNaN(d)) throw new Error(`${name}[${i}]: NaN`);
        w.abs = Math.max(w.abs, d);
        w.rel = Math.max(w.rel, d / Math.max(1, Math.abs(x[i] ?? 0)));
      }
      worst.set(name, w);
    }
  }
  console.log(
    `${feeds.length * ITEMS} pairs (${feeds.length} requests of ${ITEMS}); max |A − B| per output:`,
  );
  for (const [name, w] of worst)
    console.log(
      `  ${name.padEnd(24)} ${w.abs.toExponential(2)}  (relative ${w.rel.toExponential(2)})`,
    );
}

const [mode, bundle = join(REPO, 'runs', 'default', 'bundle'), m1, m2] = process.argv.slice(2);
if (mode === 'profile') await profile(bundle, m1 ?? join(bundle, 'model.onnx'));
else if (mode === 'compare' && m1 !== undefined && m2 !== undefined) await compare(bundle, m1, m2);
else if (mode === 'ab' && m1 !== undefined && m2 !== undefined) await ab(bundle, m1, m2);
else
  throw new Error(
    'usage: graph-cost.ts profile <bundle> [model] | ab|compare <bundle> <model A> <model B>',
  );

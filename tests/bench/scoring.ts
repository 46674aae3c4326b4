/**
 * Batch-scoring benchmark: the default model bundle (runs/default/bundle, built by the pipeline when missing) run
 * by onnxruntime-node over the whole Home Depot file, from raw text to grade probabilities and every OOD score
 * (the in-graph Mahalanobis and energy, plus the detectors computed outside the graph).
 *
 *   npm run bench -- scoring
 *
 * Rows: the file path (`scoreBundlePairs`: pairs of many queries share forward passes, ranks per query after,
 * batch 128, chunks of 8,192 pairs) on the calling thread (onnxruntime with its default threads), in 1 and in 2
 * scoring threads (onnxruntime on one core each), with all OOD scores and with the in-graph ones only; and the
 * API path (`scorePairs`, one call per query, ~3 items each in this data). Each file row: start-up (loading the
 * bundle, in every thread), one first pass with empty featuriser memos (cold), then the median of the repeats
 * (warm: each thread scores the same chunks again). Pairs/s = pairs ÷ wall time.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

import { createOrtGemm } from '@gradeshift/core/node';
import type { BundleScorer } from '@gradeshift/core';
import {
  loadBundleScorer,
  loadPreset,
  runPipeline,
  scoreBundlePairs,
  startScoringThreads,
  type LabeledPair,
  type ScoringThreads,
} from '@gradeshift/pipeline';

import { median } from './report';

const REPO_ROOT = resolve(import.meta.dirname, '../..');
const DEFAULT_RUN = resolve(REPO_ROOT, 'runs/default');

/** The default bundle, built by the pipeline when no run has made it yet. */
export async function ensureBundle(log: (line: string) => void): Promise<string> {
  const dir = resolve(DEFAULT_RUN, 'bundle');
  if (existsSync(resolve(dir, 'manifest.json'))) return dir;
  log(`no bundle at ${dir}: running the default pipeline first (about 3 minutes)…`);
  let last = '';
  await runPipeline({
    data: { preset: 'homedepot' },
    outDir: DEFAULT_RUN,
    repoRoot: REPO_ROOT,
    progress: (e) => {
      if (e.stage !== last) process.stderr.write(`  ${e.stage}: ${e.message}\n`);
      last = e.stage;
    },
  });
  return dir;
}

interface ScoringRow {
  path: string;
  settings: string;
  pairs: number;
  /** Loading the bundle (in every thread); not part of `ms`. */
  startMs?: number;
  /** The first pass, featuriser memos empty. */
  coldMs?: number;
  /** Median of the repeats after it. */
  ms: number;
}

const IN_GRAPH = ['mahalanobis', 'energy'];

/** The model of a file row: a scorer on this thread, or started scoring threads. */
async function openModel(
  bundleDir: string,
  setting: { threads: number; oodScores: readonly string[] | undefined },
  gemm: ReturnType<typeof createOrtGemm>,
): Promise<{ model: BundleScorer | ScoringThreads; close: () => Promise<void> }> {
  const oodScores = setting.oodScores === undefined ? {} : { oodScores: setting.oodScores };
  if (setting.threads === 0) {
    const loaded = await loadBundleScorer(bundleDir, {
      batchSize: 128,
      computeOptions: { gemm },
      ...oodScores,
    });
    return { model: loaded.scorer, close: () => loaded.dispose() };
  }
  const pool = await startScoringThreads({
    dir: bundleDir,
    threads: setting.threads,
    batchSize: 128,
    ...oodScores,
  });
  return { model: pool, close: () => pool.close() };
}

async function time(repeats: number, work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    await work();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** Runs the scoring benchmark and prints its table. */
export async function runScoringBench(options: {
  repeats: number;
  log: (line: string) => void;
}): Promise<ScoringRow[]> {
  const { repeats, log } = options;
  const bundleDir = await ensureBundle(log);
  const data = await loadPreset('homedepot', { repoRoot: REPO_ROOT });
  const pairs: readonly LabeledPair[] = data.pairs;
  log(`${pairs.length} pairs from ${data.source.path}; bundle ${bundleDir}`);
  const rows: ScoringRow[] = [];
  // The outside detectors' products (KNN bank) in onnxruntime, as the CLI and API do.
  const gemm = createOrtGemm({ dtype: 'float32' });

  for (const threads of [0, 1, 2])
    for (const oodScores of [undefined, IN_GRAPH]) {
      const t0 = performance.now();
      const { model, close } = await openModel(bundleDir, { threads, oodScores }, gemm);
      const startMs = performance.now() - t0;
      try {
        const coldMs = await time(1, () => scoreBundlePairs(model, pairs));
        const ms = await time(repeats, () => scoreBundlePairs(model, pairs));
        rows.push({
          path:
            threads === 0
              ? 'file, calling thread'
              : `file, ${threads} scoring thread${threads > 1 ? 's' : ''}`,
          settings: oodScores === undefined ? 'all 6 OOD scores' : 'in-graph OOD scores only',
          pairs: pairs.length,
          startMs,
          coldMs,
          ms,
        });
      } finally {
        await close();
      }
    }

  const loaded = await loadBundleScorer(bundleDir, { computeOptions: { gemm } });
  try {
    const byQuery = new Map<string, string[]>();
    for (const p of pairs.slice(0, 20_000))
      byQuery.set(p.query, [...(byQuery.get(p.query) ?? []), p.item]);
    const groups = [...byQuery.entries()];
    const n = groups.reduce((s, [, items]) => s + items.length, 0);
    const ms = await time(repeats, async () => {
      for (const [query, items] of groups) await loaded.scorer.scorePairs(query, items);
    });
    rows.push({
      path: 'per query (scorePairs)',
      settings: `${groups.length} queries, ${(n / groups.length).toFixed(1)} items each`,
      pairs: n,
      ms,
    });
  } finally {
    await loaded.dispose();
    await gemm.dispose();
  }

  const rate = (ms: number | undefined, pairs: number) =>
    ms === undefined ? '' : String(Math.round((pairs / ms) * 1000));
  const fixed = (ms: number | undefined) => (ms === undefined ? '' : ms.toFixed(0));
  log('| path | settings | pairs | start ms | first pass ms | pairs/s first | ms | pairs/s |');
  log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows)
    log(
      `| ${r.path} | ${r.settings} | ${r.pairs} | ${fixed(r.startMs)} | ${fixed(r.coldMs)} | ${rate(r.coldMs, r.pairs)} | ${fixed(r.ms)} | ${rate(r.ms, r.pairs)} |`,
    );
  return rows;
}

/**
 * Batch-scoring benchmark: the default model bundle (runs/default/bundle, built by the pipeline when missing) run
 * by onnxruntime-node over the whole Home Depot file, from raw text to grade probabilities and every OOD score
 * (the in-graph Mahalanobis and energy, plus the detectors computed outside the graph).
 *
 *   npm run bench -- scoring
 *
 * Rows: the file path (`scoreBundlePairs`: pairs of many queries share forward passes, ranks per query after),
 * at two batch sizes, with all OOD scores and with the in-graph ones only; and the API path (`scorePairs`, one
 * call per query, ~3 items each in this data). Pairs/s = pairs ÷ wall time of the median of the repeats.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

import { createOrtGemm } from '@gradeshift/core/node';
import {
  loadBundleScorer,
  loadPreset,
  runPipeline,
  scoreBundlePairs,
  type LabeledPair,
} from '@gradeshift/pipeline';

import { median } from './report';

const REPO_ROOT = resolve(import.meta.dirname, '../..');
const DEFAULT_RUN = resolve(REPO_ROOT, 'runs/default');

/** The default bundle, built by the pipeline when no run has made it yet. */
async function ensureBundle(log: (line: string) => void): Promise<string> {
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
  ms: number;
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

  for (const [batchSize, oodScores, label] of [
    [128, undefined, 'batch 128, all 6 OOD scores'],
    [1024, undefined, 'batch 1024, all 6 OOD scores'],
    [1024, ['mahalanobis', 'energy'], 'batch 1024, in-graph OOD scores only'],
  ] as const) {
    const loaded = await loadBundleScorer(bundleDir, {
      batchSize,
      computeOptions: { gemm },
      ...(oodScores === undefined ? {} : { oodScores: [...oodScores] }),
    });
    try {
      // One warm-up pass fills the text memo the way a long-running service would have it.
      await scoreBundlePairs(loaded.scorer, pairs.slice(0, 2048));
      const ms = await time(repeats, () => scoreBundlePairs(loaded.scorer, pairs));
      rows.push({ path: 'file (scoreBatch)', settings: label, pairs: pairs.length, ms });
    } finally {
      await loaded.dispose();
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

  log('| path | settings | pairs | ms | pairs/s |');
  log('| --- | --- | ---: | ---: | ---: |');
  for (const r of rows)
    log(
      `| ${r.path} | ${r.settings} | ${r.pairs} | ${r.ms.toFixed(0)} | ${Math.round((r.pairs / r.ms) * 1000)} |`,
    );
  return rows;
}

/**
 * Shift-detection benchmark: can each OOD score of a run's bundle tell in-distribution traffic from near
 * (held-out Home Depot departments) and far (another retailer's judged traffic, ../shared/data/crowdflower) OOD
 * traffic? Side by side, in one run and on the same rows, with the two scores a practitioner would try first
 * (`shift_peer.py`, scikit-learn: the share of unseen tokens, and character TF-IDF → 100-d SVD → KNN).
 *
 *   npm run bench -- shift                       # SHIFT_RUN=runs/default (npm start builds it)
 *
 * Every score is fitted on ID train and calibrated on ID validation only (the bundle's thresholds keep 95% of
 * ID validation; the peers' thresholds are set the same way here); nothing is fitted on near or far traffic.
 * AUROC and FPR@95 take the run's ID test as the ID side (OOD positive); "flagged" is the share of each OOD set
 * above the calibrated threshold. The far set is the run's far-OOD test split (Crowdflower queries that are not in its
 * pool; no part of it is used for fitting), or the whole Crowdflower file for a run without a far-OOD set.
 * Goals (the shift issue): far OOD best in-graph AUROC ≥ 0.95, at least 0.02 above each peer, ≥ 80% flagged;
 * near OOD AUROC ≥ 0.75. Tables go to stdout and `runs/bench/shift.{md,json}`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { createOrtGemm } from '@gradeshift/core/node';
import { evaluateOod, thresholdAtTpr } from '@gradeshift/ood';
import { loadBundleScorer, loadPairs, loadRunData } from '@gradeshift/pipeline';

const ROOT = resolve(import.meta.dirname, '../..');
const FAR_FILE = resolve(ROOT, '../shared/data/crowdflower/judged.csv');
const SETS = ['id_validation', 'id_test', 'near', 'far'] as const;
type SetName = (typeof SETS)[number];
interface Pair {
  readonly query: string;
  readonly item: string;
}
const PEERS = ['unseen_share', 'char_tfidf_svd_knn'] as const;
/** What `shift_peer.py` writes: each peer's scores per set, and its fit + score time. */
type PeerOutput = Record<(typeof PEERS)[number], Record<SetName, number[]>> & {
  seconds: Record<string, number>;
};

/** One score's detection figures on one OOD set. */
interface Detection {
  readonly auroc: number;
  readonly fpr95: number;
  readonly flagged: number;
}

/** One row of the table: a score, where it comes from, and its figures on the near and far sets. */
export interface ShiftRow {
  readonly score: string;
  readonly space: string;
  readonly source: string;
  readonly near: Detection;
  readonly far: Detection;
}

function detection(scores: Record<SetName, ArrayLike<number>>, set: 'near' | 'far'): Detection {
  const e = evaluateOod({ idScores: scores.id_test, oodScores: scores[set] });
  const threshold = thresholdAtTpr(scores.id_validation, 0.95);
  const ood = scores[set];
  let flagged = 0;
  for (let i = 0; i < ood.length; i++) if ((ood[i] ?? 0) > threshold) flagged++;
  return { auroc: e.auroc, fpr95: e.fprAtTpr, flagged: flagged / ood.length };
}

function runPeer(sets: Record<SetName | 'id_train', readonly Pair[]>) {
  const dir = mkdtempSync(join(tmpdir(), 'gradeshift-shift-'));
  try {
    const toRows = (pairs: readonly Pair[]) => pairs.map((p) => [p.query, p.item]);
    const spec = Object.fromEntries(Object.entries(sets).map(([k, v]) => [k, toRows(v)]));
    writeFileSync(join(dir, 'spec.json'), JSON.stringify({ sets: spec }));
    const run = spawnSync(
      '/usr/bin/python3',
      [join(import.meta.dirname, 'shift_peer.py'), join(dir, 'spec.json'), join(dir, 'out.json')],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    if (run.status !== 0)
      throw new Error(
        `shift_peer.py failed (exit ${run.status}); it needs Debian's python3-sklearn (apt-get install -y python3-sklearn)`,
      );
    return JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as PeerOutput;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** Runs the benchmark and prints the table. */
export async function runShiftBench(opts: { log: (line: string) => void }): Promise<ShiftRow[]> {
  const { log } = opts;
  const runDir = resolve(ROOT, process.env['SHIFT_RUN'] ?? 'runs/default');
  if (!existsSync(join(runDir, 'bundle', 'manifest.json')))
    throw new Error(
      `${runDir} has no bundle: run \`npm start\` (builds runs/default) or \`npx gradeshift pipeline --preset homedepot --out ${runDir}\` first`,
    );
  if (!existsSync(FAR_FILE))
    throw new Error(`${FAR_FILE} is missing: put ../shared beside the checkout`);
  const { data } = await loadRunData(runDir);
  // A run with a far-OOD set is judged on its far test split (the other half of the file is its pool);
  // an older run on the whole file.
  const far =
    data.farTest ??
    (await loadPairs(FAR_FILE, { columns: { id: 'id', query: 'query', item: 'product_title' } }));
  const sets: Record<SetName | 'id_train', readonly Pair[]> = {
    id_train: data.idTrain.pairs,
    id_validation: data.idValidation.pairs,
    id_test: data.idTest.pairs,
    near: data.oodTest.pairs,
    far: far.pairs,
  };
  log(
    `run ${runDir}: ID test ${sets.id_test.length} pairs, near OOD ${sets.near.length} (held-out departments), far OOD ${sets.far.length} (Crowdflower${data.farTest === undefined ? ', whole file' : ", the run's far test split"})`,
  );
  const gemm = createOrtGemm({ dtype: 'float32' });
  const loaded = await loadBundleScorer(join(runDir, 'bundle'), { computeOptions: { gemm } });
  const rows: ShiftRow[] = [];
  try {
    const manifest = loaded.bundle.manifest;
    const scored = {} as Record<SetName, Awaited<ReturnType<typeof loaded.scorer.scoreBatch>>>;
    for (const set of SETS) scored[set] = await loaded.scorer.scoreBatch(sets[set]);
    for (const [name, entry] of Object.entries(manifest.ood)) {
      const scores = Object.fromEntries(SETS.map((s) => [s, scored[s].ood[name]?.score ?? []]));
      const typed = scores as Record<SetName, Float64Array>;
      rows.push({
        score: name,
        space: entry.space,
        source: entry.source.kind === 'graph' ? 'in-graph' : entry.source.kind,
        near: detection(typed, 'near'),
        far: detection(typed, 'far'),
      });
    }
  } finally {
    await loaded.dispose();
    await gemm.dispose();
  }
  const peer = runPeer(sets);
  for (const name of PEERS) {
    const scores = peer[name];
    rows.push({
      score: name,
      space: 'peer',
      source: 'scikit-learn',
      near: detection(scores, 'near'),
      far: detection(scores, 'far'),
    });
  }
  const lines = [
    '| score | space | source | near AUROC | near FPR@95 | near flagged | far AUROC | far FPR@95 | far flagged |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.score} | ${r.space} | ${r.source} | ${r.near.auroc.toFixed(3)} | ${pct(r.near.fpr95)} | ${pct(r.near.flagged)} | ${r.far.auroc.toFixed(3)} | ${pct(r.far.fpr95)} | ${pct(r.far.flagged)} |`,
    ),
  ];
  const inGraph = rows.filter((r) => r.source === 'in-graph');
  const best = inGraph.reduce((a, b) => (b.far.auroc > a.far.auroc ? b : a));
  const bestNear = rows
    .filter((r) => r.space !== 'peer')
    .reduce((a, b) => (b.near.auroc > a.near.auroc ? b : a));
  const peers = rows.filter((r) => r.space === 'peer');
  const margin = Math.min(...peers.map((p) => best.far.auroc - p.far.auroc));
  lines.push(
    '',
    `Far OOD, best in-graph score: ${best.score}, AUROC ${best.far.auroc.toFixed(3)} (goal ≥ 0.95: ${best.far.auroc >= 0.95 ? 'met' : 'NOT met'}), ${margin >= 0 ? '+' : ''}${margin.toFixed(3)} over the best peer (goal ≥ +0.02: ${margin >= 0.02 ? 'met' : 'NOT met'}), flagged ${pct(best.far.flagged)} (goal ≥ 80%: ${best.far.flagged >= 0.8 ? 'met' : 'NOT met'}).`,
    `Near OOD, best score: ${bestNear.score}, AUROC ${bestNear.near.auroc.toFixed(3)} (goal ≥ 0.75: ${bestNear.near.auroc >= 0.75 ? 'met' : 'NOT met'}).`,
    `Peer times: ${Object.entries(peer.seconds)
      .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
      .join(', ')}.`,
  );
  for (const line of lines) log(line);
  const out = resolve(ROOT, 'runs/bench');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'shift.md'), `${lines.join('\n')}\n`);
  writeFileSync(join(out, 'shift.json'), `${JSON.stringify(rows, null, 2)}\n`);
  return rows;
}

/**
 * Quality benchmark (issue 3): gradeshift's default stage-1 model against the model a practitioner would build
 * with scikit-learn (`quality_peer.py`: HistGradientBoosting on word / character TF-IDF cosines, overlap and
 * lengths), both trained on the same query-disjoint ID train split of the Home Depot file and scored on the same
 * ID test split, in one command.
 *
 *   npm run bench -- quality
 *
 * The splits are the pipeline's defaults (department shift, seed 0); only their ids reach the peer. Every metric
 * of both models is computed here by the same code (`computeSplitMetrics`: macro-F1, accuracy, RMSE of the
 * expected grade against the rating on the grade axis, NDCG@10, 95% query-bootstrap intervals), from the peer's
 * probabilities. Both models are judged under both decision rules: arg-max, and ordinal cut points on the expected
 * grade fitted on each model's own ID validation predictions (`fitDecision`, never on test). The peer's own
 * extra rule (cut points tuned on a hold-out of its training split) is listed too. The goal compares ours
 * (cut points) with the strongest of the peer's figures: macro-F1 at least 3 points above, RMSE below.
 * The table is printed and written to `runs/bench/quality.{md,json}`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { expectedGrades, initParams, predictedGrades } from '@gradeshift/core';
import { createMatrix, createRng } from '@gradeshift/core/math';
import { createOrtGemm } from '@gradeshift/core/node';
import {
  computeSplitMetrics,
  createLoss,
  defaultShift,
  fitDecision,
  inferSplit,
  loadPreset,
  prepareData,
  runTrainStage,
  trainingSetOf,
  type IntervalEstimate,
  type PreparedSplit,
  type SplitMetrics,
  type SplitOutputs,
} from '@gradeshift/pipeline';

/** The macro-F1 margin of the goal over the peer (3 points). */
const GOAL_MARGIN = 0.03;
const SEED = 0;
const RESAMPLES = 1000;

/** One row of the side-by-side table. */
export interface QualityRow {
  readonly model: string;
  readonly rule: string;
  readonly macroF1: IntervalEstimate;
  readonly accuracy: IntervalEstimate;
  readonly rmse: IntervalEstimate;
  readonly ndcg: IntervalEstimate;
  /** Featurisation + training wall time (s). */
  readonly seconds: number;
}

interface PeerOutput {
  train_seconds: number;
  iterations: number;
  thresholds: number[];
  thresholds_validation: number[];
  id_test: { macro_f1_thresholded: number; accuracy_thresholded: number };
}

/** The peer's outputs on a split from its probabilities (n × 3, split order). */
function peerOutputs(probs: readonly (readonly number[])[]): SplitOutputs {
  const n = probs.length;
  const k = probs[0]?.length ?? 3;
  const p = { rows: n, cols: k, data: Float64Array.from(probs.flat()) };
  return {
    probs: p,
    logits: {
      rows: n,
      cols: k,
      data: Float64Array.from(p.data, (v) => Math.log(Math.max(v, 1e-300))),
    },
    features: createMatrix(n, 0),
    expected: expectedGrades(p),
    predicted: predictedGrades(p),
  };
}

/** Both rules' rows of one model: cut points fitted on its ID validation outputs, and arg-max. */
function rowsOf(options: {
  model: string;
  splits: { validation: PreparedSplit; test: PreparedSplit };
  outputs: { validation: SplitOutputs; test: SplitOutputs };
  seconds: number;
}): { rows: QualityRow[]; metrics: SplitMetrics; thresholds: readonly number[] } {
  const { model, splits, outputs, seconds } = options;
  const { decision } = fitDecision(
    { labels: splits.validation.labels, outputs: outputs.validation, grades: 3 },
    'ordinal-thresholds',
  );
  const m = computeSplitMetrics(splits.test, outputs.test, {
    resamples: RESAMPLES,
    seed: SEED,
    grades: 3,
    decision,
  });
  const common = { rmse: m.rmse, ndcg: m['ndcg@10'], seconds };
  const thresholds = decision.kind === 'ordinal-thresholds' ? decision.thresholds : [];
  const argmax = m.argmax ?? m;
  return {
    rows: [
      {
        model,
        rule: `cut points [${thresholds.map((t) => t.toFixed(3)).join(', ')}] (ID validation)`,
        macroF1: m.macro_f1,
        accuracy: m.accuracy,
        ...common,
      },
      { model, rule: 'arg-max', macroF1: argmax.macro_f1, accuracy: argmax.accuracy, ...common },
    ],
    metrics: m,
    thresholds,
  };
}

const fmt = (e: IntervalEstimate, digits = 4): string =>
  Number.isNaN(e.lo)
    ? e.value.toFixed(digits)
    : `${e.value.toFixed(digits)} [${e.lo.toFixed(digits)}, ${e.hi.toFixed(digits)}]`;

/** Runs the quality benchmark. */
export async function runQualityBench(options: {
  repeats: number;
  log: (line: string) => void;
}): Promise<QualityRow[]> {
  const { log } = options;
  const repoRoot = resolve(import.meta.dirname, '../..');
  const dir = mkdtempSync(join(tmpdir(), 'gradeshift-quality-bench-'));
  const gemm = createOrtGemm({ dtype: 'float64', backendOptions: { intraOpNumThreads: 1 } });
  try {
    log('preparing the Home Depot splits (department shift, seed 0) and featurising…');
    let t = performance.now();
    const dataset = await loadPreset('homedepot', { repoRoot });
    const data = await prepareData({
      dataset,
      splits: { shift: defaultShift({ preset: 'homedepot' }), seed: SEED },
      cacheDir: join(repoRoot, 'runs', '.cache', 'embeddings'),
    });
    const prepareSeconds = (performance.now() - t) / 1000;

    log(
      `training gradeshift stage 1 (${data.idTrain.labels.length} pairs, pipeline defaults, seed ${SEED})…`,
    );
    t = performance.now();
    const s1 = await runTrainStage({
      stage: 'stage1',
      params: initParams(data.config, data.embeddings, createRng(SEED)),
      train: trainingSetOf(data.idTrain),
      validation: trainingSetOf(data.idValidation),
      loss: createLoss('graded'),
      seed: SEED,
      gemm,
    });
    const trainSeconds = (performance.now() - t) / 1000;
    const ours = rowsOf({
      model: 'gradeshift stage 1',
      splits: { validation: data.idValidation, test: data.idTest },
      outputs: {
        validation: await inferSplit(s1.params, data.idValidation.frozen, { gemm }),
        test: await inferSplit(s1.params, data.idTest.frozen, { gemm }),
      },
      seconds: prepareSeconds + trainSeconds,
    });

    log('running the scikit-learn peer on the same splits…');
    const ids = (s: PreparedSplit<{ id: string }>) => s.pairs.map((p) => p.id);
    const splitsPath = join(dir, 'splits.json');
    const probsPath = join(dir, 'probs.json');
    writeFileSync(
      splitsPath,
      JSON.stringify({
        data: dataset.source.path,
        edges: [1.75, 2.33],
        splits: {
          id_train: ids(data.idTrain),
          id_validation: ids(data.idValidation),
          id_test: ids(data.idTest),
        },
      }),
    );
    t = performance.now();
    const run = spawnSync(
      '/usr/bin/python3',
      [join(import.meta.dirname, 'quality_peer.py'), splitsPath, probsPath],
      { encoding: 'utf8', maxBuffer: 1 << 26 },
    );
    const peerWall = (performance.now() - t) / 1000;
    if (run.status !== 0)
      throw new Error(
        `the scikit-learn peer failed (apt-get install -y python3-sklearn):\n${run.stderr}`,
      );
    const py = JSON.parse(run.stdout) as PeerOutput;
    const probs = JSON.parse(readFileSync(probsPath, 'utf8')) as Record<string, number[][]>;
    const peer = rowsOf({
      model: 'scikit-learn HistGradientBoosting',
      splits: { validation: data.idValidation, test: data.idTest },
      outputs: {
        validation: peerOutputs(probs['id_validation'] ?? []),
        test: peerOutputs(probs['id_test'] ?? []),
      },
      seconds: py.train_seconds,
    });
    const none = { value: Number.NaN, lo: Number.NaN, hi: Number.NaN };
    const peerOwnRule: QualityRow = {
      model: 'scikit-learn HistGradientBoosting',
      rule: `cut points [${py.thresholds.map((v) => v.toFixed(3)).join(', ')}] (its own train hold-out)`,
      macroF1: { ...none, value: py.id_test.macro_f1_thresholded },
      accuracy: { ...none, value: py.id_test.accuracy_thresholded },
      rmse: peer.metrics.rmse,
      ndcg: peer.metrics['ndcg@10'],
      seconds: py.train_seconds,
    };
    const rows = [...ours.rows, ...peer.rows, peerOwnRule];

    const bestPeerF1 = Math.max(...[...peer.rows, peerOwnRule].map((r) => r.macroF1.value));
    const oursF1 = ours.metrics.macro_f1.value;
    const f1Met = oursF1 >= bestPeerF1 + GOAL_MARGIN;
    const rmseMet = ours.metrics.rmse.value < peer.metrics.rmse.value;
    const lines = [
      `ID test: ${data.idTest.labels.length} pairs, ${ours.metrics.queries} queries; ID train ${data.idTrain.labels.length}, ID validation ${data.idValidation.labels.length}. Intervals: 95% query bootstrap, ${RESAMPLES} resamples.`,
      '',
      '| model | decision rule | macro-F1 [95% CI] | accuracy [95% CI] | RMSE [95% CI] | NDCG@10 [95% CI] | fit s |',
      '| --- | --- | --- | --- | --- | --- | ---: |',
      ...rows.map(
        (r) =>
          `| ${r.model} | ${r.rule} | ${fmt(r.macroF1)} | ${fmt(r.accuracy)} | ${fmt(r.rmse)} | ${fmt(r.ndcg)} | ${r.seconds.toFixed(1)} |`,
      ),
      '',
      `Times: gradeshift ${prepareSeconds.toFixed(1)} s to load, split and featurise (word vectors from the cache) + ${trainSeconds.toFixed(1)} s stage-1 training (best epoch ${s1.bestEpoch} of ${s1.history.length}); peer ${py.train_seconds.toFixed(1)} s features + fit (${py.iterations} boosting iterations), ${peerWall.toFixed(1)} s wall including its hold-out rule and scoring.`,
      `Goal (ours with cut points vs the strongest peer figure, ${bestPeerF1.toFixed(4)}): macro-F1 ${oursF1.toFixed(4)} ≥ ${(bestPeerF1 + GOAL_MARGIN).toFixed(4)}: ${f1Met ? 'met' : 'NOT met'} (${((oursF1 - bestPeerF1) * 100).toFixed(1)} points); RMSE ${ours.metrics.rmse.value.toFixed(4)} < ${peer.metrics.rmse.value.toFixed(4)}: ${rmseMet ? 'met' : 'NOT met'}.`,
    ];
    for (const line of lines) log(line);
    const outDir = join(repoRoot, 'runs', 'bench');
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'quality.md'), `${lines.join('\n')}\n`);
    writeFileSync(
      join(outDir, 'quality.json'),
      `${JSON.stringify(
        {
          rows,
          goal: { bestPeerMacroF1: bestPeerF1, margin: GOAL_MARGIN, macroF1: f1Met, rmse: rmseMet },
          ours: {
            thresholds: ours.thresholds,
            bestEpoch: s1.bestEpoch,
            prepareSeconds,
            trainSeconds,
          },
          peer: {
            thresholdsValidation: peer.thresholds,
            thresholdsOwn: py.thresholds,
            pythonThresholdsValidation: py.thresholds_validation,
            seconds: py.train_seconds,
            wallSeconds: peerWall,
          },
        },
        null,
        1,
      )}\n`,
    );
    return rows;
  } finally {
    await gemm.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

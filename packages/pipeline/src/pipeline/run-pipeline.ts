/**
 * @file The whole DaRL-style loop, made measurable:
 * 1. stage 1 trains the scorer on in-distribution data;
 * 2. a selection strategy picks a budget of unlabeled pool pairs (distribution-aware, random, uncertainty; several
 *    seeds), their labels are revealed, and stage 2 fine-tunes on ID ∪ selected;
 * 3. stage 3 interpolates stage-1 and stage-2 weights, α chosen on validation (ID validation + held-out picks);
 * plus the cross-entropy ablation of stage 1, a full evaluation with intervals, report.json, predictions.jsonl and
 * a run-store record. The OOD test split is never used for any choice.
 */
import { mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

import { initParams, interpolateParams, type ScorerParams } from '@gradeshift/core';
import { createRng, type Gemm } from '@gradeshift/core/math';
import { createOrtGemm } from '@gradeshift/core/node';

import type { Dataset } from '../data/dataset';
import { loadDataset } from '../data/load-dataset';
import { getDatasetPreset, loadPreset } from '../data/presets';
import { writeFileAtomic } from '../io/atomic-write';
import { HOMEDEPOT_TAXONOMY } from '../splits/homedepot-taxonomy';
import type { ShiftStrategy } from '../splits/types';
import { openRunStore, type MetricRecord } from '../store/run-store';
import { inferSplit } from '../stages/infer';
import { createLoss } from '../stages/losses';
import { featurizeSplit, prepareData, type PreparedData } from '../stages/prepare';
import { memoizeScores, runSelection, type SelectionOutcome } from '../stages/select-stage';
import { runTrainStage, trainingSetOf } from '../stages/train-stage';
import { evaluateModel, fitDetectors, quickMetrics, scoreAll } from './evaluate-model';
import { exportRunBundle } from './export-run-bundle';
import { comparisonOf } from './selection-comparison';
import { writePredictions } from './write-predictions';
import type { PipelineOptions, PipelineResult, StrategyName } from './types';

const ALPHAS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
/** Each held-in pick is repeated this many times in stage 2, so ~200 picks are not drowned by ~40k ID pairs. */
const STAGE2_OVERSAMPLE = 10;

/** The default shift of a preset (Home Depot: three departments held out). */
export function defaultShift(data: PipelineOptions['data']): ShiftStrategy {
  if ('preset' in data && data.preset === 'homedepot') {
    return {
      kind: 'department',
      taxonomy: HOMEDEPOT_TAXONOMY,
      heldOut: ['outdoor-garden', 'appliances', 'paint'],
    };
  }
  return { kind: 'query-cluster', k: 8, heldOutClusters: [0, 1] };
}

async function loadData(options: PipelineOptions): Promise<Dataset> {
  const onProgress = (rows: number) =>
    options.progress?.({
      stage: 'load',
      message: 'reading rows',
      done: rows,
      ...(total === undefined ? {} : { total }),
    });
  const total = 'preset' in options.data ? getDatasetPreset(options.data.preset).rows : undefined;
  if ('preset' in options.data) {
    return loadPreset(options.data.preset, {
      repoRoot: options.repoRoot,
      onProgress,
      ...(options.data.path === undefined ? {} : { path: options.data.path }),
    });
  }
  const { path, columns, grades, format } = options.data;
  return loadDataset(resolve(path), {
    columns,
    grades,
    onProgress,
    ...(format === undefined ? {} : { format }),
  });
}

interface StageMetrics {
  id_validation_macro_f1: number;
  id_test_macro_f1: number;
  ood_test_macro_f1: number;
}

async function stageMetrics(
  params: ScorerParams,
  data: PreparedData,
  gemm: Gemm,
): Promise<StageMetrics> {
  return {
    id_validation_macro_f1: (await quickMetrics(params, data.idValidation, gemm)).macro_f1,
    id_test_macro_f1: (await quickMetrics(params, data.idTest, gemm)).macro_f1,
    ood_test_macro_f1: (await quickMetrics(params, data.oodTest, gemm)).macro_f1,
  };
}

/** One strategy × seed through stages 2 and 3. */
export interface StrategyRun {
  readonly selection: SelectionOutcome;
  readonly stage2: ScorerParams;
  readonly stage3: ScorerParams;
  readonly alpha: number;
  readonly alphaSweep: {
    alpha: number;
    id_validation_macro_f1: number;
    ood_validation_macro_f1: number;
  }[];
  readonly metrics: { stage2: StageMetrics; stage3: StageMetrics };
  /** Stage-2 accuracy per OOD test query (query order of `perQueryAccuracy`), for the paired comparison. */
  readonly oodPerQuery: Float64Array;
}

/** Accuracy of each query's pairs, queries in first-appearance order. */
function perQueryAccuracy(
  queries: readonly string[],
  labels: Int32Array,
  predicted: Int32Array,
): Float64Array {
  const index = new Map<string, number>();
  const hits: number[] = [];
  const counts: number[] = [];
  queries.forEach((q, i) => {
    let g = index.get(q);
    if (g === undefined) {
      g = hits.length;
      index.set(q, g);
      hits.push(0);
      counts.push(0);
    }
    hits[g] = (hits[g] ?? 0) + (labels[i] === predicted[i] ? 1 : 0);
    counts[g] = (counts[g] ?? 0) + 1;
  });
  return Float64Array.from(hits, (h, g) => h / (counts[g] ?? 1));
}

async function runStrategy(
  ctx: {
    data: PreparedData;
    stage1: ScorerParams;
    gemm: Gemm;
    options: PipelineOptions;
    inputs: Parameters<typeof runSelection>[0];
  },
  strategy: StrategyName,
  seed: number,
): Promise<StrategyRun> {
  const { data, stage1, gemm, options } = ctx;
  const budget = Math.max(1, Math.round((options.budgetFraction ?? 0.02) * data.pool.pairs.length));
  const selection = await runSelection(ctx.inputs, { strategy, budget, seed });
  const heldIn = selection.picked.filter((p) => p.role === 'train').map((p) => p.pair);
  const heldOut = selection.picked.filter((p) => p.role === 'validation').map((p) => p.pair);
  const context = {
    featurizer: data.featurizer,
    model: { config: data.config, embeddings: data.embeddings },
    dataset: data.dataset,
  };
  const repeated = Array.from({ length: STAGE2_OVERSAMPLE }, () => heldIn).flat();
  const stage2Train = featurizeSplit('stage2_train', [...data.idTrain.pairs, ...repeated], context);
  const oodValidation = featurizeSplit('ood_validation', heldOut, context);
  const s2 = await runTrainStage({
    stage: `stage2 ${strategy} seed ${seed}`,
    params: stage1,
    train: trainingSetOf(stage2Train),
    validation: trainingSetOf(data.idValidation),
    loss: createLoss(options.loss ?? 'graded'),
    seed,
    gemm,
    epochs: 3,
    learningRate: 1e-3,
    patience: 3,
    ...options.stage2,
    ...(options.progress === undefined ? {} : { progress: options.progress }),
  });
  const alphaSweep = [];
  let best = { alpha: 1, score: -Infinity };
  for (const alpha of ALPHAS) {
    const p = interpolateParams(stage1, s2.params, alpha);
    const idF1 = (await quickMetrics(p, data.idValidation, gemm)).macro_f1;
    const oodF1 = heldOut.length > 0 ? (await quickMetrics(p, oodValidation, gemm)).macro_f1 : idF1;
    alphaSweep.push({ alpha, id_validation_macro_f1: idF1, ood_validation_macro_f1: oodF1 });
    const score = (idF1 + oodF1) / 2;
    if (score > best.score) best = { alpha, score };
  }
  const stage3 = interpolateParams(stage1, s2.params, best.alpha);
  const oodOut = await quickMetrics(s2.params, data.oodTest, gemm);
  return {
    oodPerQuery: perQueryAccuracy(
      data.oodTest.queries,
      data.oodTest.labels,
      oodOut.outputs.predicted,
    ),
    selection,
    stage2: s2.params,
    stage3,
    alpha: best.alpha,
    alphaSweep,
    metrics: {
      stage2: await stageMetrics(s2.params, data, gemm),
      stage3: await stageMetrics(stage3, data, gemm),
    },
  };
}

/**
 * Runs the whole loop and writes `report.json`, `predictions.jsonl` and the run-store record.
 * @throws DataError for bad input data; Error naming the path for an unusable output folder
 */
export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const t0 = Date.now();
  const outDir = resolve(options.outDir);
  const storePath = options.storePath ?? join(dirname(outDir), 'runs.sqlite');
  const cacheDir = options.cacheDir ?? join(dirname(outDir), '.cache');
  const seed = options.seed ?? 0;
  const progress = options.progress;
  mkdirSync(outDir, { recursive: true });
  const store = openRunStore(storePath);
  const shift = options.shift ?? defaultShift(options.data);
  const config = {
    ...options,
    progress: undefined,
    shift:
      shift.kind === 'department'
        ? { ...shift, taxonomy: shift.taxonomy?.name ?? 'default' }
        : shift,
  };
  const run = store.createRun({
    name: options.name ?? basename(outDir),
    kind: 'pipeline',
    outDir,
    config,
  });
  const gemm = createOrtGemm({ dtype: 'float64', backendOptions: { intraOpNumThreads: 1 } });
  try {
    store.startStage(run.id, 'prepare');
    const dataset = await loadData(options);
    const data = await prepareData({
      dataset,
      splits: { shift, seed },
      cacheDir: join(cacheDir, 'embeddings'),
      ...(progress === undefined ? {} : { progress }),
    });
    store.finishStage(run.id, 'prepare', {
      report: data.splits.report,
      embeddings: data.embeddingStats,
      vocabulary: data.vocabulary.size,
    });

    // Stage 1: ID only.
    store.startStage(run.id, 'stage1');
    const init = initParams(data.config, data.embeddings, createRng(seed));
    const s1 = await runTrainStage({
      stage: 'stage1',
      params: init,
      train: trainingSetOf(data.idTrain),
      validation: trainingSetOf(data.idValidation),
      loss: createLoss(options.loss ?? 'graded'),
      seed,
      gemm,
      ...options.stage1,
      ...(progress === undefined ? {} : { progress }),
    });
    const stage1Metrics = await stageMetrics(s1.params, data, gemm);
    store.finishStage(run.id, 'stage1', {
      bestEpoch: s1.bestEpoch,
      seconds: s1.seconds,
      ...stage1Metrics,
    });

    // Selection comparison: every strategy × seed through stages 2–3, from the same stage-1 model and detectors.
    store.startStage(run.id, 'select');
    progress?.({ stage: 'select', message: 'fitting detectors on stage-1 features' });
    const trainOut = await inferSplit(s1.params, data.idTrain.frozen, { gemm });
    const valOut = await inferSplit(s1.params, data.idValidation.frozen, { gemm });
    const poolOut = await inferSplit(s1.params, data.pool.frozen, { gemm });
    const s1Detectors = await fitDetectors(
      { features: trainOut.features, logits: trainOut.logits, labels: data.idTrain.labels },
      gemm,
    );
    const inputs = {
      pool: data.splits.pool,
      poolFeatures: poolOut.features,
      poolProbs: poolOut.probs,
      detectors: [memoizeScores(s1Detectors.mahalanobis), memoizeScores(s1Detectors.knn)],
      idHeldOut: valOut.features,
      computeOptions: { gemm },
    };
    const strategies =
      options.strategies ?? (['distribution-aware', 'random', 'uncertainty'] as const);
    const seeds = options.selectionSeeds ?? [0, 1, 2];
    const runs: Record<string, StrategyRun[]> = {};
    const total = strategies.length * seeds.length;
    for (const strategy of strategies) {
      for (const s of seeds) {
        progress?.({
          stage: 'select',
          message: `${strategy}, seed ${s}`,
          done: Object.values(runs).flat().length,
          total,
        });
        (runs[strategy] ??= []).push(
          await runStrategy({ data, stage1: s1.params, gemm, options, inputs }, strategy, s),
        );
      }
    }
    store.finishStage(run.id, 'select', { strategies, seeds });

    // The main model: distribution-aware, first seed, after stage 3 (stage 1 when that strategy was not run).
    const main = runs['distribution-aware']?.[0];
    const mainParams = main?.stage3 ?? s1.params;

    store.startStage(run.id, 'evaluate');
    progress?.({
      stage: 'evaluate',
      message: 'metrics with bootstrap intervals, detectors, slices',
    });
    const evaluation = await evaluateModel(mainParams, data, {
      gemm,
      resamples: options.resamples ?? 1000,
      seed,
    });
    let ablation: unknown = null;
    if (options.ablation ?? true) {
      const ce = await runTrainStage({
        stage: 'ablation (cross-entropy)',
        params: init,
        train: trainingSetOf(data.idTrain),
        validation: trainingSetOf(data.idValidation),
        loss: createLoss('ce'),
        seed,
        gemm,
        ...options.stage1,
        ...(progress === undefined ? {} : { progress }),
      });
      const ceEval = await evaluateModel(ce.params, data, {
        gemm,
        resamples: Math.min(200, options.resamples ?? 1000),
        seed,
      });
      const g = await evaluateModel(s1.params, data, {
        gemm,
        resamples: Math.min(200, options.resamples ?? 1000),
        seed,
      });
      const summary = (e: typeof ceEval) => ({
        id_test: e.splits.id_test,
        ood_test: e.splits.ood_test,
        ood_detection: e.oodDetection,
      });
      ablation = {
        note: 'stage 1 only, same data, sizes, seed and schedule; only the loss differs',
        graded: summary(g),
        cross_entropy: summary(ceEval),
      };
    }
    store.finishStage(run.id, 'evaluate', {});

    store.startStage(run.id, 'export');
    progress?.({ stage: 'export', message: 'ONNX bundle: graph, detector states, calibration' });
    const bundleDir = join(outDir, 'bundle');
    const bundle = await exportRunBundle({
      dir: bundleDir,
      params: mainParams,
      data,
      evaluation,
      outputs: {
        idTrain: await inferSplit(mainParams, data.idTrain.frozen, { gemm }),
        idValidation: await inferSplit(mainParams, data.idValidation.frozen, { gemm }),
      },
      seed,
      gemm,
    });
    store.finishStage(run.id, 'export', {
      bundle: bundleDir,
      sha256: bundle.manifest.model.sha256,
      bytes: bundle.manifest.model.bytes,
    });

    const predictionsPath = join(outDir, 'predictions.jsonl');
    const poolMain = await inferSplit(mainParams, data.pool.frozen, { gemm });
    const poolScores = await scoreAll(evaluation.detectors, poolMain, gemm);
    writePredictions(predictionsPath, {
      data,
      evaluation,
      pool: { outputs: poolMain, scores: poolScores },
      selection: main?.selection,
    });

    const report = {
      format: 'gradeshift-report' as const,
      version: 1 as const,
      run: {
        id: run.id,
        name: options.name ?? basename(outDir),
        created_at: run.createdAt,
        seconds: (Date.now() - t0) / 1000,
      },
      data: {
        source: dataset.source,
        rows: dataset.pairs.length,
        issues: dataset.issues.length,
        shift: config.shift,
        seed,
        split_report: data.splits.report,
      },
      model: {
        config: data.config,
        vocabulary: data.vocabulary.size,
        embeddings: data.embeddingStats,
        loss: options.loss ?? 'graded',
        bundle: {
          path: bundleDir,
          sha256: bundle.manifest.model.sha256,
          bytes: bundle.manifest.model.bytes,
          ood_scores: Object.keys(bundle.manifest.ood),
        },
      },
      splits: evaluation.splits,
      gap: evaluation.gap,
      ood_detection: evaluation.oodDetection,
      ood_thresholds: evaluation.thresholds,
      stages: {
        stage1: stage1Metrics,
        stage2: main?.metrics.stage2 ?? null,
        stage3: main?.metrics.stage3 ?? null,
        alpha: main?.alpha ?? null,
        alpha_sweep: main?.alphaSweep ?? null,
      },
      selection: Object.fromEntries(
        Object.entries(runs).map(([name, list]) => [
          name,
          list.map((r) => ({
            seed: r.selection.seed,
            budget: r.selection.budget,
            picked: r.selection.picked.length,
            alpha: r.alpha,
            stage2: r.metrics.stage2,
            stage3: r.metrics.stage3,
          })),
        ]),
      ),
      selection_comparison: comparisonOf(runs, stage1Metrics),
      ablation,
      slices: evaluation.slices,
      budget: {
        fraction: options.budgetFraction ?? 0.02,
        pool: data.pool.pairs.length,
        revealed_per_run: main?.selection.budget ?? null,
      },
    };
    const reportPath = join(outDir, 'report.json');
    writeFileAtomic(reportPath, `${JSON.stringify(report, null, 1)}\n`);

    const metrics: MetricRecord[] = [];
    for (const split of ['id_test', 'ood_test'] as const) {
      for (const [name, m] of Object.entries(evaluation.splits[split])) {
        if (typeof m === 'object' && m !== null && 'value' in m)
          metrics.push({ stage: 'final', split, name, value: m.value, lo: m.lo, hi: m.hi });
      }
    }
    for (const [name, e] of Object.entries(evaluation.oodDetection))
      metrics.push({
        stage: 'final',
        split: 'ood_detection',
        name: `${name}.auroc`,
        value: e.auroc,
      });
    store.putMetrics(run.id, metrics);
    store.putArtifacts(run.id, [
      { kind: 'report', path: reportPath },
      { kind: 'predictions', path: predictionsPath },
      { kind: 'bundle', path: bundleDir },
    ]);
    store.finishRun(run.id, { status: 'succeeded' });
    return {
      runId: run.id,
      outDir,
      reportPath,
      predictionsPath,
      bundleDir,
      storePath,
      seconds: (Date.now() - t0) / 1000,
      report,
    };
  } catch (error) {
    store.finishRun(run.id, {
      status: 'failed',
      error: error instanceof Error ? error.message : String(error),
    });
    throw error;
  } finally {
    await gemm.dispose();
    store.close();
  }
}

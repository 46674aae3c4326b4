/**
 * @file The whole DaRL-style loop, made measurable:
 * 1. stage 1 trains the scorer on in-distribution data;
 * 2. a selection strategy picks a budget of unlabeled pool pairs (distribution-aware, random, uncertainty; several
 *    seeds), their labels are revealed, and stage 2 fine-tunes on ID ∪ selected;
 * 3. stage 3 interpolates stage-1 and stage-2 weights, α chosen on validation (ID validation + held-out picks);
 * plus the cross-entropy ablation of stage 1, a full evaluation with intervals, report.json, predictions.jsonl and
 * a run-store record. The OOD test split is never used for any choice.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

import { initParams, type ScorerParams } from '@gradeshift/core';
import { createRng, type Gemm } from '@gradeshift/core/math';

import { writeRunReport, type ReportInput } from '../contract/read-report';
import { REPORT_FORMATS, REPORT_VERSION, type PipelineReport } from '../contract/report-schema';
import { writeStageParams } from '../run-folder/params-io';
import { absoluteDataSource, clearRunOutputs, newRunJson } from '../run-folder/prepare-run-folder';
import { RUN_FILES, writeRunJson, type RunJson } from '../run-folder/run-json';
import { evaluationMetricRecords } from '../run-folder/record-step';
import { writeSelectionFile } from '../run-folder/selection-file';
import { sha256Hex } from '../bundle/sha256-hex';
import { openRunStore } from '../store/run-store';
import { inferSplit } from '../stages/infer';
import { createLoss } from '../stages/losses';
import type { PreparedData } from '../stages/prepare';
import { runSelection, type SelectionInputs, type SelectionOutcome } from '../stages/select-stage';
import { runTrainStage, trainingSetOf } from '../stages/train-stage';
import { defaultShift } from './default-shift';
import {
  DETECTOR_SPACES,
  evaluateModel,
  quickMetrics,
  scoreEverySpace,
  validationDecision,
} from './evaluate-model';
import { exportModelBundle } from './export-model-bundle';
import {
  fineTuneOnSelection,
  STAGE2_DEFAULTS,
  stageMetrics,
  type AlphaPoint,
  type StageMetrics,
} from './fine-tune-on-selection';
import { createPipelineGemm, prepareSource } from './prepare-source';
import { selectionBudget, selectionInputsOf } from './selection-inputs';
import { comparisonOf } from './selection-comparison';
import { writePredictions } from './write-predictions';
import type { PipelineOptions, PipelineResult, StrategyName } from './types';

export { defaultShift };

/** One strategy × seed through stages 2 and 3. */
export interface StrategyRun {
  readonly selection: SelectionOutcome;
  readonly stage2: ScorerParams;
  readonly stage3: ScorerParams;
  readonly alpha: number;
  readonly alphaSweep: AlphaPoint[];
  /** Stage-2 training: best epoch and seconds. */
  readonly stage2Training: { readonly bestEpoch: number; readonly seconds: number };
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
    inputs: SelectionInputs;
  },
  strategy: StrategyName,
  seed: number,
): Promise<StrategyRun> {
  const { data, stage1, gemm, options } = ctx;
  const budget = selectionBudget(options.budgetFraction ?? 0.02, data.pool.pairs.length);
  const selection = await runSelection(ctx.inputs, { strategy, budget, seed });
  const tuned = await fineTuneOnSelection({
    data,
    stage1,
    picked: selection.picked,
    loss: options.loss ?? 'graded',
    seed,
    gemm,
    stage: `stage2 ${strategy} seed ${seed}`,
    ...(options.stage2 === undefined ? {} : { hyperparameters: options.stage2 }),
    ...(options.progress === undefined ? {} : { progress: options.progress }),
  });
  const s2 = tuned.stage2;
  const { decision } = await validationDecision(s2.params, data.idValidation, gemm);
  const oodOut = await quickMetrics(s2.params, data.oodTest, { gemm, decision });
  return {
    oodPerQuery: perQueryAccuracy(data.oodTest.queries, data.oodTest.labels, oodOut.predicted),
    selection,
    stage2: s2.params,
    stage3: tuned.stage3,
    alpha: tuned.alpha,
    alphaSweep: tuned.alphaSweep,
    stage2Training: { bestEpoch: s2.bestEpoch, seconds: s2.seconds },
    metrics: {
      stage2: await stageMetrics(s2.params, data, gemm),
      stage3: await stageMetrics(tuned.stage3, data, gemm),
    },
  };
}

/** Records the main model's selection and stages 2–3 in the run folder (selection.jsonl, weights, run.json). */
function writeMainStages(
  outDir: string,
  runJson: RunJson,
  context: {
    main: StrategyRun;
    loss: NonNullable<PipelineOptions['loss']>;
    options: PipelineOptions;
  },
): RunJson {
  const { stage1 } = runJson.stages;
  if (stage1 === undefined) throw new Error('stage 1 is recorded before the selection');
  const { main, loss, options } = context;
  const { selection } = main;
  const selectionPath = join(outDir, RUN_FILES.selection);
  writeSelectionFile(selectionPath, selection.picked);
  const selectionSha = sha256Hex(readFileSync(selectionPath));
  const finishedAt = new Date().toISOString();
  return writeRunJson(outDir, {
    ...runJson,
    selection: {
      file: RUN_FILES.selection,
      sha256: selectionSha,
      strategy: selection.strategy,
      seed: selection.seed,
      budget_fraction: options.budgetFraction ?? 0.02,
      budget: selection.budget,
      picked: selection.picked.length,
      held_out: selection.picked.filter((p) => p.role === 'validation').length,
      stage1_sha256: stage1.params.sha256,
      finished_at: finishedAt,
    },
    stages: {
      stage1,
      stage2: {
        params: writeStageParams(outDir, 'stage2', {
          params: main.stage2,
          metadata: { loss, seed: selection.seed },
        }),
        loss,
        hyperparameters: { ...STAGE2_DEFAULTS, ...options.stage2 },
        seed: selection.seed,
        best_epoch: main.stage2Training.bestEpoch,
        seconds: main.stage2Training.seconds,
        metrics: main.metrics.stage2,
        finished_at: finishedAt,
        selection_sha256: selectionSha,
      },
      stage3: {
        params: writeStageParams(outDir, 'stage3', {
          params: main.stage3,
          metadata: { alpha: main.alpha },
        }),
        alpha: main.alpha,
        alpha_sweep: main.alphaSweep,
        metrics: main.metrics.stage3,
        finished_at: finishedAt,
      },
    },
  });
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
  const gemm = createPipelineGemm();
  try {
    store.startStage(run.id, 'prepare');
    const source = absoluteDataSource(options.data, options.repoRoot);
    const data = await prepareSource(source, {
      repoRoot: options.repoRoot,
      shift,
      seed,
      cacheDir,
      ...(progress === undefined ? {} : { progress }),
    });
    const { dataset } = data;
    // run.json and the stage weights, so single steps (`gradeshift export --run <outDir>`) work on this run.
    clearRunOutputs(outDir);
    let runJson: RunJson = writeRunJson(
      outDir,
      newRunJson({
        source,
        shift,
        seed,
        cacheDir,
        data,
        store: { path: resolve(storePath), run_id: run.id },
      }),
    );
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
    const loss = options.loss ?? 'graded';
    const stage1Record = {
      params: writeStageParams(outDir, 'stage1', { params: s1.params, metadata: { loss, seed } }),
      loss,
      hyperparameters: options.stage1 ?? {},
      seed,
      best_epoch: s1.bestEpoch,
      seconds: s1.seconds,
      metrics: stage1Metrics,
      finished_at: new Date().toISOString(),
    };
    runJson = writeRunJson(outDir, { ...runJson, stages: { stage1: stage1Record } });
    store.finishStage(run.id, 'stage1', {
      bestEpoch: s1.bestEpoch,
      seconds: s1.seconds,
      ...stage1Metrics,
    });

    // Selection comparison: every strategy × seed through stages 2–3, from the same stage-1 model and detectors.
    store.startStage(run.id, 'select');
    progress?.({ stage: 'select', message: 'fitting detectors on stage-1 features' });
    const inputs = await selectionInputsOf(data, s1.params, gemm);
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
    if (main !== undefined) runJson = writeMainStages(outDir, runJson, { main, loss, options });

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
    let ablation: ReportInput<PipelineReport>['ablation'] = null;
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
    const bundleDir = join(outDir, RUN_FILES.bundle);
    const bundle = await exportModelBundle({
      dir: bundleDir,
      params: mainParams,
      data,
      evaluation,
      seed,
      gemm,
    });
    writeRunJson(outDir, {
      ...runJson,
      bundle: {
        path: bundleDir,
        sha256: bundle.manifest.model.sha256,
        exported_at: new Date().toISOString(),
      },
    });
    store.finishStage(run.id, 'export', {
      bundle: bundleDir,
      sha256: bundle.manifest.model.sha256,
      bytes: bundle.manifest.model.bytes,
    });

    const predictionsPath = join(outDir, 'predictions.jsonl');
    const poolMain = await inferSplit(mainParams, data.pool.frozen, { gemm });
    const poolScores = await scoreEverySpace(
      { relevance: evaluation.detectors, content: evaluation.contentDetectors },
      { outputs: poolMain, prepared: data.pool },
      { kernels: { gemm }, reference: evaluation.scores.id_validation },
    );
    writePredictions(predictionsPath, {
      data,
      evaluation,
      pool: { outputs: poolMain, scores: poolScores },
      selection: main?.selection,
    });

    const reportPath = join(outDir, 'report.json');
    const report = writeRunReport<PipelineReport>(reportPath, {
      format: REPORT_FORMATS.pipeline,
      version: REPORT_VERSION,
      kind: 'pipeline',
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
      ood_spaces: DETECTOR_SPACES,
      decision: { rule: evaluation.decision, fit: evaluation.decisionFit },
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
    });

    store.putMetrics(run.id, evaluationMetricRecords(evaluation));
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

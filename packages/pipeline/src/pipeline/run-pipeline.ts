/**
 * @file The whole DaRL-style loop, made measurable, as a composition of the steps the CLI's step commands run on
 * a run folder (`prepare`, `train`, `select`, `train --stage 2`, `export`), each writing its section of run.json:
 * 1. prepare: splits, vocabulary, word vectors;
 * 2. stage 1 trains the scorer on in-distribution data;
 * 3. every selection strategy × seed goes through stages 2–3 from the same stage-1 model (the comparison);
 * 4. the main model's selection (distribution-aware, first seed), stage 2 fine-tunes on ID ∪ selected and stage 3
 *    interpolates stage-1 and stage-2 weights, α chosen on validation (ID validation + held-out picks);
 * 5. debias: negatives, LREF's DPO stage and temperature scaling on the main model (`pipeline/debias.ts`), with
 *    the none / negatives / DPO / both ablation;
 * 6. export evaluates the latest stage with intervals and writes the bundle;
 * plus the cross-entropy ablation of stage 1, predictions.jsonl, report.json and the run-store record. The OOD
 * test split is never used for any choice.
 */
import { mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

import { writeRunReport } from '../contract/read-report';
import type { PipelineReport } from '../contract/report-schema';
import type { OpenRun } from '../run-folder/open-run';
import { evaluationMetricRecords } from '../run-folder/record-step';
import { storeShift } from '../run-folder/run-json';
import { inferSplit } from '../stages/infer';
import type { SelectionOutcome } from '../stages/select-stage';
import { openRunRecorder } from '../store/open-run-store-backend';
import type { RunRecorder } from '../store/run-store-backend';
import { defaultRunStorePath, storeReference } from '../store/run-store-path';
import { defaultShift } from './default-shift';
import type { ModelEvaluation } from './evaluate-model';
import { scoreEverySpace } from './model-detectors';
import { nearestTrainingPairs } from './nearest-training';
import {
  mainModelSteps,
  prepareAndStage1,
  selectionSteps,
  settingsOf,
  type ExportedRun,
  type PipelineRun,
} from './pipeline-steps';
import { pipelineReportOf } from './pipeline-report';
import { createPipelineGemm } from './prepare-source';
import { writeRunMap } from './run-map';
import type { PipelineOptions, PipelineResult } from './types';
import { writePredictions } from './write-predictions';

export { defaultShift };
export type { StrategyRun } from './compare-strategies';

/** Runs `step.work` as stage `step.stage` of the run-store record `id`, with its summary. */
async function storeStage<TResult>(
  store: RunRecorder,
  id: string,
  step: { stage: string; work: () => Promise<TResult>; summary?: (result: TResult) => unknown },
): Promise<TResult> {
  await store.startStage(id, step.stage);
  const result = await step.work();
  await store.finishStage(id, step.stage, step.summary?.(result) ?? {});
  return result;
}

/**
 * predictions.jsonl of the exported model (test splits from its evaluation, the pool scored here) and the map.
 * @returns the map's file name (null without one)
 */
async function writeRunPredictions(
  path: string,
  inputs: {
    open: OpenRun;
    exported: ExportedRun;
    selection: SelectionOutcome | undefined;
    seed: number;
  },
): Promise<string | null> {
  const { data, gemm } = inputs.open;
  const { evaluation, params } = inputs.exported;
  const pool = await inferSplit(params, data.pool.frozen, { gemm });
  const scores = await scoreEverySpace(
    { relevance: evaluation.detectors, content: evaluation.contentDetectors },
    { outputs: pool, prepared: data.pool },
    { kernels: { gemm }, reference: evaluation.scores.id_validation },
  );
  const splits = [
    data.idTest,
    data.oodTest,
    ...(data.farTest === undefined ? [] : [data.farTest]),
    data.pool,
  ];
  const neighbours = await nearestTrainingPairs(data.idTrain, splits, inputs.seed);
  writePredictions(path, {
    data,
    evaluation,
    pool: { outputs: pool, scores },
    selection: inputs.selection,
    neighbours,
  });
  return writeRunMap(dirname(path), { data, evaluation, poolScores: scores, seed: inputs.seed });
}

/** The loop's steps in order, each recorded as a stage of the run; then predictions and report.json. */
async function runSteps(
  ctx: PipelineRun,
): Promise<Omit<PipelineResult, 'seconds'> & { readonly evaluation: ModelEvaluation }> {
  const { outDir, record, storePath } = ctx;
  const settings = settingsOf(ctx.options);
  const { seed, loss, budgetFraction } = settings;
  const first = await prepareAndStage1(ctx, settings);
  const { data } = first.prepared;
  const { runs, curve } = await selectionSteps(ctx, settings, {
    data,
    stage1: first.stage1.params,
  });
  const { main, debiased, exported, ablation, bundleDir } = await mainModelSteps(
    ctx,
    settings,
    first,
  );
  const predictionsPath = join(outDir, 'predictions.jsonl');
  const map = await writeRunPredictions(predictionsPath, { ...main, exported, seed });
  const reportPath = join(outDir, 'report.json');
  const report = writeRunReport<PipelineReport>(reportPath, {
    ...pipelineReportOf({
      record,
      seconds: (Date.now() - ctx.t0) / 1000,
      ...{ data, loss, runs, budgetFraction, ablation, run: exported.run },
      ...{ bundle: exported.bundle, evaluation: exported.evaluation, curve, map },
    }),
    ...(debiased === undefined ? {} : { debias: debiased.report }),
  });
  const { evaluation } = exported;
  return {
    runId: record.id,
    outDir,
    reportPath,
    predictionsPath,
    bundleDir,
    storePath,
    report,
    evaluation,
  };
}

/** Creates the run, or closes the store and rethrows. */
async function createOrClose(
  store: RunRecorder,
  options: Parameters<RunRecorder['createRun']>[0],
): Promise<Awaited<ReturnType<RunRecorder['createRun']>>> {
  try {
    return await store.createRun(options);
  } catch (error) {
    await store.close();
    throw error;
  }
}

/**
 * Runs the whole loop and writes `report.json`, `predictions.jsonl` and the run-store record.
 * @throws DataError for bad input data; Error naming the path for an unusable output folder
 */
export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const t0 = Date.now();
  const outDir = resolve(options.outDir);
  const storePath = storeReference(options.storePath ?? defaultRunStorePath(outDir));
  const shift = options.shift ?? defaultShift(options.data);
  mkdirSync(outDir, { recursive: true });
  const store = await openRunRecorder(options.storePath ?? storePath);
  const name = options.name ?? basename(outDir);
  // The store's URL (and its password) is not part of the recorded configuration.
  const config = {
    ...options,
    ...(options.storePath === undefined ? {} : { storePath }),
    progress: undefined,
    shift: storeShift(shift),
  };
  const { id, createdAt } = await createOrClose(store, { name, kind: 'pipeline', outDir, config });
  const gemm = createPipelineGemm();
  try {
    const { evaluation, ...result } = await runSteps({
      ...{ options, outDir, storePath, shift, gemm, t0 },
      record: { id, name, createdAt },
      step: (stage, work, summary) =>
        storeStage(store, id, { stage, work, ...(summary === undefined ? {} : { summary }) }),
    });
    await store.putMetrics(id, evaluationMetricRecords(evaluation));
    await store.putArtifacts(id, [
      { kind: 'report', path: result.reportPath },
      { kind: 'predictions', path: result.predictionsPath },
      { kind: 'bundle', path: result.bundleDir },
    ]);
    await store.finishRun(id, { status: 'succeeded' });
    return { ...result, seconds: (Date.now() - t0) / 1000 };
  } catch (error) {
    await store.finishRun(id, {
      status: 'failed',
      error: error instanceof Error ? error.message : String(error),
    });
    throw error;
  } finally {
    await gemm.dispose();
    await store.close();
  }
}

/**
 * `exportRunFolder`: the model bundle of a run folder's latest stage (the de-biased model, else 3, else 2, else 1): evaluate it on the
 * rebuilt splits (detectors, calibration, decision rule, metrics with intervals), then write the bundle with
 * `exportModelBundle`, the code `runPipeline` runs.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

import type { ScorerParams } from '@gradeshift/core';

import type { WrittenBundle } from '../bundle/write-bundle';
import { evaluateModel, type ModelEvaluation } from '../pipeline/evaluate-model';
import { exportModelBundle } from '../pipeline/export-model-bundle';
import { createPipelineGemm } from '../pipeline/prepare-source';
import type { ProgressSink } from '../stages/progress';
import { loadRunData } from './load-run-data';
import type { OpenRun } from './open-run';
import { readStageParams } from './params-io';
import { evaluationMetricRecords, recordStep } from './record-step';
import { RunFolderError } from './run-folder-error';
import {
  readRunJson,
  RUN_FILES,
  runJsonPath,
  writeRunJson,
  type RunJson,
  type StageName,
  type StoredParams,
} from './run-json';

/** Options of {@link exportRunFolder}. */
export interface ExportRunFolderOptions {
  /** The bundle folder. @default `<dir>/bundle` */
  readonly outDir?: string;
  /** Replace an existing bundle folder. @default false */
  readonly overwrite?: boolean;
  /** Bootstrap resamples of the bundle's metrics. @default 1000 */
  readonly resamples?: number;
  /** The stage whose weights are exported (e.g. `distill`, the distilled student). @default the latest ({@link latestStage}) */
  readonly stage?: StageName;
  readonly progress?: ProgressSink;
}

/** What {@link exportRunFolder} returns. */
export interface ExportRunFolderResult {
  readonly run: RunJson;
  /** Which weights were exported. */
  readonly stage: StageName;
  readonly bundle: WrittenBundle;
  readonly evaluation: ModelEvaluation;
  readonly files: readonly string[];
}

/** The latest trained stage of a run (debias, 3, 2, 1: the distilled student only when asked), or `undefined`. */
export function latestStage(
  run: RunJson,
  only?: StageName,
): { stage: StageName; params: StoredParams } | undefined {
  for (const stage of only === undefined
    ? (['debias', 'stage3', 'stage2', 'stage1'] as const)
    : [only]) {
    const record = run.stages[stage];
    if (record !== undefined) return { stage, params: record.params };
  }
  return undefined;
}

/**
 * Exports the bundle of a run folder.
 * @param dir - the run folder (absolute)
 * @throws RunFolderError `STEP_MISSING` before any training, `ALREADY_EXISTS` for an existing bundle folder
 * without `overwrite`; the errors of `loadRunData` and `readStageParams`
 */
export async function exportRunFolder(
  dir: string,
  options: ExportRunFolderOptions = {},
): Promise<ExportRunFolderResult> {
  const outDir = resolve(options.outDir ?? join(dir, RUN_FILES.bundle));
  const early = readRunJson(dir);
  if (latestStage(early, options.stage) === undefined)
    throw new RunFolderError(
      'STEP_MISSING',
      {
        path: dir,
        reason:
          options.stage === undefined
            ? 'nothing to export: no stage has been trained'
            : `nothing to export: the run has no ${options.stage} weights`,
      },
      {
        hint: `run gradeshift train --run <dir> --stage ${options.stage === undefined ? '1' : options.stage.replace('stage', '')} first`,
      },
    );
  if (existsSync(outDir) && options.overwrite !== true)
    throw new RunFolderError(
      'ALREADY_EXISTS',
      { path: outDir, reason: 'the bundle folder already exists' },
      { hint: 'pass --overwrite to replace it, or --out <dir> for another folder' },
    );
  return recordStep(early.store, {
    stage: 'export',
    work: () => exportLatest(dir, { ...options, outDir }),
    done: (result) => ({
      summary: {
        stage: result.stage,
        bundle: result.bundle.dir,
        sha256: result.bundle.manifest.model.sha256,
        bytes: result.bundle.manifest.model.bytes,
      },
      metrics: evaluationMetricRecords(result.evaluation),
      artifacts: [
        {
          kind: 'bundle',
          path: result.bundle.dir,
          sha256: result.bundle.manifest.model.sha256,
          bytes: result.bundle.manifest.model.bytes,
        },
      ],
    }),
  });
}

async function exportLatest(
  dir: string,
  options: ExportRunFolderOptions & { outDir: string },
): Promise<ExportRunFolderResult> {
  const loaded = await loadRunData(dir, options.progress);
  const gemm = createPipelineGemm();
  try {
    return await exportOnRun({ ...loaded, gemm, progress: options.progress }, options);
  } finally {
    await gemm.dispose();
  }
}

/**
 * The export step on an open run: the latest stage as stored, evaluated on the splits (detectors, calibration,
 * decision rule, metrics with intervals) and written as a bundle; run.json records it.
 * @returns the run, the exported stage, its weights, the bundle and the evaluation
 */
export async function exportOnRun(
  open: OpenRun,
  options: Omit<ExportRunFolderOptions, 'progress'> & { outDir: string },
): Promise<ExportRunFolderResult & { readonly params: ScorerParams }> {
  const { dir, data, gemm, progress } = open;
  const { outDir } = options;
  const latest = latestStage(open.run, options.stage);
  if (latest === undefined) throw new Error('unreachable: a trained stage was checked above');
  const params = readStageParams(dir, latest.stage, { stored: latest.params, ...data });
  const seed = open.run.split_seed;
  progress?.({ stage: 'evaluate', message: `${latest.stage}: metrics, detectors, calibration` });
  const evaluation = await evaluateModel(params, data, {
    gemm,
    resamples: options.resamples ?? 1000,
    seed,
  });
  progress?.({ stage: 'export', message: 'ONNX bundle: graph, detector states, calibration' });
  const bundle = await exportModelBundle({ dir: outDir, params, data, evaluation, seed, gemm });
  const run = writeRunJson(dir, {
    ...open.run,
    bundle: {
      path: outDir,
      sha256: bundle.manifest.model.sha256,
      exported_at: new Date().toISOString(),
    },
  });
  return {
    run,
    stage: latest.stage,
    params,
    bundle,
    evaluation,
    files: [outDir, runJsonPath(dir)],
  };
}

/**
 * `debiasRunFolder`: the de-biasing step on a run folder as a single step (`gradeshift train --stage debias`):
 * negatives, LREF's DPO stage and temperature scaling from the latest of stages 3, 2 and 1, written as
 * `params/debias.bin` and run.json's `stages.debias` (the stage `export` then takes), the step's report (the
 * section report.json carries in a pipeline run) as `debias.json`, and the step in the run store.
 */
import { join } from 'node:path';

import { writeFileAtomic } from '../io/atomic-write';
import { debiasBaseStage, debiasOnRun, type DebiasOnRunOptions } from '../pipeline/debias-run';
import type { DebiasReport } from '../contract/debias-schema';
import { createPipelineGemm } from '../pipeline/prepare-source';
import type { ProgressSink } from '../stages/progress';
import { loadRunData } from './load-run-data';
import { paramsStepRecord, recordStep } from './record-step';
import { RunFolderError } from './run-folder-error';
import { readRunJson, runJsonPath, type RunJson } from './run-json';

/** The step's report file in the run folder. */
export const DEBIAS_REPORT_FILE = 'debias.json';

/** Options of {@link debiasRunFolder}. */
export interface DebiasRunFolderOptions {
  /** Training loss of the fine-tunes. @default the loss stage 1 was trained with */
  readonly loss?: DebiasOnRunOptions['loss'];
  /** @default 0 */
  readonly seed?: number;
  /** Run the none / negatives / DPO / both ablation. @default true */
  readonly ablation?: boolean;
  readonly progress?: ProgressSink;
}

/** What {@link debiasRunFolder} returns. */
export interface DebiasRunFolderResult {
  readonly run: RunJson;
  readonly report: DebiasReport;
  /** Files written (absolute). */
  readonly files: readonly string[];
}

/**
 * Runs the de-biasing step on a run folder.
 * @param dir - the run folder (absolute)
 * @throws RunFolderError `STEP_MISSING` before any training; the errors of `loadRunData` and `readStageParams`
 */
export async function debiasRunFolder(
  dir: string,
  options: DebiasRunFolderOptions = {},
): Promise<DebiasRunFolderResult> {
  const early = readRunJson(dir);
  if (debiasBaseStage(early) === undefined)
    throw new RunFolderError(
      'STEP_MISSING',
      { path: dir, reason: 'the de-biasing step needs a trained stage 1, 2 or 3' },
      { hint: 'run gradeshift train --run <dir> first' },
    );
  return recordStep(early.store, {
    stage: 'debias',
    work: () => debiasStep(dir, options),
    done: ({ run, report }) =>
      paramsStepRecord(dir, 'debias', {
        record: run.stages.debias,
        summary: {
          from: report.from,
          temperature: report.temperature,
          negatives: report.negatives,
          dpo: report.dpo,
          operating_point: report.operating_point,
          random_pairs: report.random_pairs,
        },
      }),
  });
}

async function debiasStep(
  dir: string,
  options: DebiasRunFolderOptions,
): Promise<DebiasRunFolderResult> {
  const loaded = await loadRunData(dir, options.progress);
  const gemm = createPipelineGemm();
  try {
    const { open, report } = await debiasOnRun(
      { ...loaded, gemm, progress: options.progress },
      {
        loss: options.loss ?? loaded.run.stages.stage1?.loss ?? 'graded',
        seed: options.seed ?? 0,
        ablation: options.ablation !== false,
      },
    );
    const reportPath = join(dir, DEBIAS_REPORT_FILE);
    writeFileAtomic(reportPath, `${JSON.stringify(report, null, 2)}\n`);
    const params = open.run.stages.debias?.params;
    return {
      run: open.run,
      report: report as DebiasReport,
      files: [
        ...(params === undefined ? [] : [join(dir, params.file)]),
        runJsonPath(dir),
        reportPath,
      ],
    };
  } finally {
    await gemm.dispose();
  }
}

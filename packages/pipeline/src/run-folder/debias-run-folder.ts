/**
 * `debiasRunFolder`: the de-biasing step on a run folder as a single step (`gradeshift train --stage debias`):
 * negatives, LREF's DPO stage and temperature scaling from the latest of stages 3, 2 and 1, written as
 * `params/debias.bin` and run.json's `stages.debias` (the stage `export` then takes), the step's report (the
 * section report.json carries in a pipeline run) as `debias.json`, and the step in the run store.
 */
import { debiasBaseStage, debiasOnRun, type DebiasOnRunOptions } from '../pipeline/debias-run';
import type { DebiasReport } from '../contract/debias-schema';
import type { ProgressSink } from '../stages/progress';
import type { OpenRun } from './open-run';
import { runParamsStep, type ParamsStepResult } from './params-step';
import { RunFolderError } from './run-folder-error';
import { readRunJson } from './run-json';

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
export type DebiasRunFolderResult = ParamsStepResult<DebiasReport>;

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
  return runParamsStep(dir, early, {
    stage: 'debias',
    reportFile: DEBIAS_REPORT_FILE,
    progress: options.progress,
    train: (open) =>
      debiasOnRun(open, {
        loss: options.loss ?? open.run.stages.stage1?.loss ?? 'graded',
        seed: options.seed ?? 0,
        ablation: options.ablation !== false,
      }) as Promise<{ open: OpenRun; report: DebiasReport }>,
    summary: (report) => ({
      from: report.from,
      temperature: report.temperature,
      negatives: report.negatives,
      dpo: report.dpo,
      operating_point: report.operating_point,
      random_pairs: report.random_pairs,
    }),
  });
}

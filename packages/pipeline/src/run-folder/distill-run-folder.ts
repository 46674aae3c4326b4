/**
 * `distillRunFolder`: the distillation step on a run folder as a single step (`gradeshift train --stage distill
 * --teacher <file>`): the default scorer trained as student on a teacher's grade probabilities of ID train and the
 * pool plus the gold labels, written as `params/distill.bin` and run.json's `stages.distill`, its report as
 * `distill.json`, and the step in the run store. `writeDistillPairs` writes the pairs the teacher must label.
 */
import type { DistillReport } from '../contract/distill-schema';
import { writeLinesAtomic } from '../io/atomic-write';
import { distillOnRun, distillPairs, type DistillOnRunOptions } from '../pipeline/distill-run';
import type { ProgressSink } from '../stages/progress';
import { loadRunData } from './load-run-data';
import { runParamsStep, type ParamsStepResult } from './params-step';
import { RunFolderError } from './run-folder-error';
import { readRunJson, type RunJson } from './run-json';

/** The step's report file in the run folder. */
export const DISTILL_REPORT_FILE = 'distill.json';

/** Options of {@link distillRunFolder}. */
export interface DistillRunFolderOptions extends Partial<Omit<DistillOnRunOptions, 'teacher'>> {
  /** The teacher file. */
  readonly teacher: string;
  readonly progress?: ProgressSink;
}

/** What {@link distillRunFolder} returns. */
export type DistillRunFolderResult = ParamsStepResult<DistillReport>;

function requireStage1(dir: string): RunJson {
  const run = readRunJson(dir);
  if (run.stages.stage1 === undefined)
    throw new RunFolderError(
      'STEP_MISSING',
      {
        path: dir,
        reason: 'the distillation step needs stage 1 (the student before distillation)',
      },
      { hint: 'run gradeshift train --run <dir> first' },
    );
  return run;
}

/**
 * Runs the distillation step on a run folder.
 * @param dir - the run folder (absolute)
 * @throws RunFolderError `STEP_MISSING` without stage 1; DataError for a bad teacher file or missing pairs; the
 * errors of `loadRunData` and `readStageParams`
 */
export async function distillRunFolder(
  dir: string,
  options: DistillRunFolderOptions,
): Promise<DistillRunFolderResult> {
  const early = requireStage1(dir);
  const { progress, ...rest } = options;
  return runParamsStep(dir, early, {
    stage: 'distill',
    reportFile: DISTILL_REPORT_FILE,
    progress,
    train: (open) =>
      distillOnRun(open, {
        ...rest,
        loss: options.loss ?? open.run.stages.stage1?.loss ?? 'graded',
        seed: options.seed ?? 0,
      }),
    summary: (report) => ({
      teacher: report.teacher,
      alpha: report.alpha,
      temperature: report.temperature,
      alpha_sweep: report.alpha_sweep,
      teacher_kl: { before: report.before.teacher_kl, after: report.after.teacher_kl },
    }),
  });
}

/**
 * Writes the pairs a teacher must label for {@link distillRunFolder} (ID train, then the pool; each distinct pair
 * once) as JSONL lines `{"query", "item"}`, to be scored by the teacher (e.g. `gradeshift score`).
 * @returns the number of pairs written
 */
export async function writeDistillPairs(
  dir: string,
  out: string,
  progress?: ProgressSink,
): Promise<{ pairs: number; files: string[] }> {
  requireStage1(dir);
  const { data } = await loadRunData(dir, progress);
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const p of distillPairs(data)) {
    const line = `${JSON.stringify(p)}\n`;
    if (seen.has(line)) continue;
    seen.add(line);
    lines.push(line);
  }
  writeLinesAtomic(out, lines);
  return { pairs: lines.length, files: [out] };
}

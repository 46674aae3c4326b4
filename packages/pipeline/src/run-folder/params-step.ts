/**
 * `runParamsStep`: the frame of a single step that trains one stage's weights from a run folder (the de-biasing
 * and distillation steps): open the folder's data and matrix kernels, train, write the step's report beside
 * run.json (temp file + rename), and record the step in the run store with its summary, metrics and weights.
 */
import { join } from 'node:path';

import { writeFileAtomic } from '../io/atomic-write';
import { createPipelineGemm } from '../pipeline/prepare-source';
import type { ProgressSink } from '../stages/progress';
import { loadRunData } from './load-run-data';
import type { OpenRun } from './open-run';
import { paramsStepRecord, recordStep } from './record-step';
import { runJsonPath, type RunJson } from './run-json';

/** What a params step returns. */
export interface ParamsStepResult<TReport> {
  readonly run: RunJson;
  readonly report: TReport;
  /** Files written (absolute): the stage's weights, run.json, the report. */
  readonly files: readonly string[];
}

/** One params step: its stage, report file, training and run-store summary. */
export interface ParamsStepSpec<TReport> {
  readonly stage: 'debias' | 'distill';
  /** The report's file name in the run folder. */
  readonly reportFile: string;
  readonly progress?: ProgressSink | undefined;
  /** Trains the stage on the open run; returns the run as written and the step's report. */
  readonly train: (open: OpenRun) => Promise<{ open: OpenRun; report: TReport }>;
  /** The run-store summary of the step's report. */
  readonly summary: (report: TReport) => unknown;
}

/**
 * Runs a params step on run folder `dir`, recorded in the store that `run` (run.json as read before the step)
 * names.
 * @throws what the training or the data loading throws, after recording the run as failed
 */
export function runParamsStep<TReport>(
  dir: string,
  run: RunJson,
  spec: ParamsStepSpec<TReport>,
): Promise<ParamsStepResult<TReport>> {
  return recordStep(run.store, {
    stage: spec.stage,
    work: () => trainParamsStep(dir, spec),
    done: ({ run: written, report }) =>
      paramsStepRecord(dir, spec.stage, {
        record: written.stages[spec.stage],
        summary: spec.summary(report),
      }),
  });
}

async function trainParamsStep<TReport>(
  dir: string,
  spec: ParamsStepSpec<TReport>,
): Promise<ParamsStepResult<TReport>> {
  const loaded = await loadRunData(dir, spec.progress);
  const gemm = createPipelineGemm();
  try {
    const { open, report } = await spec.train({ ...loaded, gemm, progress: spec.progress });
    const reportPath = join(dir, spec.reportFile);
    writeFileAtomic(reportPath, `${JSON.stringify(report, null, 2)}\n`);
    const params = open.run.stages[spec.stage]?.params;
    return {
      run: open.run,
      report,
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

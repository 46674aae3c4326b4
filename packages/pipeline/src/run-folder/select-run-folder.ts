/**
 * `selectRunFolder`: one selection strategy at a budget, from the run's stage-1 model (the inputs `runPipeline`
 * computes, through `selectionInputsOf`); the picks' labels are revealed and written to selection.jsonl, every
 * fifth pick held out for choosing α. Stages 2–3 made from an earlier selection are cleared.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { DEFAULT_STRATEGY, type StrategyName } from '../contract/strategy-names';
import {
  DEFAULT_BUDGET_FRACTION,
  selectionBudget,
  selectionInputsOf,
} from '../pipeline/selection-inputs';
import { createPipelineGemm } from '../pipeline/prepare-source';
import type { ProgressSink } from '../stages/progress';
import { runSelection, type SelectionOutcome } from '../stages/select-stage';
import { sha256Hex } from '@gradeshift/core/node';
import { loadRunData } from './load-run-data';
import type { OpenRun } from './open-run';
import { readStageParams } from './params-io';
import { RunFolderError } from './run-folder-error';
import { readRunJson, RUN_FILES, runJsonPath, writeRunJson, type RunJson } from './run-json';
import { recordStep } from './record-step';
import { selectionLines, writeSelectionFile } from './selection-file';

/** Options of {@link selectRunFolder}. */
export interface SelectRunFolderOptions {
  /** @default 'distribution-aware' */
  readonly strategy?: StrategyName;
  /** Annotation budget as a fraction of the pool. @default 0.02 */
  readonly budgetFraction?: number;
  /** @default 0 */
  readonly seed?: number;
  readonly progress?: ProgressSink;
}

/** What {@link selectRunFolder} returns. */
export interface SelectRunFolderResult {
  readonly run: RunJson;
  readonly selection: SelectionOutcome;
  readonly poolSize: number;
  /** Picks per revealed grade. */
  readonly gradeMix: readonly number[];
  /** Name of each grade, for reports. */
  readonly gradeNames: readonly string[];
  readonly files: readonly string[];
  readonly cleared: readonly string[];
}

/**
 * Runs one selection on a run folder.
 * @param dir - the run folder (absolute)
 * @throws RunFolderError `STEP_MISSING` without stage 1; the errors of `loadRunData` and `readStageParams`
 */
export async function selectRunFolder(
  dir: string,
  options: SelectRunFolderOptions = {},
): Promise<SelectRunFolderResult> {
  const early = readRunJson(dir);
  if (early.stages.stage1 === undefined)
    throw new RunFolderError(
      'STEP_MISSING',
      { path: dir, reason: 'selection needs a stage-1 model' },
      { hint: 'run gradeshift train --run <dir> --stage 1 first' },
    );
  return recordStep(early.store, {
    stage: 'select',
    work: () => select(dir, options),
    done: (result) => ({
      summary: {
        strategy: result.selection.strategy,
        seed: result.selection.seed,
        budget: result.selection.budget,
        picked: result.selection.picked.length,
        pool: result.poolSize,
        grade_mix: result.gradeMix,
      },
      artifacts: [{ kind: 'selection', path: join(dir, RUN_FILES.selection) }],
    }),
  });
}

async function select(
  dir: string,
  options: SelectRunFolderOptions,
): Promise<SelectRunFolderResult> {
  const loaded = await loadRunData(dir, options.progress);
  const gemm = createPipelineGemm();
  try {
    return await selectOnRun({ ...loaded, gemm, progress: options.progress }, options);
  } finally {
    await gemm.dispose();
  }
}

/**
 * The selection step on an open run: one strategy at a budget from stage 1 as stored, written to selection.jsonl
 * and run.json; stages 2–3 of an earlier selection are cleared.
 */
export async function selectOnRun(
  open: OpenRun,
  options: Omit<SelectRunFolderOptions, 'progress'>,
): Promise<SelectRunFolderResult> {
  const { dir, data, gemm, progress } = open;
  const strategy = options.strategy ?? DEFAULT_STRATEGY;
  const budgetFraction = options.budgetFraction ?? DEFAULT_BUDGET_FRACTION;
  const seed = options.seed ?? 0;
  let { run } = open;
  const stage1 = run.stages.stage1;
  if (stage1 === undefined) throw new Error('unreachable: stage 1 checked above');
  const params = readStageParams(dir, 'stage1', { stored: stage1.params, ...data });
  progress?.({ stage: 'select', message: 'stage-1 features and detectors' });
  const inputs = await selectionInputsOf(data, params, gemm);
  const budget = selectionBudget(budgetFraction, data.pool.pairs.length);
  progress?.({ stage: 'select', message: `${strategy}, ${budget} pairs, seed ${seed}` });
  const selection = await runSelection(inputs, { strategy, budget, seed });
  const cleared = [
    ...(run.stages.stage2 === undefined ? [] : ['stage 2']),
    ...(run.stages.stage3 === undefined ? [] : ['stage 3']),
  ];
  const path = join(dir, RUN_FILES.selection);
  writeSelectionFile(path, selection.picked);
  const lines = selectionLines(selection.picked);
  const gradeMix = Array.from(
    { length: data.config.grades },
    (_, g) => lines.filter((l) => l.grade === g).length,
  );
  run = writeRunJson(dir, {
    ...run,
    // The distilled student depends on stage 1 only: it stays.
    stages: {
      stage1,
      ...(run.stages.distill === undefined ? {} : { distill: run.stages.distill }),
    },
    selection: {
      file: RUN_FILES.selection,
      sha256: sha256Hex(readFileSync(path)),
      strategy,
      seed,
      budget_fraction: budgetFraction,
      budget: selection.budget,
      picked: selection.picked.length,
      held_out: selection.picked.filter((p) => p.role === 'validation').length,
      stage1_sha256: stage1.params.sha256,
      finished_at: new Date().toISOString(),
    },
  });
  // Stale weights go only after run.json stopped naming them: an interrupt leaves a consistent folder.
  for (const later of ['stage2', 'stage3', 'debias'] as const)
    rmSync(join(dir, RUN_FILES.params(later)), { force: true });
  return {
    run,
    selection,
    poolSize: data.pool.pairs.length,
    gradeMix,
    gradeNames: data.dataset.scale.grades.map((g) => g.name),
    files: [path, runJsonPath(dir)],
    cleared,
  };
}

/**
 * `gradeshift pipeline` is the step commands composed: on a slice of the Home Depot file, `runPipeline` and the
 * steps the CLI runs one by one (`prepareRunFolder`, `trainRunStage` 1, `selectRunFolder`, `trainRunStage` 2,
 * `exportRunFolder`) with the same seed and settings write the same run: the same run.json sections, the same
 * weights, selection and bundle (sha256), and the same test figures.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  exportRunFolder,
  prepareRunFolder,
  readRunJson,
  runPipeline,
  selectRunFolder,
  trainRunStage,
  type ExportRunFolderResult,
  type PipelineResult,
  type RunJson,
} from '@gradeshift/pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { REPO_ROOT as repoRoot, writeHomeDepotSlice } from './home-depot-slice';

/** The sections of run.json both ways write, without times, paths and run-store ids. */
function sections(run: RunJson) {
  const { stage1, stage2, stage3 } = run.stages;
  const untimed = <T extends { finished_at: string }>(s: T | undefined) => {
    if (s === undefined) return undefined;
    const { finished_at: _at, ...rest } = s;
    return rest;
  };
  const { finished_at: _at, ...selection } = run.selection ?? { finished_at: '' };
  return {
    data: { sha256: run.data.sha256, rows: run.data.rows, pairs: run.data.pairs },
    shift: run.shift,
    split_seed: run.split_seed,
    split_sizes: run.split_sizes,
    model: run.model,
    stage1: { ...untimed(stage1), seconds: undefined },
    stage2: { ...untimed(stage2), seconds: undefined },
    stage3: untimed(stage3),
    selection,
    bundle_sha256: run.bundle?.sha256,
  };
}

describe('runPipeline and the step commands write the same run', () => {
  let dir: string;
  let pipeline: PipelineResult;
  let exported: ExportRunFolderResult;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gradeshift-steps-'));
    const csv = await writeHomeDepotSlice(dir, 6000);
    const cacheDir = join(repoRoot, 'runs', '.cache');
    const data = { preset: 'homedepot', path: csv };
    pipeline = await runPipeline({
      data,
      outDir: join(dir, 'runs', 'pipeline'),
      repoRoot,
      cacheDir,
      strategies: ['distribution-aware'],
      selectionSeeds: [0],
      ablation: false,
      curve: null,
      // The de-biasing step has no single-step command yet: compare the steps that have one.
      debias: false,
      resamples: 50,
      stage1: { epochs: 2 },
      stage2: { epochs: 1 },
    });
    const steps = join(dir, 'runs', 'steps');
    await prepareRunFolder({ data, outDir: steps, repoRoot, cacheDir });
    await trainRunStage(steps, { stage: 1, hyperparameters: { epochs: 2 } });
    await selectRunFolder(steps, { strategy: 'distribution-aware', budgetFraction: 0.02, seed: 0 });
    await trainRunStage(steps, { stage: 2, hyperparameters: { epochs: 1 } });
    exported = await exportRunFolder(steps, { resamples: 50 });
  }, 600_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('records the same data, splits, stages, selection and bundle in run.json', () => {
    const a = readRunJson(pipeline.outDir);
    const b = readRunJson(join(dir, 'runs', 'steps'));
    expect(sections(a)).toEqual(sections(b));
    expect(a.stages.stage3?.params.sha256).toBe(b.stages.stage3?.params.sha256);
    expect(a.bundle?.sha256).toBe(exported.bundle.manifest.model.sha256);
  });

  it("reports the exported model's figures: same splits, detectors, decision rule and stages", () => {
    const { report } = pipeline;
    const { evaluation } = exported;
    expect(report.model.bundle.sha256).toBe(exported.bundle.manifest.model.sha256);
    expect(report.splits).toEqual(evaluation.splits);
    expect(report.ood_detection).toEqual(evaluation.oodDetection);
    expect(report.decision.rule).toEqual(evaluation.decision);
    expect(report.stages.stage3).toEqual(exported.run.stages.stage3?.metrics);
    expect(report.stages.alpha).toBe(exported.run.stages.stage3?.alpha);
  });
});

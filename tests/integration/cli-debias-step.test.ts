/**
 * `gradeshift train --stage debias` end to end on a 3,000-row slice of the Home Depot file, spawned as a user runs
 * it: `prepare` → `train` (stage 1, one epoch) → `train --stage debias` (no ablation) → `export`; the step's
 * weights, run.json record, debias.json report and run-store stage, the bundle made from the de-biased weights, and
 * the exit codes of the step before any training and with a hyperparameter it does not take.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { debiasReportSchema, openRunStore, readRunJson } from '@gradeshift/pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { writeHomeDepotSlice } from './home-depot-slice';
import { gradeshift, prepareSliceArgs, step, type Outcome } from './run-gradeshift';

describe('gradeshift train --stage debias', () => {
  let dir: string;
  const run = 'runs/debias';
  let runDir: string;
  const outputs: Record<string, Outcome> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gradeshift-cli-debias-'));
    await writeHomeDepotSlice(dir, 3000);
    runDir = join(dir, run);
    outputs['prepare'] = await step(dir, prepareSliceArgs(run));
    // Before any training: missing input (66), checked before the data is reloaded.
    outputs['early'] = await gradeshift(dir, ['train', '--run', run, '--stage', 'debias']);
    outputs['train1'] = await step(dir, ['train', '--run', run, '--epochs', '1']);
    outputs['epochs'] = await gradeshift(dir, [
      ...['train', '--run', run, '--stage', 'debias', '--epochs', '3'],
    ]);
    outputs['debias'] = await step(dir, [
      ...['train', '--run', run, '--stage', 'debias', '--no-debias-ablation'],
    ]);
    outputs['export'] = await step(dir, ['export', '--run', run, '--resamples', '50']);
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses the step before stage 1 (66) and a stage hyperparameter (2)', () => {
    expect(outputs['early']?.code).toBe(66);
    expect(outputs['early']?.stderr).toMatch(
      /needs a trained stage 1, 2 or 3 \[STEP_MISSING\]\nhint: run gradeshift train/,
    );
    expect(outputs['epochs']?.code).toBe(2);
    expect(outputs['epochs']?.stderr).toMatch(/--stage debias uses its own settings.*--epochs/);
  });

  it('prints the step: negatives, DPO, temperature, random pairs, the operating point and the next command', () => {
    const out = outputs['debias']?.stdout ?? '';
    expect(out).toMatch(
      /^debias from stage1 \(graded loss, seed 0\): \d+ negatives, DPO β 2 \(\d+ steps\), T [\d.]+/,
    );
    expect(out).toMatch(/random pairs \(\d+\): [\d.]+% \/ [\d.]+% \/ [\d.]+% irrelevant/);
    expect(out).toMatch(
      /shuffled validation pairs \(\d+\): [\d.]+% \/ [\d.]+% \/ [\d.]+% irrelevant/,
    );
    expect(out).toMatch(
      /over-recall operating point \(validation bound ≤ 0\.35, fitted under [\d.]+\): id_test/,
    );
    expect(out).toMatch(/next: gradeshift export --run .*runs\/debias\n/);
    expect(outputs['debias']?.stderr).toMatch(/\[negatives\] epoch \d/);
    expect(outputs['export']?.stdout).toMatch(/^exported debias → /);
  });

  it('records the step in run.json, debias.json and the run store', () => {
    const state = readRunJson(runDir);
    const record = state.stages.debias;
    expect(record?.from).toBe('stage1');
    expect(record?.from_sha256).toBe(state.stages.stage1?.params.sha256);
    expect(record?.temperature).toBeGreaterThan(0);
    const report = debiasReportSchema.parse(
      JSON.parse(readFileSync(join(runDir, 'debias.json'), 'utf8')),
    );
    expect(report.negatives.count).toBe(record?.negatives);
    expect(report.dpo?.beta).toBe(2);
    expect(report.dpo?.pairs).toBe(record?.dpo_pairs);
    expect(report.dpo?.steps).toBeGreaterThan(0);
    expect(report.ablation).toBeNull();
    expect(report.random_pairs.pairs).toBeGreaterThanOrEqual(5000);
    expect(report.shuffled_validation_pairs?.pairs).toBeGreaterThanOrEqual(5000);
    const margin = report.operating_point.margin;
    expect(margin?.validation.over_recall_upper).toBeLessThanOrEqual(0.35);
    expect(margin?.cap).toBeLessThanOrEqual(0.35);
    expect(Object.keys(margin?.splits ?? {}).sort()).toEqual(['far_test', 'id_test', 'ood_test']);
    const store = openRunStore(join(dir, 'runs', 'runs.sqlite'), { readonly: true });
    try {
      const stages = store.getStages(state.store?.run_id ?? '');
      expect(stages.map((s) => s.stage)).toEqual(['prepare', 'stage1', 'debias', 'export']);
      const artifacts = store.getArtifacts(state.store?.run_id ?? '');
      expect(artifacts.find((a) => a.kind === 'params:debias')?.sha256).toBe(record?.params.sha256);
    } finally {
      store.close();
    }
  });
});

/**
 * The single-step CLI end to end on a 3,000-row slice of the Home Depot file, spawned as a user runs it:
 * `prepare --out` → `train` (stage 1) → `select` → `train --stage 2` → `export`, then the bundle loaded with
 * `loadBundleScorer` and checked against the run folder's stage-3 weights; and the exit codes of a step run out
 * of order, an existing bundle and a changed data file (damaged weights: run-folder.test.ts in the pipeline).
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createOrtGemm } from '@gradeshift/core/node';
import {
  inferSplit,
  loadBundleScorer,
  loadRunData,
  openRunStore,
  readRunJson,
  readStageParams,
  type RunJson,
} from '@gradeshift/pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { writeHomeDepotSlice } from './home-depot-slice';
import { gradeshift, prepareSliceArgs, step, type Outcome } from './run-gradeshift';

describe('gradeshift prepare → train → select → train --stage 2 → export', () => {
  let dir: string;
  let csv: string;
  const run = 'runs/steps';
  let runDir: string;
  const outputs: Record<string, Outcome> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gradeshift-cli-steps-'));
    csv = await writeHomeDepotSlice(dir, 3000);
    runDir = join(dir, run);
    outputs['prepare'] = await step(dir, prepareSliceArgs(run));
    outputs['train1'] = await step(dir, ['train', '--run', run, '--epochs', '2']);
    // Stage 2 before any selection: missing input (66), checked before the data is reloaded.
    outputs['early'] = await gradeshift(dir, ['train', '--run', run, '--stage', '2']);
    outputs['select'] = await step(dir, ['select', '--run', run, '--budget', '0.05']);
    outputs['train2'] = await step(dir, ['train', '--run', run, '--stage', '2', '--epochs', '1']);
    outputs['export'] = await step(dir, ['export', '--run', run, '--resamples', '50']);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints each step, its files and the next command, with progress on stderr', () => {
    expect(outputs['prepare']?.stdout).toMatch(
      /wrote .*runs\/steps\/run\.json\nnext: gradeshift train/,
    );
    expect(outputs['train1']?.stdout).toMatch(
      /^stage 1 \(graded loss, seed 0\): best epoch \d of 2/,
    );
    expect(outputs['train1']?.stderr).toMatch(/\[stage1\] epoch 2: loss/);
    expect(outputs['select']?.stdout).toMatch(
      /^selected \d+ of \d+ pool pairs \(distribution-aware, budget 0\.05, seed 0\)/,
    );
    expect(outputs['train2']?.stdout).toMatch(/stage 3: α = [\d.]+ \(chosen on ID validation/);
    expect(outputs['export']?.stdout).toMatch(/^exported stage 3 → .*runs\/steps\/bundle/);
    expect(outputs['early']?.code).toBe(66);
    expect(outputs['early']?.stderr).toMatch(
      /stage 2 needs a selection \[STEP_MISSING\]\nhint: run gradeshift select/,
    );
  });

  it('records every step in run.json with its weights, selection and bundle', () => {
    const state: RunJson = readRunJson(runDir);
    expect(state.data.source).toEqual({ preset: 'homedepot', path: csv });
    expect(state.stages.stage1?.hyperparameters.epochs).toBe(2);
    expect(state.stages.stage2?.hyperparameters).toMatchObject({ epochs: 1, learningRate: 0.001 });
    expect(state.stages.stage3?.alpha_sweep).toHaveLength(11);
    const { selection } = state;
    expect(selection?.stage1_sha256).toBe(state.stages.stage1?.params.sha256);
    const lines = readFileSync(join(runDir, 'selection.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(selection?.picked ?? -1);
    expect(selection?.budget).toBe(Math.round(0.05 * state.split_sizes.pool));
    expect(selection?.picked).toBeLessThanOrEqual(selection?.budget ?? 0);
    expect(state.bundle?.path).toBe(join(runDir, 'bundle'));
  });

  it('records the run and each step in the run store beside the run folder', () => {
    const state = readRunJson(runDir);
    expect(state.store?.path).toBe(join(dir, 'runs', 'runs.sqlite'));
    const store = openRunStore(join(dir, 'runs', 'runs.sqlite'), { readonly: true });
    try {
      const record = store.requireRun(state.store?.run_id ?? '');
      expect(record).toMatchObject({ kind: 'steps', name: 'steps', status: 'succeeded' });
      const stages = store.getStages(record.id);
      expect(stages.map((st) => st.stage)).toEqual([
        'prepare',
        'stage1',
        'select',
        'stage2',
        'export',
      ]);
      expect(stages.every((st) => st.finishedAt !== null)).toBe(true);
      const metrics = store.getMetrics(record.id);
      for (const stage of ['stage1', 'stage2', 'stage3'])
        expect(metrics.some((m) => m.stage === stage && m.split === 'ood_test')).toBe(true);
      expect(metrics.some((m) => m.stage === 'final' && m.name === 'macro_f1')).toBe(true);
      expect(store.getArtifacts(record.id).map((a) => a.kind)).toContain('bundle');
    } finally {
      store.close();
    }
  });

  it("exports a bundle whose ONNX forward pass reproduces the run's stage-3 weights", async () => {
    const { run: state, data } = await loadRunData(runDir);
    const stage3 = state.stages.stage3;
    if (stage3 === undefined) throw new Error('stage 3 missing');
    const params = readStageParams(runDir, 'stage3', {
      stored: stage3.params,
      config: data.config,
      embeddings: data.embeddings,
    });
    const gemm = createOrtGemm({ dtype: 'float64' });
    const loaded = await loadBundleScorer(join(runDir, 'bundle'));
    try {
      expect(loaded.bundle.manifest.training.dataSha256).toBe(state.data.sha256);
      const expected = await inferSplit(params, data.idTest.frozen, { gemm });
      const pairs = data.idTest.pairs.slice(0, 40);
      let worst = 0;
      for (const [i, pair] of pairs.entries()) {
        const scores = await loaded.scorer.scorePairs(pair.query, [pair.item]);
        for (let c = 0; c < 3; c++)
          worst = Math.max(
            worst,
            Math.abs((scores.probs[c] ?? NaN) - (expected.probs.data[i * 3 + c] ?? NaN)),
          );
      }
      expect(worst).toBeLessThan(1e-4);
    } finally {
      await loaded.dispose();
      await gemm.dispose();
    }
  });

  it('refuses an existing bundle (73) and a changed data file (65)', async () => {
    const again = await gradeshift(dir, ['export', '--run', run]);
    expect(again.code).toBe(73);
    expect(again.stderr).toMatch(
      /bundle: the bundle folder already exists \[ALREADY_EXISTS\]\nhint: pass --overwrite/,
    );

    appendFileSync(csv, '999999,1,"New Item","extra row",3\n');
    const changed = await gradeshift(dir, ['select', '--run', run]);
    expect(changed.code).toBe(65);
    expect(changed.stderr).toMatch(
      /the data file .*slice\.csv has sha256 \w+…, but the run was prepared from \w+… \[DATA_CHANGED\]/,
    );
  }, 60_000);
});

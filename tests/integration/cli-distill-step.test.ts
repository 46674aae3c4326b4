/**
 * `gradeshift train --stage distill` end to end on a 6,000-row slice of the Home Depot file, spawned as a user runs
 * it, with a synthetic teacher made from a real model: `prepare` → `train` (stage 1, two epochs) → `train --stage
 * distill --teacher-pairs` → `export` → `score` of those pairs with the stage-1 bundle, its probabilities sharpened
 * (q ∝ p², a teacher more confident than the student) → `train --stage distill` gold-only (α = 1: the same weights as
 * stage 1), with a pair missing and a bad row (refused), and with α = 0.25 (the student moves toward the teacher) →
 * `export --stage distill` (the student's bundle).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { ScorerParams } from '@gradeshift/core';
import {
  distillReportSchema,
  loadRunData,
  openRunStore,
  readRunJson,
  readStageParams,
  type DistillReport,
} from '@gradeshift/pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { writeHomeDepotSlice } from './home-depot-slice';
import { gradeshift, prepareSliceArgs, step, type Outcome } from './run-gradeshift';

/** The student's stored weights of `stage`. */
async function storedParams(runDir: string, stage: 'stage1' | 'distill'): Promise<ScorerParams> {
  const { run, data } = await loadRunData(runDir);
  const stored = run.stages[stage]?.params;
  if (stored === undefined) throw new Error(`${runDir} has no ${stage}`);
  return readStageParams(runDir, stage, { stored, ...data });
}

/** Largest absolute difference between two models' trainable tensors. */
function maxDifference(a: ScorerParams, b: ScorerParams): number {
  let diff = 0;
  for (const name of ['P', 'W1', 'b1', 'W2', 'b2', 'W3', 'b3'] as const) {
    const x = a[name].data;
    const y = b[name].data;
    expect(x.length).toBe(y.length);
    for (let i = 0; i < x.length; i++) diff = Math.max(diff, Math.abs((x[i] ?? 0) - (y[i] ?? 0)));
  }
  return diff;
}

/** `gradeshift score` rows → teacher lines with the probabilities sharpened: q ∝ p². */
function sharpenedTeacher(scored: string): string[] {
  return scored
    .trim()
    .split('\n')
    .map((line) => {
      const row = JSON.parse(line) as { query: string; item: string; probs: number[] };
      const squared = row.probs.map((p) => p * p);
      const sum = squared.reduce((a, b) => a + b, 0);
      return JSON.stringify({
        query: row.query,
        item: row.item,
        probs: squared.map((q) => q / sum),
      });
    });
}

describe('gradeshift train --stage distill', () => {
  let dir: string;
  const run = 'runs/distill';
  let runDir: string;
  const outputs: Record<string, Outcome> = {};
  let teacherLines: string[] = [];
  let goldOnly: ScorerParams;
  let stage1: ScorerParams;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gradeshift-cli-distill-'));
    await writeHomeDepotSlice(dir, 6000);
    runDir = join(dir, run);
    outputs['prepare'] = await step(dir, prepareSliceArgs(run));
    // Before stage 1: missing input (66), checked before the data is reloaded.
    writeFileSync(join(dir, 'empty.jsonl'), '');
    outputs['early'] = await gradeshift(dir, [
      ...['train', '--run', run, '--stage', 'distill', '--teacher', 'empty.jsonl'],
    ]);
    outputs['noTeacher'] = await gradeshift(dir, ['train', '--run', run, '--stage', 'distill']);
    outputs['train1'] = await step(dir, ['train', '--run', run, '--epochs', '2']);
    outputs['pairs'] = await step(dir, [
      ...['train', '--run', run, '--stage', 'distill', '--teacher-pairs', 'pairs.jsonl'],
    ]);
    await step(dir, ['export', '--run', run, '--resamples', '20']);
    await step(dir, [
      ...['score', '--model', `${run}/bundle`, '--data', 'pairs.jsonl'],
      ...['--query-col', 'query', '--item-col', 'item', '--out', 'scored.jsonl'],
    ]);
    teacherLines = sharpenedTeacher(readFileSync(join(dir, 'scored.jsonl'), 'utf8'));
    writeFileSync(join(dir, 'teacher.jsonl'), `${teacherLines.join('\n')}\n`);
    const distill = ['train', '--run', run, '--stage', 'distill', '--epochs', '2'];
    outputs['gold'] = await step(dir, [...distill, '--teacher', 'teacher.jsonl', '--alphas', '1']);
    goldOnly = await storedParams(runDir, 'distill');
    stage1 = await storedParams(runDir, 'stage1');
    writeFileSync(join(dir, 'missing.jsonl'), `${teacherLines.slice(4).join('\n')}\n`);
    outputs['missing'] = await gradeshift(dir, [...distill, '--teacher', 'missing.jsonl']);
    const bad = [...teacherLines];
    bad[2] = JSON.stringify({ query: 'q', item: 'i', probs: [0.5, 0.5, 0.5] });
    writeFileSync(join(dir, 'bad.jsonl'), `${bad.join('\n')}\n`);
    outputs['bad'] = await gradeshift(dir, [...distill, '--teacher', 'bad.jsonl']);
    outputs['distill'] = await step(dir, [
      ...[...distill, '--teacher', 'teacher.jsonl', '--alphas', '0.25'],
    ]);
    outputs['export'] = await step(dir, [
      ...['export', '--run', run, '--stage', 'distill', '--out', 'student', '--resamples', '20'],
    ]);
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses the step before stage 1 (66) and without a teacher file (2)', () => {
    expect(outputs['early']?.code).toBe(66);
    expect(outputs['early']?.stderr).toMatch(/needs stage 1 .*\[STEP_MISSING\]/);
    expect(outputs['noTeacher']?.code).toBe(2);
    expect(outputs['noTeacher']?.stderr).toMatch(/--stage distill needs --teacher <file>/);
  });

  it('writes every distinct ID-train and pool pair for the teacher', async () => {
    const { data } = await loadRunData(runDir);
    const distinct = new Set(
      [...data.idTrain.pairs, ...data.pool.pairs].map((p) => JSON.stringify([p.query, p.item])),
    );
    expect(teacherLines.length).toBe(distinct.size);
    expect(outputs['pairs']?.stdout).toMatch(
      new RegExp(`^${distinct.size} distinct ID-train and pool pairs for the teacher to label`),
    );
  });

  it('gold only (α = 1) is ordinary stage-1 training: the same weights on the same seed', async () => {
    expect(maxDifference(goldOnly, stage1)).toBeLessThan(1e-6);
    expect(outputs['gold']?.stdout).toMatch(/α = 1 \(ID-validation macro-F1 by α: 1: [\d.]+\)/);
    // …and not because any training lands there: the α = 0.25 student differs.
    expect(maxDifference(await storedParams(runDir, 'distill'), stage1)).toBeGreaterThan(1e-3);
  });

  it('refuses a teacher file lacking pairs (with how many and the first few) and a bad row (file:line)', () => {
    const missing = outputs['missing'];
    expect(missing?.code).toBe(65);
    const first = JSON.parse(teacherLines[0] ?? '{}') as { query: string };
    expect(missing?.stderr).toMatch(
      /missing\.jsonl: \d+ of the \d+ ID-train and pool pairs have no line in the teacher file \(\d+ distinct pairs\), e\.g\. \(/,
    );
    expect(missing?.stderr).toContain(JSON.stringify(first.query));
    expect(missing?.stderr).toMatch(/--teacher-pairs <file> writes them/);
    expect(outputs['bad']?.code).toBe(65);
    expect(outputs['bad']?.stderr).toMatch(/bad\.jsonl:3: the probabilities sum to 1\.5/);
  });

  it('moves the student toward the teacher and reports it before and after on ID, near and far OOD', () => {
    const report: DistillReport = distillReportSchema.parse(
      JSON.parse(readFileSync(join(runDir, 'distill.json'), 'utf8')),
    );
    expect(report.alpha).toBe(0.25);
    expect(report.teacher.lines).toBe(teacherLines.length);
    expect(report.teacher.output).toBe('probs');
    expect(report.after.teacher_kl.all).toBeLessThan(0.8 * report.before.teacher_kl.all);
    expect(report.after.teacher_kl.pool).toBeLessThan(report.before.teacher_kl.pool);
    for (const m of [report.before, report.after]) {
      expect(Object.keys(m.splits).sort()).toEqual(['far_test', 'id_test', 'ood_test']);
      expect(m.throughput.pairs_per_second).toBeGreaterThan(100);
      expect(m.splits['id_test']?.macro_f1.value).toBeGreaterThan(0.3);
    }
    expect(report.before.stage).toBe('stage1');
    expect(report.after.stage).toBe('distill');
    expect(outputs['distill']?.stdout).toMatch(
      /^distill \(graded loss, seed 0, T 1\): \d+ ID-train \+ \d+ pool pairs, α = 0\.25/,
    );
  });

  it('exports the student as a bundle', () => {
    expect(outputs['export']?.stdout).toMatch(/^exported distill → .*student \(model\.onnx/);
    const manifest = JSON.parse(readFileSync(join(dir, 'student', 'manifest.json'), 'utf8')) as {
      model: { sha256: string };
    };
    expect(manifest.model.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('records the student in run.json and the run store', () => {
    const state = readRunJson(runDir);
    const record = state.stages.distill;
    expect(record?.alpha).toBe(0.25);
    expect(record?.from_sha256).toBe(state.stages.stage1?.params.sha256);
    expect(record?.params.file).toBe('params/distill.bin');
    const store = openRunStore(join(dir, 'runs', 'runs.sqlite'), { readonly: true });
    try {
      const stages = store.getStages(state.store?.run_id ?? '').map((s) => s.stage);
      expect(stages).toContain('distill');
      expect(store.getRun(state.store?.run_id ?? '')?.status).toBe('succeeded');
      const artifacts = store.getArtifacts(state.store?.run_id ?? '');
      expect(artifacts.find((a) => a.kind === 'params:distill')?.sha256).toBe(
        record?.params.sha256,
      );
    } finally {
      store.close();
    }
  });
});

/**
 * The distillation step on an open run folder (RRADistill in the loop, issue 11): a teacher's grade probabilities on
 * ID train and the unlabeled pool (a teacher file) distilled into the default word-vector scorer, α chosen on ID
 * validation; the student written as `params/distill.bin` and run.json's `stages.distill`, and the report of the
 * student before (stage 1) and after on the ID test, near-OOD and far-OOD splits, with each one's mean KL to the
 * teacher and throughput.
 */
import { distillationLoss, type ScorerParams } from '@gradeshift/core';
import type { Gemm } from '@gradeshift/core/math';

import type { DistillReport } from '../contract/distill-schema';
import { matchTeacher, readTeacherFile } from '../distill/teacher-file';
import type { OpenRun } from '../run-folder/open-run';
import { readStageParams, writeStageParams } from '../run-folder/params-io';
import { writeRunJson } from '../run-folder/run-json';
import type { TeacherValues } from '../stages/distill-loss';
import { inferSplit } from '../stages/infer';
import type { LossName } from '../stages/losses';
import { featurizeSplit, type PreparedData, type PreparedSplit } from '../stages/prepare';
import type { StageHyperparameters } from '../stages/train-stage';
import { computeSplitMetrics } from '../stages/split-metrics';
import { validationDecision } from './decision-rule';
import { featurizeContext } from './debias-train';
import { distillTrainingSet, trainStudents, type DistillTrainingSet } from './distill-train';
import { stageMetrics } from './fine-tune-on-selection';

/** Bootstrap resamples of the report's intervals. */
const RESAMPLES = 200;
/** Timed repeats of the throughput measurement (the median is kept). */
const THROUGHPUT_REPEATS = 3;

/** Options of {@link distillOnRun}. */
export interface DistillOnRunOptions {
  /** The teacher file (external predictions format without `grade`). */
  readonly teacher: string;
  readonly loss: LossName;
  readonly seed: number;
  /** @default DISTILL_ALPHAS */
  readonly alphas?: readonly number[];
  /** @default 1 */
  readonly temperature?: number;
  readonly hyperparameters?: StageHyperparameters;
}

/** The pairs the teacher must label: ID train, then the unlabeled pool (texts as the loader prepared them). */
export function distillPairs(data: PreparedData): { query: string; item: string }[] {
  return [...data.idTrain.pairs, ...data.pool.pairs].map(({ query, item }) => ({ query, item }));
}

/** Mean KL(teacher ‖ student) at T = 1 over the rows in [from, to) of the training set (K columns). */
function meanKl(
  logits: Float64Array,
  teacher: TeacherValues,
  range: { from: number; to: number; k: number },
) {
  const { from, to, k } = range;
  const rows = { rows: to - from, cols: k };
  const values = teacher.values.subarray(from * k, to * k);
  return distillationLoss(
    { ...rows, data: logits.subarray(from * k, to * k) },
    teacher.output === 'probs'
      ? { probs: { ...rows, data: values } }
      : { logits: { ...rows, data: values } },
  ).value;
}

/**
 * Pairs per second from raw text (featurise + forward pass) on the ID test pairs: one untimed warm-up pass (JIT,
 * the featuriser's memos), then the median of the timed repeats.
 */
async function throughputOf(params: ScorerParams, data: PreparedData, gemm: Gemm) {
  const { pairs } = data.idTest;
  const times: number[] = [];
  for (let r = 0; r <= THROUGHPUT_REPEATS; r++) {
    const t0 = process.hrtime.bigint();
    const split = featurizeSplit('throughput', pairs, featurizeContext(data));
    await inferSplit(params, split.frozen, { gemm });
    if (r > 0) times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  const seconds = times.sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? Number.NaN;
  return {
    pairs: pairs.length,
    repeats: THROUGHPUT_REPEATS,
    seconds,
    pairs_per_second: pairs.length / seconds,
  };
}

/** One model's figures: decision rule on ID validation, test splits, KL to the teacher, throughput. */
async function modelFigures(
  model: { stage: 'stage1' | 'distill'; sha256: string; params: ScorerParams },
  context: {
    data: PreparedData;
    gemm: Gemm;
    seed: number;
    train: DistillTrainingSet;
    teacher: TeacherValues;
  },
): Promise<DistillReport['before']> {
  const { data, gemm, seed, train, teacher } = context;
  const { params } = model;
  const k = params.config.grades;
  const { decision, macro_f1 } = await validationDecision(params, data.idValidation, gemm);
  const tests: [string, PreparedSplit | undefined][] = [
    ['id_test', data.idTest],
    ['ood_test', data.oodTest],
    ['far_test', data.farTest],
  ];
  const splits: DistillReport['before']['splits'] = {};
  for (const [name, split] of tests) {
    if (split === undefined) continue;
    const outputs = await inferSplit(params, split.frozen, { gemm });
    const m = computeSplitMetrics(split, outputs, {
      resamples: RESAMPLES,
      seed,
      grades: k,
      decision,
    });
    splits[name] = {
      n: m.n,
      macro_f1: m.macro_f1,
      rmse: m.rmse,
      'ndcg@10': m['ndcg@10'],
      accuracy: m.accuracy,
    };
  }
  const logits = (await inferSplit(params, train.batch, { gemm })).logits.data;
  const nTrain = data.idTrain.pairs.length;
  const n = train.batch.batch.size;
  return {
    stage: model.stage,
    sha256: model.sha256,
    decision:
      decision.kind === 'argmax'
        ? { kind: 'argmax' }
        : decision.kind === 'ordinal-thresholds'
          ? { kind: decision.kind, thresholds: [...decision.thresholds] }
          : { kind: decision.kind, offsets: [...decision.offsets] },
    id_validation_macro_f1: macro_f1,
    splits,
    teacher_kl: {
      all: meanKl(logits, teacher, { from: 0, to: n, k }),
      pool: meanKl(logits, teacher, { from: nTrain, to: n, k }),
    },
    throughput: await throughputOf(params, data, gemm),
  };
}

/**
 * Distils the teacher file into the default scorer on a run with stage 1, and records the student.
 * @returns the run with `stages.distill` and the step's report (distill.json)
 * @throws Error without stage 1; DataError for a bad teacher file (`file:line: reason`) or missing pairs
 * (`TEACHER_MISSING_PAIRS`, with how many and the first few)
 */
export async function distillOnRun(
  open: OpenRun,
  options: DistillOnRunOptions,
): Promise<{ open: OpenRun; report: DistillReport }> {
  const t0 = Date.now();
  const { dir, data, gemm, progress } = open;
  const stage1 = open.run.stages.stage1;
  if (stage1 === undefined) throw new Error(`${dir}: the distillation step needs stage 1`);
  const before = readStageParams(dir, 'stage1', { stored: stage1.params, ...data });
  progress?.({ stage: 'distill', message: `reading the teacher file ${options.teacher}` });
  const file = await readTeacherFile(options.teacher, data.config.grades);
  const teacher = matchTeacher(file, distillPairs(data), 'ID-train and pool pairs');
  const train = distillTrainingSet(data);
  const { candidates, chosen } = await trainStudents({
    ...options,
    data,
    teacher,
    train,
    gemm,
    ...(progress === undefined ? {} : { progress }),
  });
  progress?.({ stage: 'distill', message: `α = ${chosen.alpha}: metrics` });
  const temperature = options.temperature ?? 1;
  const params = writeStageParams(dir, 'distill', {
    params: chosen.params,
    metadata: { alpha: chosen.alpha, temperature, teacher: file.sha256 },
  });
  const student = readStageParams(dir, 'distill', { stored: params, ...data });
  const context = { data, gemm, seed: options.seed, train, teacher };
  const report: DistillReport = {
    teacher: { file: file.path, sha256: file.sha256, lines: file.lines, output: file.output },
    pairs: { id_train: data.idTrain.pairs.length, pool: data.pool.pairs.length },
    ...{ loss: options.loss, seed: options.seed, temperature, alpha: chosen.alpha },
    alpha_sweep: candidates.map(({ params: _, ...point }) => point),
    before: await modelFigures(
      { stage: 'stage1', sha256: stage1.params.sha256, params: before },
      context,
    ),
    after: await modelFigures(
      { stage: 'distill', sha256: params.sha256, params: student },
      context,
    ),
    seconds: (Date.now() - t0) / 1000,
  };
  const run = writeRunJson(dir, {
    ...open.run,
    stages: {
      ...open.run.stages,
      distill: {
        params,
        from_sha256: stage1.params.sha256,
        teacher: { file: file.path, sha256: file.sha256 },
        ...{ alpha: chosen.alpha, temperature, loss: options.loss, seed: options.seed },
        metrics: await stageMetrics(student, data, gemm),
        seconds: report.seconds,
        finished_at: new Date().toISOString(),
      },
    },
  });
  return { open: { ...open, run }, report };
}

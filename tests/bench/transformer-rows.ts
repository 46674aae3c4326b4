/**
 * Two rows of the transformer quality table that need more than a report to read:
 * - the distilled student: the default scorer trained as student of the MiniLM encoder's teacher file
 *   (`gradeshift train --stage distill`), on a copy of the default run (`TRANSFORMER_STUDENT_RUN`, default
 *   runs/minilm-student; made here from runs/default and the encoder run's teacher.jsonl when missing);
 * - the scikit-learn HistGradientBoosting lexical peer (`quality_peer.py`, seed 0) trained on the default run's own
 *   ID-train split and judged on its ID test split under the default decision rule fitted on its ID-validation
 *   probabilities, by the same metric code as every other row (the peer reads one CSV, so it has no far-OOD row).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  computeSplitMetrics,
  DEFAULT_DECISION_RULE,
  distillReportSchema,
  distillRunFolder,
  fitDecision,
  loadRunData,
  type DistillReport,
  type PreparedSplit,
} from '@gradeshift/pipeline';

import { peerOutputs } from './quality';

interface Estimate {
  value: number;
  lo: number;
  hi: number;
}

/** An interval from a schema that allows null bounds (NaN prints as such). */
const estimate = (
  e: { value: number; lo: number | null; hi: number | null } | undefined,
): Estimate | undefined =>
  e === undefined ? undefined : { value: e.value, lo: e.lo ?? Number.NaN, hi: e.hi ?? Number.NaN };

/** A row's figures (the table's other columns stay empty for these models). */
export interface ExtraRow {
  readonly model: string;
  readonly idF1?: Estimate;
  readonly idRmse?: Estimate;
  readonly farF1?: Estimate;
  readonly note?: string;
}

/** The student's distill.json: read, or made here on a copy of the default run. */
async function studentReport(
  defaultRun: string,
  teacher: string,
  log: (line: string) => void,
): Promise<DistillReport | string> {
  const dir = process.env['TRANSFORMER_STUDENT_RUN'] ?? join(defaultRun, '..', 'minilm-student');
  const path = join(dir, 'distill.json');
  if (existsSync(path)) return distillReportSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  if (!existsSync(join(defaultRun, 'run.json'))) return `no ${defaultRun}/run.json`;
  if (!existsSync(teacher)) return `no ${teacher} (the encoder run writes it)`;
  log(`no ${path}: distilling the default scorer from ${teacher} on a copy of ${defaultRun}…`);
  cpSync(defaultRun, dir, { recursive: true });
  // The copy is the bench's own: it is recorded in no run store.
  const runJson = join(dir, 'run.json');
  writeFileSync(
    runJson,
    JSON.stringify({ ...JSON.parse(readFileSync(runJson, 'utf8')), store: null }, null, 2),
  );
  const { report } = await distillRunFolder(dir, { teacher });
  return report;
}

/** The distilled student's row (its figures under its own decision rule fitted on ID validation). */
export async function studentRow(options: {
  defaultRun: string;
  encoderRun: string;
  log: (line: string) => void;
}): Promise<ExtraRow> {
  const model = 'distilled student (default scorer, teacher: the MiniLM encoder backbone)';
  const report = await studentReport(
    options.defaultRun,
    join(options.encoderRun, 'teacher.jsonl'),
    options.log,
  );
  if (typeof report === 'string') return { model, note: report };
  const after = report.after;
  const pps = (r: typeof after) => Math.round(r.throughput.pairs_per_second);
  return {
    model: `${model}, α = ${report.alpha} (ID validation ${after.id_validation_macro_f1.toFixed(3)} vs ${report.before.id_validation_macro_f1.toFixed(3)} before); ${pps(after)} pairs/s vs ${pps(report.before)} before`,
    idF1: estimate(after.splits['id_test']?.macro_f1),
    idRmse: estimate(after.splits['id_test']?.rmse),
    farF1: estimate(after.splits['far_test']?.macro_f1),
  };
}

/** The HistGradientBoosting peer's row on the default run's splits. */
export async function hgbPeerRow(options: {
  defaultRun: string;
  log: (line: string) => void;
}): Promise<ExtraRow> {
  const model = 'scikit-learn HistGradientBoosting lexical peer (quality_peer.py, seed 0)';
  if (!existsSync(join(options.defaultRun, 'run.json')))
    return { model, note: `no ${options.defaultRun}/run.json` };
  options.log('running the HistGradientBoosting peer on the default run’s splits…');
  const { data } = await loadRunData(options.defaultRun);
  const dir = mkdtempSync(join(tmpdir(), 'gradeshift-transformer-peer-'));
  try {
    const ids = (s: PreparedSplit<{ id: string }>) => s.pairs.map((p) => p.id);
    const splitsPath = join(dir, 'splits.json');
    const probsPath = join(dir, 'probs.json');
    writeFileSync(
      splitsPath,
      JSON.stringify({
        data: data.dataset.source.path,
        edges: [1.75, 2.33],
        seeds: [0],
        splits: {
          id_train: ids(data.idTrain),
          id_validation: ids(data.idValidation),
          id_test: ids(data.idTest),
          ood_test: ids(data.oodTest),
        },
      }),
    );
    const run = spawnSync(
      '/usr/bin/python3',
      [join(import.meta.dirname, 'quality_peer.py'), splitsPath, probsPath],
      { encoding: 'utf8', maxBuffer: 1 << 26 },
    );
    if (run.status !== 0)
      return { model, note: `the peer failed (apt-get install -y python3-sklearn): ${run.stderr}` };
    const probs = JSON.parse(readFileSync(probsPath, 'utf8')) as Record<string, number[][]>;
    const validation = peerOutputs(probs['id_validation'] ?? []);
    const test = peerOutputs(probs['id_test'] ?? []);
    const { decision } = fitDecision(
      { labels: data.idValidation.labels, outputs: validation, grades: 3 },
      DEFAULT_DECISION_RULE,
    );
    const metrics = computeSplitMetrics(data.idTest, test, {
      resamples: 1000,
      seed: 0,
      grades: 3,
      decision,
    });
    return { model, idF1: metrics.macro_f1, idRmse: metrics.rmse, note: undefined };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

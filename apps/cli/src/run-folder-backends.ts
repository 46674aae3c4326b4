/**
 * The single steps over a run folder (`train`, `select`, `export`) as CLI backends: each calls the pipeline's
 * run-folder function and turns its result into the lines the command prints.
 */
import {
  debiasRunFolder,
  distillRunFolder,
  writeDistillPairs,
  exportQueue,
  exportRunFolder,
  SPLIT_METRICS,
  selectRunFolder,
  trainRunStage,
  trainWithLabels,
  type DistillReport,
  type StageMetrics,
} from '@gradeshift/pipeline';

import type { StepOptions, StepResult } from './backends';
import { formatMetricTable } from './commands/metric-table';
import type { ExportArgs, SelectArgs, TrainArgs } from './parsed-command';

const f3 = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '–');

/** `macro-F1: ID validation 0.612, ID test 0.598, OOD test 0.541`. */
function macroF1Line(label: string, m: StageMetrics): string {
  return `${label}: ID validation ${f3(m.id_validation_macro_f1)}, ID test ${f3(m.id_test_macro_f1)}, OOD test ${f3(m.ood_test_macro_f1)}`;
}

function clearedLine(cleared: readonly string[], because: string): string[] {
  return cleared.length === 0 ? [] : [`cleared ${cleared.join(', ')} (${because})`];
}

const pct = (x: number | undefined): string => `${(100 * (x ?? 0)).toFixed(2)}%`;

/** `gradeshift train --stage debias`: `debiasRunFolder`. */
export async function debiasStep(options: StepOptions<TrainArgs>): Promise<StepResult> {
  const { runDir, loss, seed, progress } = options;
  const result = await debiasRunFolder(runDir, {
    loss,
    seed,
    ablation: options.debiasAblation !== false,
    ...(progress === undefined ? {} : { progress }),
  });
  const { report } = result;
  const record = result.run.stages.debias;
  const margin = report.operating_point.margin;
  const marginLines =
    margin === undefined
      ? []
      : [
          `over-recall operating point (validation bound ≤ ${report.operating_point.max_over_recall}, fitted under ${margin.cap.toFixed(3)}): ` +
            Object.entries(margin.splits)
              .map(([s, m]) => `${s} macro-F1 ${f3(m.macro_f1)}, over-recall ${f3(m.over_recall)}`)
              .join('; '),
        ];
  return {
    summary: [
      `debias from ${report.from} (${loss} loss, seed ${seed}): ${report.negatives.count} negatives, ${report.dpo === null ? 'no DPO' : `DPO β ${report.dpo.beta} (${report.dpo.steps} steps)`}, T ${report.temperature.value.toFixed(3)}, ${report.seconds.toFixed(1)} s`,
      ...(record === undefined ? [] : [macroF1Line('macro-F1 after debias', record.metrics)]),
      `random pairs (${report.random_pairs.pairs}): ${report.random_pairs.shares.map(pct).join(' / ')} irrelevant / weak / strong`,
      ...(report.shuffled_validation_pairs === undefined
        ? []
        : [
            `shuffled validation pairs (${report.shuffled_validation_pairs.pairs}): ${report.shuffled_validation_pairs.shares.map(pct).join(' / ')} irrelevant / weak / strong`,
          ]),
      ...marginLines,
      `next: gradeshift export --run ${runDir}`,
    ],
    files: result.files,
  };
}

/** One model's line of the distillation summary. */
function distillModelLine(label: string, m: DistillReport['before']): string {
  const splits = Object.entries(m.splits)
    .map(([s, f]) => `${s} macro-F1 ${f3(f.macro_f1.value)} RMSE ${f3(f.rmse.value)}`)
    .join(', ');
  return `${label}: ${splits}; KL to the teacher ${f3(m.teacher_kl.all)}; ${m.throughput.pairs_per_second.toFixed(0)} pairs/s`;
}

/** `gradeshift train --stage distill`: `writeDistillPairs` with `--teacher-pairs`, else `distillRunFolder`. */
export async function distillStep(options: StepOptions<TrainArgs>): Promise<StepResult> {
  const { runDir, loss, seed, progress, teacher, teacherPairs } = options;
  const sink = progress === undefined ? {} : { progress };
  if (teacherPairs !== undefined) {
    const written = await writeDistillPairs(runDir, teacherPairs, progress);
    return {
      summary: [
        `${written.pairs} distinct ID-train and pool pairs for the teacher to label`,
        `next: score them with the teacher (query, item, probs per line), then gradeshift train --run ${runDir} --stage distill --teacher <file>`,
      ],
      files: written.files,
    };
  }
  if (teacher === undefined)
    throw new Error('unreachable: --teacher was checked with the arguments');
  const result = await distillRunFolder(runDir, {
    teacher,
    loss,
    seed,
    hyperparameters: options.hyperparameters,
    ...(options.alphas === undefined ? {} : { alphas: options.alphas }),
    ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
    ...sink,
  });
  const { report } = result;
  const sweep = report.alpha_sweep
    .map((p) => `${p.alpha}: ${f3(p.id_validation_macro_f1)}`)
    .join(', ');
  return {
    summary: [
      `distill (${loss} loss, seed ${seed}, T ${report.temperature}): ${report.pairs.id_train} ID-train + ${report.pairs.pool} pool pairs, α = ${report.alpha} (ID-validation macro-F1 by α: ${sweep}), ${report.seconds.toFixed(1)} s`,
      distillModelLine('before (stage 1)', report.before),
      distillModelLine('after (distilled)', report.after),
    ],
    files: result.files,
  };
}

/** `gradeshift train`: `trainRunStage`, or `debiasRunFolder` / `distillRunFolder` for `--stage debias` / `distill`. */
export async function trainStep(options: StepOptions<TrainArgs>): Promise<StepResult> {
  const { runDir, stage, loss, hyperparameters, seed, progress, labels } = options;
  if (stage === 'debias') return debiasStep(options);
  if (stage === 'distill') return distillStep(options);
  const common = { loss, hyperparameters, seed, ...(progress === undefined ? {} : { progress }) };
  const labelled =
    labels === undefined
      ? undefined
      : await trainWithLabels(runDir, {
          ...common,
          labels,
          ...(options.out === undefined ? {} : { out: options.out }),
        });
  const result = labelled ?? (await trainRunStage(runDir, { stage, ...common }));
  const runLine = labelled === undefined ? runDir : labelled.out;
  const epochs = `best epoch ${result.bestEpoch} of ${result.epochs}, ${result.seconds.toFixed(1)} s`;
  if (result.stage3 === undefined)
    return {
      summary: [
        `stage 1 (${loss} loss, seed ${seed}): ${epochs}`,
        macroF1Line('macro-F1 (arg-max)', result.metrics),
        ...clearedLine(result.cleared, 'made from the previous stage 1'),
        `next: gradeshift select --run ${runDir}`,
      ],
      files: result.files,
    };
  const picks = result.run.selection;
  return {
    summary: [
      `stage 2 (${loss} loss, seed ${seed}, ${picks?.picked ?? 0} picks of ${picks?.strategy ?? '?'}): ${epochs}`,
      macroF1Line('macro-F1 after stage 2', result.metrics),
      `stage 3: α = ${result.stage3.alpha} (chosen on ID validation and ${picks?.held_out ?? 0} held-out picks)`,
      macroF1Line('macro-F1 after stage 3', result.stage3.metrics),
      ...(labelled === undefined
        ? []
        : [
            `trained on ${labelled.labels.count} labels from ${labelled.labels.file} (${labelled.labels.format}; ${labelled.labels.changed} differ from the revealed grades) in a new run ${labelled.out}, recorded as a run of kind labels linked to ${runDir}`,
          ]),
      `next: gradeshift export --run ${runLine}`,
    ],
    files: result.files,
  };
}

/** `gradeshift select`: `selectRunFolder`. */
export async function selectStep(options: StepOptions<SelectArgs>): Promise<StepResult> {
  const { runDir, strategy, budgetFraction, seed, progress } = options;
  const result = await selectRunFolder(runDir, {
    strategy,
    budgetFraction,
    seed,
    ...(progress === undefined ? {} : { progress }),
  });
  const { picked } = result.selection;
  const heldOut = picked.filter((p) => p.role === 'validation').length;
  const mix = result.gradeMix.map((n, g) => `${result.gradeNames[g] ?? g} ${n}`).join(', ');
  return {
    summary: [
      `selected ${picked.length} of ${result.poolSize} pool pairs (${strategy}, budget ${budgetFraction}, seed ${seed}): ${picked.length - heldOut} for stage 2, ${heldOut} held out to choose α`,
      `revealed grades: ${mix}`,
      ...clearedLine(result.cleared, 'made from the previous selection'),
      `next: gradeshift train --run ${runDir} --stage 2`,
    ],
    files: result.files,
  };
}

/** `gradeshift export`: `exportRunFolder`. */
export async function exportStep(options: StepOptions<ExportArgs>): Promise<StepResult> {
  const { runDir, outDir, overwrite, resamples, progress, queue } = options;
  if (queue !== undefined) {
    const written = exportQueue(runDir, {
      format: queue,
      ...(outDir === undefined ? {} : { out: outDir }),
    });
    return {
      summary: [
        `exported the annotation queue: ${written.tasks} tasks as ${queue}`,
        `next: fill the label column (or annotate in Label Studio and export JSON), then gradeshift train --run ${runDir} --labels <file>`,
      ],
      files: written.files,
    };
  }
  const result = await exportRunFolder(runDir, {
    overwrite,
    resamples,
    ...(options.stage === undefined ? {} : { stage: options.stage }),
    ...(outDir === undefined ? {} : { outDir }),
    ...(progress === undefined ? {} : { progress }),
  });
  const { model } = result.bundle.manifest;
  const splits = Object.fromEntries(
    (['id_test', 'ood_test'] as const).map((split) => [
      split,
      Object.fromEntries(SPLIT_METRICS.map((m) => [m, result.evaluation.splits[split][m]])),
    ]),
  );
  return {
    summary: [
      `exported ${result.stage.replace('stage', 'stage ')} → ${result.bundle.dir} (model.onnx ${(model.bytes / 1024).toFixed(0)} kB, sha256 ${model.sha256.slice(0, 12)}…)`,
      formatMetricTable(splits, ['id_test', 'ood_test']),
      `next: gradeshift evaluate --model ${result.bundle.dir} --data <file> …`,
    ],
    files: result.files,
  };
}

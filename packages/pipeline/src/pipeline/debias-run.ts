/**
 * The de-biasing step on an open run folder: from its latest stage, negatives + DPO + temperature
 * (`debiasModel`), written as `params/debias.bin` and run.json's `stages.debias` (the stage `export` then
 * takes), plus report.json's `debias` section with the none / negatives / DPO / both ablation when asked.
 */
import type { ReportInput } from '../contract/read-report';
import type { PipelineReport } from '../contract/report-schema';
import type { OpenRun } from '../run-folder/open-run';
import { readStageParams, writeStageParams } from '../run-folder/params-io';
import { writeRunJson } from '../run-folder/run-json';
import { HOMEDEPOT_TAXONOMY } from '../splits/homedepot-taxonomy';
import { createDepartmentMatcher } from '../splits/taxonomy';
import type { LossName } from '../stages/losses';
import { stageMetrics } from './fine-tune-on-selection';
import {
  DEBIAS_DEFAULTS,
  DEFAULT_DEBIAS_SETTINGS,
  debiasAblation,
  debiasModel,
  randomPairCheck,
  validationFigures,
  type DebiasContext,
  type DebiasSettings,
} from './debias';
import { marginOperatingPointOf } from './debias-operating-point';

/** Random pairs of the check: at least this many, from the ID test queries (issue 12's target: 5,000). */
export const RANDOM_PAIRS = 5000;

/** The department of an item title under the run's shift, when it is a department shift. */
function departmentOfRun(open: OpenRun): ((item: string) => string) | undefined {
  const { shift } = open.run;
  if (shift.kind !== 'department') return undefined;
  const taxonomy = typeof shift.taxonomy === 'string' ? HOMEDEPOT_TAXONOMY : shift.taxonomy;
  const matcher = createDepartmentMatcher(taxonomy);
  return (item) => matcher.match(item);
}

/** The stage the step starts from: the latest of stages 3, 2 and 1 (a de-biased model is replaced, not stacked). */
export function debiasBaseStage(run: OpenRun['run']) {
  for (const stage of ['stage3', 'stage2', 'stage1'] as const) {
    const record = run.stages[stage];
    if (record !== undefined) return { stage, params: record.params };
  }
  return undefined;
}

/** Options of {@link debiasOnRun}. */
export interface DebiasOnRunOptions {
  readonly loss: LossName;
  readonly seed: number;
  /** @default DEFAULT_DEBIAS_SETTINGS */
  readonly settings?: DebiasSettings;
  /** Run the four-way ablation (one more DPO stage and four evaluations). @default true */
  readonly ablation?: boolean;
}

/**
 * Runs the step on the run's latest stage and records it.
 * @returns the run with `stages.debias` and report.json's `debias` section
 * @throws Error when no stage has been trained
 */
export async function debiasOnRun(
  open: OpenRun,
  options: DebiasOnRunOptions,
): Promise<{ open: OpenRun; report: NonNullable<ReportInput<PipelineReport>['debias']> }> {
  const t0 = Date.now();
  const { dir, data, gemm, progress } = open;
  const settings = options.settings ?? DEFAULT_DEBIAS_SETTINGS;
  const latest = debiasBaseStage(open.run);
  if (latest === undefined)
    throw new Error(`${dir}: the de-biasing step needs a trained stage 1, 2 or 3`);
  const start = readStageParams(dir, latest.stage, { stored: latest.params, ...data });
  const ctx: DebiasContext = {
    data,
    loss: options.loss,
    seed: options.seed,
    gemm,
    departmentOf: departmentOfRun(open),
    progress,
  };
  progress?.({ stage: 'debias', message: `from ${latest.stage}: negatives, DPO, temperature` });
  const outcome = await debiasModel(ctx, start, settings);
  const final = outcome.calibrated.params;
  const metrics = await stageMetrics(final, data, gemm);
  const params = writeStageParams(dir, 'debias', {
    params: final,
    metadata: { from: latest.stage, temperature: outcome.calibrated.temperature },
  });
  const run = writeRunJson(dir, {
    ...open.run,
    stages: {
      ...open.run.stages,
      debias: {
        params,
        from: latest.stage,
        from_sha256: latest.params.sha256,
        temperature: outcome.calibrated.temperature,
        negatives: outcome.negatives.pairs.length,
        dpo_pairs: outcome.dpo?.pairs ?? 0,
        metrics,
        seconds: (Date.now() - t0) / 1000,
        finished_at: new Date().toISOString(),
      },
    },
  });
  const splits = {
    id_test: data.idTest,
    ood_test: data.oodTest,
    ...(data.farTest === undefined ? {} : { far_test: data.farTest }),
  };
  const common = { splits, maxOverRecall: settings.maxOverRecall, randomPairs: RANDOM_PAIRS };
  const ablation =
    options.ablation === false
      ? null
      : await debiasAblation(ctx, {
          ...{ start, outcome, ...common },
          dpo: settings.dpo ?? DEBIAS_DEFAULTS.dpo,
        });
  const { decision } = await validationFigures(ctx, final);
  const randomPairs = await randomPairCheck(ctx, final, {
    split: data.idTest,
    pairs: RANDOM_PAIRS,
    decision,
    catalogue: [...new Set(data.dataset.pairs.map((p) => p.item))],
  });
  const margin = await marginOperatingPointOf(
    { params: final, gemm, validation: data.idValidation },
    splits,
    { target: settings.maxOverRecall, seed: options.seed },
  );
  const byKind: Record<string, number> = {};
  for (const p of outcome.negatives.pairs) byKind[p.kind] = (byKind[p.kind] ?? 0) + 1;
  const report = {
    from: latest.stage,
    negatives: {
      ratio: settings.negatives.ratio,
      hard_share: settings.negatives.hardShare,
      count: outcome.negatives.pairs.length,
      by_kind: byKind,
    },
    dpo:
      settings.dpo === null || outcome.dpo === null
        ? null
        : {
            beta: settings.dpo.beta ?? DEBIAS_DEFAULTS.dpo.beta,
            epochs: settings.dpo.epochs ?? DEBIAS_DEFAULTS.dpo.epochs,
            pairs: outcome.dpo.pairs,
            steps: outcome.dpo.steps,
          },
    temperature: {
      value: outcome.calibrated.temperature,
      ece_before: outcome.calibrated.ece_before,
      ece_after: outcome.calibrated.ece_after,
    },
    operating_point: {
      max_over_recall: settings.maxOverRecall,
      margin: {
        decision: margin.decision,
        cap: margin.cap,
        level: margin.level,
        validation: margin.validation,
        splits: margin.splits,
      },
    },
    random_pairs: randomPairs,
    seconds: (Date.now() - t0) / 1000,
    ablation,
  };
  return { open: { ...open, run }, report };
}

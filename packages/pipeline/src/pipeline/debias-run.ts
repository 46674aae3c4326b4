/**
 * The de-biasing step on an open run folder: from its latest stage, negatives + DPO + temperature
 * (`debiasModel`), written as `params/debias.bin` and run.json's `stages.debias` (the stage `export` then
 * takes), plus report.json's `debias` section with the none / negatives / DPO / both ablation when asked.
 */
import type { ScorerParams } from '@gradeshift/core';

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
  shuffledPairCheck,
  validationFigures,
  type AblationSplits,
  type DebiasContext,
  type DebiasOutcome,
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

type DebiasSection = NonNullable<ReportInput<PipelineReport>['debias']>;

/** Writes the de-biased weights as `params/debias.bin` and run.json's `stages.debias`. */
async function recordDebiasStage(
  open: OpenRun,
  step: {
    from: NonNullable<ReturnType<typeof debiasBaseStage>>;
    outcome: DebiasOutcome;
    t0: number;
  },
): Promise<OpenRun['run']> {
  const { from, outcome, t0 } = step;
  const { dir, data, gemm } = open;
  const final = outcome.calibrated.params;
  const metrics = await stageMetrics(final, data, gemm);
  const params = writeStageParams(dir, 'debias', {
    params: final,
    metadata: { from: from.stage, temperature: outcome.calibrated.temperature },
  });
  return writeRunJson(dir, {
    ...open.run,
    stages: {
      ...open.run.stages,
      debias: {
        params,
        from: from.stage,
        from_sha256: from.params.sha256,
        temperature: outcome.calibrated.temperature,
        negatives: outcome.negatives.pairs.length,
        dpo_pairs: outcome.dpo?.pairs ?? 0,
        metrics,
        seconds: (Date.now() - t0) / 1000,
        finished_at: new Date().toISOString(),
      },
    },
  });
}

/** The settings and the step's own figures, as report.json's `debias` section words them. */
function stepSection(
  settings: DebiasSettings,
  outcome: DebiasOutcome,
): Pick<DebiasSection, 'negatives' | 'dpo' | 'temperature'> {
  const byKind: Record<string, number> = {};
  for (const p of outcome.negatives.pairs) byKind[p.kind] = (byKind[p.kind] ?? 0) + 1;
  const { dpo } = outcome;
  return {
    negatives: {
      ratio: settings.negatives.ratio,
      hard_share: settings.negatives.hardShare,
      count: outcome.negatives.pairs.length,
      by_kind: byKind,
    },
    dpo:
      settings.dpo === null || dpo === null
        ? null
        : {
            beta: settings.dpo.beta ?? DEBIAS_DEFAULTS.dpo.beta,
            epochs: settings.dpo.epochs ?? DEBIAS_DEFAULTS.dpo.epochs,
            pairs: dpo.pairs,
            steps: dpo.steps,
          },
    temperature: {
      value: outcome.calibrated.temperature,
      ece_before: outcome.calibrated.ece_before,
      ece_after: outcome.calibrated.ece_after,
    },
  };
}

/**
 * The de-biased model's checks: the random pairs (ID test queries) and the shuffled ID-validation pairs under its
 * default rule, and the margin operating point.
 */
async function stepChecks(
  ctx: DebiasContext,
  final: ScorerParams,
  options: { splits: AblationSplits; target: number },
) {
  const { splits, target } = options;
  const { data, gemm } = ctx;
  const { decision } = await validationFigures(ctx, final);
  const randomPairs = await randomPairCheck(ctx, final, {
    split: data.idTest,
    pairs: RANDOM_PAIRS,
    decision,
    catalogue: [...new Set(data.dataset.pairs.map((p) => p.item))],
  });
  const shuffledPairs = await shuffledPairCheck(ctx, final, {
    ...{ split: data.idValidation, pairs: RANDOM_PAIRS, decision },
  });
  const margin = await marginOperatingPointOf(
    { params: final, gemm, validation: data.idValidation },
    splits,
    { target, seed: ctx.seed },
  );
  const { decision: marginDecision, cap, level, validation } = margin;
  return {
    randomPairs,
    shuffledPairs,
    operatingPoint: {
      max_over_recall: target,
      margin: { decision: marginDecision, cap, level, validation, splits: margin.splits },
    },
  };
}

/**
 * Runs the step on the run's latest stage (3, else 2, else 1) and records it.
 * @returns the run with `stages.debias` and report.json's `debias` section
 * @throws Error when no stage has been trained
 */
export async function debiasOnRun(
  open: OpenRun,
  options: DebiasOnRunOptions,
): Promise<{ open: OpenRun; report: DebiasSection }> {
  const t0 = Date.now();
  const { dir, data, gemm, progress } = open;
  const settings = options.settings ?? DEFAULT_DEBIAS_SETTINGS;
  const latest = debiasBaseStage(open.run);
  if (latest === undefined)
    throw new Error(`${dir}: the de-biasing step needs a trained stage 1, 2 or 3`);
  const start = readStageParams(dir, latest.stage, { stored: latest.params, ...data });
  const ctx: DebiasContext = {
    ...{ data, loss: options.loss, seed: options.seed, gemm },
    departmentOf: departmentOfRun(open),
    progress,
  };
  const parts = settings.dpo === null ? 'negatives, temperature' : 'negatives, DPO, temperature';
  progress?.({ stage: 'debias', message: `from ${latest.stage}: ${parts}` });
  const outcome = await debiasModel(ctx, start, settings);
  const run = await recordDebiasStage(open, { from: latest, outcome, t0 });
  const splits = {
    id_test: data.idTest,
    ood_test: data.oodTest,
    ...(data.farTest === undefined ? {} : { far_test: data.farTest }),
  };
  const ablation =
    options.ablation === false
      ? null
      : await debiasAblation(ctx, {
          ...{ start, outcome, splits, maxOverRecall: settings.maxOverRecall },
          ...{ randomPairs: RANDOM_PAIRS, dpo: settings.dpo ?? DEBIAS_DEFAULTS.dpo },
        });
  const checks = await stepChecks(ctx, outcome.calibrated.params, {
    splits,
    target: settings.maxOverRecall,
  });
  const report: DebiasSection = {
    from: latest.stage,
    ...stepSection(settings, outcome),
    operating_point: checks.operatingPoint,
    random_pairs: checks.randomPairs,
    shuffled_validation_pairs: checks.shuffledPairs,
    seconds: (Date.now() - t0) / 1000,
    ablation,
  };
  return { open: { ...open, run }, report };
}

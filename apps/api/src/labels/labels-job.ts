/**
 * The `labels` job's result (what `jobs.get` returns for it) and the mapping of a labels run to it.
 */
import { z } from 'zod';

import type { TrainWithLabelsResult } from '@gradeshift/pipeline';

import { jobFields } from '../schemas';

const macroF1 = z.object({
  id_validation_macro_f1: z.number().nullable(),
  id_test_macro_f1: z.number().nullable(),
  ood_test_macro_f1: z.number().nullable(),
});

/** A finished labels job: the new run, the labels it trained on, and its stage 2/3 figures. */
export const labelsResult = z.object({
  runId: z.string().nullable(),
  name: z.string(),
  out: z.string(),
  fromRun: z.string(),
  labels: z.object({
    file: z.string(),
    sha256: z.string(),
    format: z.enum(['csv', 'jsonl', 'labelstudio']),
    count: z.number().int(),
    changed: z.number().int(),
  }),
  stage2: macroF1,
  stage3: z.object({ alpha: z.number(), metrics: macroF1 }).nullable(),
  seconds: z.number(),
});

/** A labels job as `jobs.get` returns it. */
export const labelsJobView = z.object({
  kind: z.literal('labels'),
  ...jobFields,
  result: labelsResult.nullable(),
});

/** A labels job's result. */
export type LabelsResult = z.infer<typeof labelsResult>;

const figure = (x: number) => (Number.isFinite(x) ? x : null);

function f1(m: TrainWithLabelsResult['metrics']): LabelsResult['stage2'] {
  return {
    id_validation_macro_f1: figure(m.id_validation_macro_f1),
    id_test_macro_f1: figure(m.id_test_macro_f1),
    ood_test_macro_f1: figure(m.ood_test_macro_f1),
  };
}

/**
 * The job result of a labels run.
 * @param trained - what trainWithLabels returned
 * @param fromRun - the run folder it came from
 */
export function labelsResultOf(trained: TrainWithLabelsResult, fromRun: string): LabelsResult {
  return {
    runId: trained.run.store?.run_id ?? null,
    name: trained.out.split(/[\\/]/).pop() ?? trained.out,
    out: trained.out,
    fromRun,
    labels: trained.labels,
    stage2: f1(trained.metrics),
    stage3:
      trained.stage3 === undefined
        ? null
        : { alpha: trained.stage3.alpha, metrics: f1(trained.stage3.metrics) },
    seconds: trained.seconds,
  };
}

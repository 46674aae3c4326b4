/**
 * A job as `jobs.get`, `jobs.list`, `evaluate` and `select` answer it: status, progress, and the result of its
 * kind when it finished; paths in it (in an error message) relative to the configured folders.
 */
import { STRATEGY_NAMES } from '@gradeshift/pipeline';
import { z } from 'zod';

import type { PathRoots } from '../../http/public-paths';
import { publicValue } from '../../http/public-paths';
import type { JobSnapshot } from '../../jobs/job-runner';
import { labelsJobView } from '../../labels/labels-job';
import { jobFields } from '../../schemas';

const intervalFigure = z.object({
  value: z.number().nullable(),
  lo: z.number().nullable(),
  hi: z.number().nullable(),
});
const evaluateResult = z.object({
  runId: z.string(),
  name: z.string(),
  pairs: z.number().int(),
  queries: z.number().int(),
  metrics: z.record(z.string(), intervalFigure),
  ood: z.record(
    z.string(),
    z.object({ flagRate: z.number(), threshold: z.number(), meanPercentile: z.number() }),
  ),
  /** External predictions: per OOD score, AUROC and FPR@95 of the reference against the file. */
  detection: z.record(z.string(), z.object({ auroc: z.number(), fprAtTpr: z.number() })).optional(),
  seconds: z.number(),
});
const candidate = z.object({
  rank: z.number().int(),
  poolIndex: z.number().int(),
  id: z.string(),
  query: z.string(),
  item: z.string(),
  reason: z.string(),
  details: z.record(z.string(), z.unknown()),
  expected: z.number(),
  predicted: z.string(),
  ood: z.record(z.string(), z.object({ score: z.number(), percentile: z.number() })),
});
const selectResult = z.object({
  strategy: z.enum(STRATEGY_NAMES),
  budget: z.number().int(),
  poolSize: z.number().int(),
  detectors: z.array(z.string()),
  candidates: z.array(candidate),
  stats: z.record(z.string(), z.unknown()),
  seconds: z.number(),
});

/** The schema of a job view. */
export const jobView = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('evaluate'), ...jobFields, result: evaluateResult.nullable() }),
  z.object({ kind: z.literal('select'), ...jobFields, result: selectResult.nullable() }),
  labelsJobView,
]);

/** A job as `jobs.get` returns it. */
export type JobView = z.infer<typeof jobView>;

/**
 * A job snapshot as clients see it: its error message, and a labels job's result (its run folder, source run and
 * labels file), with server paths made relative to the configured folders.
 */
export function toView(job: JobSnapshot, roots: PathRoots): JobView {
  const error = job.error === null ? null : publicValue(job.error, roots);
  // Only the labels result holds paths; other results hold pairs' texts, which are left as they are.
  const result = job.kind === 'labels' ? publicValue(job.result, roots) : job.result;
  return { ...job, error, result } as JobView;
}

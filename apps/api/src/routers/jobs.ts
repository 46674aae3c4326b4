/**
 * `evaluate` and `select` start jobs; `jobs.get` / `jobs.list` follow them (progress, then the result),
 * `jobs.cancel` stops one, and `jobs.export` turns a selection into CSV or JSONL for annotators. One file per
 * procedure under routers/jobs/, assembled here. Starting and cancelling jobs changes server state, so those calls
 * need the bearer token when one is set.
 */
import type { Limits } from '../limits';
import type { EvaluateResult } from '../work/evaluate-work';
import { evaluateProcedure } from './jobs/evaluate';
import { jobsRouter } from './jobs/job-queries';
import { selectProcedure } from './jobs/select';

export type { JobView } from './jobs/job-views';

/** The job procedures, with limits baked into their input schemas. */
export function jobProcedures(limits: Limits) {
  return { evaluate: evaluateProcedure(limits), select: selectProcedure(limits), jobs: jobsRouter };
}

export type { EvaluateResult };

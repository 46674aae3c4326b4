/**
 * The work behind `evaluate` and `select`, as a port: the routers validate input, confine paths and submit a
 * job; what the job does is one of these functions. The server fills the port with the pipeline's functions
 * (work/evaluate-work.ts, work/select-work.ts); tests may fill it with their own.
 */
import type { JobContext } from '../jobs/job-runner';
import type { ServedModel } from '../models/model-registry';
import type { EvaluateRequest, EvaluateResult } from './evaluate-work';
import type { SelectRequest, SelectResult } from './select-work';

/** What every piece of work gets besides its request. */
export interface WorkContext {
  /** The model leased for the job's whole duration. */
  readonly model: ServedModel;
  readonly job: JobContext;
}

/** The evaluate and select work. */
export interface JobWork {
  evaluate(request: EvaluateRequest, context: WorkContext): Promise<EvaluateResult>;
  select(request: SelectRequest, context: WorkContext): Promise<SelectResult>;
}

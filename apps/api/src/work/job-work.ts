/**
 * The work behind `evaluate`, `select` and `labels.train`, as a port: the routers validate input, confine paths
 * and submit a job; what the job does is one of these functions. The server fills the port with the pipeline's
 * functions (work/evaluate-work.ts, work/select-work.ts, work/labels-work.ts), each job in a thread; tests may
 * fill it with their own.
 */
import type { JobContext } from '../jobs/job-runner';
import type { LabelsResult } from '../labels/labels-job';
import type { ScorerModel } from '../models/model-kinds';
import type { EvaluateRequest, EvaluateResult } from './evaluate-work';
import type { LabelsRequest } from './labels-work';
import type { SelectRequest, SelectResult } from './select-work';

/** What every piece of work gets besides its request. */
export interface WorkContext {
  /** The model leased for the job's whole duration. */
  readonly model: ScorerModel;
  readonly job: JobContext;
}

/** The evaluate, select and labels work. */
export interface JobWork {
  evaluate(request: EvaluateRequest, context: WorkContext): Promise<EvaluateResult>;
  select(request: SelectRequest, context: WorkContext): Promise<SelectResult>;
  /** Stage 2/3 on checked labels; no model (it trains from the run folder). */
  labels(request: LabelsRequest, job: JobContext): Promise<LabelsResult>;
}

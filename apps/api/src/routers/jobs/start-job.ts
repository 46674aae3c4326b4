/**
 * Starts a job on a leased model: the lease is taken first, the input is checked against the model and the
 * files (check-job-input.ts) before anything starts, and the lease is held for the job's whole run (a reload
 * meanwhile does not change the model under it), released when the job ends or at once when it cannot start.
 */
import { asScorerModel, type ScorerModel } from '../../models/model-kinds';
import type { ApiContext } from '../../trpc';
import type { WorkContext } from '../../work/job-work';
import { toView, type JobView } from './job-views';

/** What {@link startJob} needs. */
export interface StartJobOptions {
  readonly kind: 'evaluate' | 'select';
  /** The model id asked for (default: the first served model). */
  readonly model: string | undefined;
  /** Checks the input against the leased model before the job starts (throws a 4xx error). */
  readonly check: (model: ScorerModel) => Promise<void> | void;
  /** The job's work. */
  readonly run: (context: WorkContext) => Promise<unknown>;
}

/**
 * Checks the input, then submits the job.
 * @returns the job as `jobs.get` shows it (status `running`)
 * @throws the check's error, or JobLimitError when `maxConcurrentJobs` run already
 */
export async function startJob(ctx: ApiContext, options: StartJobOptions): Promise<JobView> {
  const lease = ctx.services.registry.acquire(options.model);
  try {
    const model = asScorerModel(lease.model, options.kind);
    await options.check(model);
    const job = ctx.services.jobs.submit(options.kind, async (jobContext) => {
      try {
        return await options.run({ model, job: jobContext });
      } finally {
        lease.release();
      }
    });
    // Recorded in a shared store before the answer, so every replica knows the id the client gets.
    await ctx.services.jobs.recorded(job.id);
    ctx.log.info({ job: job.id, kind: job.kind, model: lease.model.id }, 'job started');
    return toView(job, ctx.services.publicPaths);
  } catch (error) {
    lease.release();
    throw error;
  }
}

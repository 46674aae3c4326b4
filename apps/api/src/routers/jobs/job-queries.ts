/**
 * `jobs.get`, `jobs.list`, `jobs.cancel` and `jobs.export`: following, stopping and exporting jobs. `jobs.list`
 * shows every client's jobs, so it needs the bearer token when one is set, as `jobs.cancel` does; `jobs.get` and
 * `jobs.export` need the job's id.
 */
import { TRPCError } from '@trpc/server';
import { z } from 'zod';

import { publicProcedure, router, stateProcedure } from '../../trpc';
import { exportCandidates } from '../../work/export-candidates';
import type { SelectResult } from '../../work/select-work';
import { jobView, toView } from './job-views';

const jobId = z.object({ id: z.string().min(1).max(64) });

function notFound(id: string): TRPCError {
  return new TRPCError({
    code: 'NOT_FOUND',
    message: `no job "${id.slice(0, 64)}" (finished jobs are kept only up to GRADESHIFT_JOB_RETENTION)`,
  });
}

/** The `jobs` router. */
export const jobsRouter = router({
  get: publicProcedure
    .input(jobId)
    .output(jobView)
    .query(async ({ input, ctx }) => {
      const job = await ctx.services.jobBoard.get(input.id);
      if (job === undefined) throw notFound(input.id);
      return toView(job, ctx.services.publicPaths);
    }),
  list: stateProcedure
    .output(z.array(jobView))
    .query(async ({ ctx }) =>
      (await ctx.services.jobBoard.list()).map((j) => toView(j, ctx.services.publicPaths)),
    ),
  cancel: stateProcedure
    .input(jobId)
    .output(z.object({ cancelled: z.boolean() }))
    .mutation(async ({ input, ctx }) => {
      const { jobBoard } = ctx.services;
      if ((await jobBoard.get(input.id)) === undefined) throw notFound(input.id);
      return { cancelled: await jobBoard.cancel(input.id) };
    }),
  export: publicProcedure
    .input(jobId.extend({ format: z.enum(['csv', 'jsonl']) }))
    .output(z.object({ filename: z.string(), contentType: z.string(), content: z.string() }))
    .query(async ({ input, ctx }) => {
      const job = await ctx.services.jobBoard.get(input.id);
      if (job === undefined) throw notFound(input.id);
      if (job.kind !== 'select' || job.status !== 'succeeded' || job.result === null)
        throw new TRPCError({
          code: 'PRECONDITION_FAILED',
          message: `job ${input.id} is not a finished selection (kind ${job.kind}, status ${job.status})`,
        });
      return exportCandidates(job.result as SelectResult, {
        format: input.format,
        jobId: job.id,
      });
    }),
});

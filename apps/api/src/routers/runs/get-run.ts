/**
 * `runs.get`: one run (by id or name) with its metrics, stages, artifacts and report.json through the run contract.
 */
import { runReportSchema } from '@gradeshift/pipeline';
import { z } from 'zod';

import { runId } from '../../schemas';
import { publicProcedure } from '../../trpc';
import { publicValue } from '../../http/public-paths';
import { metric, runRecord } from './run-schemas';

/** The `runs.get` procedure; `report` is checked by the run contract on the way out. */
export const getRun = publicProcedure
  .input(z.object({ id: runId }))
  .output(
    z.object({
      run: runRecord,
      metrics: z.array(metric),
      stages: z.array(
        z.object({
          stage: z.string(),
          startedAt: z.string(),
          finishedAt: z.string().nullable(),
          summary: z.unknown(),
        }),
      ),
      artifacts: z.array(
        z.object({
          kind: z.string(),
          path: z.string(),
          sha256: z.string().nullable().optional(),
          bytes: z.number().nullable().optional(),
        }),
      ),
      /** report.json through the run contract: one shape per run kind, a previous version upgraded. */
      report: runReportSchema.nullable(),
      /** Why the run's report.json could not be read (malformed, or a version this build refuses). */
      reportProblem: z.string().nullable(),
    }),
  )
  .query(async ({ input, ctx }) =>
    publicValue(await ctx.services.runs.get(input.id), ctx.services.publicPaths),
  );

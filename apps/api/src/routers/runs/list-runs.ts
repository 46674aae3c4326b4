/**
 * `runs.list`: the newest runs of the run store, optionally of one kind.
 */
import { z } from 'zod';

import { publicProcedure } from '../../trpc';
import { publicValue } from '../../http/public-paths';
import { runRecord } from './run-schemas';

/** The `runs.list` procedure. */
export const listRuns = publicProcedure
  .input(
    z
      .object({
        limit: z.number().int().min(1).max(1000).default(100),
        kind: z.string().max(64).optional(),
      })
      .default({ limit: 100 }),
  )
  .output(z.array(runRecord))
  .query(async ({ input, ctx }) =>
    publicValue(
      await ctx.services.runs.list({
        limit: input.limit,
        ...(input.kind === undefined ? {} : { kind: input.kind }),
      }),
      ctx.services.publicPaths,
    ),
  );

/**
 * `runs.compare`: two runs side by side, with a paired test over the queries both scored.
 */
import { z } from 'zod';

import { runId } from '../../schemas';
import { publicProcedure } from '../../trpc';
import { publicValue } from '../../http/public-paths';
import { runRecord } from './run-schemas';

/** The `runs.compare` procedure. */
export const compareRuns = publicProcedure
  .input(
    z.object({
      a: runId,
      b: runId,
      /** The split whose shared queries are paired. */
      split: z.string().min(1).max(64).default('ood_test'),
    }),
  )
  .output(
    z.object({
      a: runRecord,
      b: runRecord,
      metrics: z.array(
        z.object({
          stage: z.string(),
          split: z.string(),
          name: z.string(),
          a: z
            .object({ value: z.number(), lo: z.number().nullable(), hi: z.number().nullable() })
            .nullable(),
          b: z
            .object({ value: z.number(), lo: z.number().nullable(), hi: z.number().nullable() })
            .nullable(),
          difference: z.number().nullable(),
        }),
      ),
      paired: z
        .object({
          unit: z.string(),
          split: z.string(),
          queries: z.number().int(),
          meanA: z.number(),
          meanB: z.number(),
          meanDifference: z.number(),
          tTestP: z.number(),
          signFlipP: z.number(),
          bootstrapCi: z.tuple([z.number(), z.number()]),
        })
        .nullable(),
      note: z.string().nullable(),
    }),
  )
  .query(async ({ input, ctx }) =>
    publicValue(
      await ctx.services.runs.compare(input.a, input.b, { split: input.split }),
      ctx.services.publicPaths,
    ),
  );

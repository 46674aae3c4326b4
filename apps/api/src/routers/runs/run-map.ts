/**
 * `runs.map`: a pipeline run's 2-D map (map.json beside report.json: ID test, near and far OOD and pool points
 * projected once at pipeline time), read through the run contract. 404 when the run has none.
 */
import { shiftMapSchema } from '@gradeshift/pipeline';
import { z } from 'zod';

import { runId } from '../../schemas';
import { publicProcedure } from '../../trpc';

/** The `runs.map` procedure. */
export const runMap = publicProcedure
  .input(z.object({ id: runId }))
  .output(shiftMapSchema)
  .query(({ input, ctx }) => ctx.services.runs.map(input.id));

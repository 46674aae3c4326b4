/**
 * The app router: every procedure, with the limits in force baked into the input schemas.
 */
import type { Limits } from '../limits';
import { router } from '../trpc';
import { healthProcedure } from './health';
import { labelsProcedures } from '../labels/labels-procedures';
import { jobProcedures } from './jobs';
import { modelsRouter } from './models';
import { runsRouter } from './runs';
import { scoringProcedures } from './scoring';

/**
 * Creates the app router.
 * @param limits - the limits in force
 */
export function createAppRouter(limits: Limits) {
  const { score, rank } = scoringProcedures(limits);
  const { evaluate, select, jobs } = jobProcedures(limits);
  return router({
    score,
    rank,
    health: healthProcedure,
    models: modelsRouter,
    runs: runsRouter(limits),
    evaluate,
    select,
    jobs,
    labels: labelsProcedures(limits),
  });
}

/** The app router's type. */
export type AppRouter = ReturnType<typeof createAppRouter>;

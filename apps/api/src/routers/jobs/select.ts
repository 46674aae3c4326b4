/**
 * `select`: a pool (inline pairs, or a file in the data folder) scored through a served model, then the
 * candidates one selection strategy picks at a budget, as a job. Every input is checked before the job starts.
 */
import { dropUndefined } from '../../drop-undefined';
import type { Limits } from '../../limits';
import { stateProcedure } from '../../trpc';
import type { PoolSource } from '../../work/select-work';
import { checkDataFile, checkDetectors } from './check-job-input';
import { selectInput } from './job-inputs';
import { jobView } from './job-views';
import { startJob } from './start-job';

/**
 * The `select` procedure.
 * @param limits - the limits in force
 */
export function selectProcedure(limits: Limits) {
  return stateProcedure
    .input(selectInput(limits))
    .output(jobView)
    .mutation(async ({ input, ctx }) => {
      const { config, work } = ctx.services;
      const p = input.pool;
      let source: PoolSource | undefined;
      return startJob(ctx, {
        kind: 'select',
        model: input.model,
        check: async (model) => {
          if (input.strategy === 'distribution-aware') checkDetectors(input.detectors, model);
          if (p.pairs !== undefined) source = { kind: 'inline', pairs: p.pairs };
          else if (p.path !== undefined && p.columns !== undefined) {
            const path = await checkDataFile(p.path, {
              dataDir: config.dataDir,
              field: 'pool.path',
              columns: dropUndefined(p.columns),
              format: p.format,
            });
            source = { kind: 'file', path, given: p.path, format: p.format, columns: p.columns };
          }
        },
        run: (context) => {
          if (source === undefined) throw new Error('the pool was not checked');
          const { budget, strategy, seed, detectors, minPercentile } = input;
          return work.select(
            { pool: source, budget, strategy, seed, detectors, minPercentile },
            context,
          );
        },
      });
    });
}

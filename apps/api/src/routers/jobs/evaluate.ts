/**
 * `evaluate`: a labelled dataset (inline pairs, or a file in the data folder) scored through a served model as a
 * job whose result is a run. Every input is checked before the job starts (4xx naming the field).
 */
import { dropUndefined } from '../../drop-undefined';
import type { Limits } from '../../limits';
import { stateProcedure } from '../../trpc';
import type { DatasetSource } from '../../work/dataset-source';
import {
  checkDataFile,
  checkGradeMapping,
  checkInlineGrades,
  claimRunName,
} from './check-job-input';
import { jobInputs } from './job-inputs';
import { jobView } from './job-views';
import { startJob } from './start-job';

/**
 * The `evaluate` procedure.
 * @param limits - the limits in force
 */
export function evaluateProcedure(limits: Limits) {
  return stateProcedure
    .input(jobInputs(limits).evaluate)
    .output(jobView)
    .mutation(async ({ input, ctx }) => {
      const { config, work } = ctx.services;
      const d = input.dataset;
      let source: DatasetSource | undefined;
      const name = input.name ?? `evaluate-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      return startJob(ctx, {
        kind: 'evaluate',
        model: input.model,
        check: async (model) => {
          if (d.pairs !== undefined) {
            checkInlineGrades(d.pairs, model);
            source = { kind: 'inline', pairs: d.pairs };
          } else if (d.path !== undefined && d.columns !== undefined && d.grades !== undefined) {
            const columns = dropUndefined(d.columns);
            const grades = dropUndefined(d.grades);
            checkGradeMapping(grades, model);
            const path = await checkDataFile(d.path, {
              dataDir: config.dataDir,
              field: 'dataset.path',
              columns,
              format: d.format,
            });
            source = {
              kind: 'file',
              file: {
                path,
                given: d.path,
                format: d.format,
                columns,
                grades,
                onError: d.onError,
              },
            };
          }
          if (input.name !== undefined) claimRunName(input.name, ctx.services);
        },
        run: (context) => {
          if (source === undefined) throw new Error('the dataset was not checked');
          return work.evaluate({ dataset: source, name, resamples: input.resamples }, context);
        },
      });
    });
}

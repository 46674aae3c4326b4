/**
 * `labels.export`: a finished selection job as an annotation queue (`csv` with an empty label column, `jsonl`, or
 * `labelstudio`: the tasks to import plus the labelling config for the grade scale).
 */
import { TRPCError } from '@trpc/server';
import { z } from 'zod';

import {
  annotationCsv,
  annotationJsonl,
  labelStudioConfig,
  labelStudioTasks,
  type AnnotationTask,
} from '@gradeshift/pipeline';

import { publicProcedure } from '../trpc';
import type { SelectResult } from '../work/select-work';
import { LABELS_EXTENSIONS, labelsFormat } from './labels-format';
import { gradeNames } from '../models/model-kinds';

/** The annotation tasks of a selection job's candidates. */
function tasksOf(result: SelectResult): AnnotationTask[] {
  return result.candidates.map((c) => ({
    id: c.id,
    rank: c.rank,
    query: c.query,
    item: c.item,
    reason: c.reason,
    ood: c.ood,
  }));
}

/** `labels.export`: a finished selection job's candidates as an annotation file. */
export const exportLabelsProcedure = publicProcedure
  .input(z.object({ id: z.string().min(1).max(64), format: labelsFormat }))
  .output(
    z.object({
      filename: z.string(),
      contentType: z.string(),
      content: z.string(),
      /** Label Studio: the labelling config for the grade scale. */
      labelConfig: z.string().nullable(),
    }),
  )
  .query(async ({ input, ctx }) => {
    const job = await ctx.services.jobBoard.get(input.id);
    if (job?.kind !== 'select' || job.status !== 'succeeded' || job.result === null)
      throw new TRPCError({
        code: job === undefined ? 'NOT_FOUND' : 'PRECONDITION_FAILED',
        message: `job ${input.id.slice(0, 64)} is not a finished selection`,
      });
    const result = job.result as SelectResult;
    const tasks = tasksOf(result);
    const stem = `selection-${result.strategy}-${job.id.slice(0, 8)}`;
    if (input.format === 'labelstudio') {
      const { registry } = ctx.services;
      const model = registry.get(registry.defaultId ?? '');
      return {
        filename: `${stem}.labelstudio.json`,
        contentType: 'application/json',
        content: labelStudioTasks(tasks),
        labelConfig: labelStudioConfig(gradeNames(model)),
      };
    }
    const csv = input.format === 'csv';
    return {
      filename: `${stem}${LABELS_EXTENSIONS[input.format]}`,
      contentType: csv ? 'text/csv' : 'application/x-ndjson',
      content: csv ? annotationCsv(tasks) : annotationJsonl(tasks),
      labelConfig: null,
    };
  });

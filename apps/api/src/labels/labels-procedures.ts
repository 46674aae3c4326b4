/**
 * The annotation round trip over the API:
 * - `labels.export`: a finished selection job as an annotation queue (`csv` with an empty label column,
 *   `jsonl`, or `labelstudio`: the tasks to import plus the labelling config for the grade scale);
 * - `labels.train` (token): annotators' labels (a file in the data folder, or the file's content inline) for a
 *   run folder's selection, checked whole at once (a bad file is a 400 listing every `file:line: reason`, and
 *   no job starts), then stage 2/3 trained on them as a job of kind `labels` (`jobs.get` follows it) that
 *   writes a new run folder under the runs folder, linked to the run, its selection and the labels.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { TRPCError } from '@trpc/server';
import { z } from 'zod';

import {
  annotationCsv,
  annotationJsonl,
  isLabelsFileError,
  isRunFolderError,
  labelStudioConfig,
  labelStudioTasks,
  readRunLabels,
  trainWithLabels,
  type AnnotationTask,
  type LabelsFormat,
} from '@gradeshift/pipeline';

import { confinePath } from '../confine-path';
import type { Limits } from '../limits';
import { limitMessage } from '../limits';
import { seedSchema } from '../schemas';
import { publicProcedure, router, stateProcedure } from '../trpc';
import type { SelectResult } from '../work/select-work';
import { labelsJobView, labelsResultOf } from './labels-job';

const RUN_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/i;
const runName = z.string().regex(RUN_NAME, {
  error: 'a run name is 1-64 letters, digits, dots, dashes or underscores',
});
const format = z.enum(['csv', 'jsonl', 'labelstudio']);
const EXTENSIONS: Readonly<Record<LabelsFormat, string>> = {
  csv: '.csv',
  jsonl: '.jsonl',
  labelstudio: '.json',
};

/** A labels or run-folder problem as a client error, before any job starts. */
function clientError(error: unknown): unknown {
  if (isLabelsFileError(error))
    return new TRPCError({ code: 'BAD_REQUEST', message: error.message });
  if (isRunFolderError(error)) {
    const code =
      error.code === 'NOT_FOUND'
        ? 'NOT_FOUND'
        : error.code === 'STEP_MISSING'
          ? 'PRECONDITION_FAILED'
          : 'UNPROCESSABLE_CONTENT';
    return new TRPCError({ code, message: `run ${error.reason}; ${error.hint}` });
  }
  return error;
}

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

/** The labels procedures, with limits baked into their input schemas. */
export function labelsProcedures(limits: Limits) {
  const train = stateProcedure
    .input(
      z.object({
        /** A run folder under the runs folder, with stage 1 and a selection. */
        run: runName,
        labels: z.union([
          z.object({ path: z.string().min(1).max(1024), format: format.optional() }),
          z.object({
            content: z
              .string()
              .min(1)
              .max(limits.maxBodyBytes, {
                error: limitMessage('maxBodyBytes', limits.maxBodyBytes),
              }),
            format,
          }),
        ]),
        /** The new run's folder name. @default <run>-labels-<time> */
        name: runName.optional(),
        seed: seedSchema,
        epochs: z.number().int().min(1).max(1000).optional(),
      }),
    )
    .output(labelsJobView)
    .mutation(({ input, ctx }) => {
      const { config, jobs } = ctx.services;
      const runDir = confinePath(input.run, { root: config.runsDir, field: 'run' });
      const name =
        input.name ?? `${input.run}-labels-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      const out = join(config.runsDir, name);
      if (existsSync(out))
        throw new TRPCError({ code: 'CONFLICT', message: `name: a run "${name}" already exists` });
      let scratch: string | undefined;
      let labels: string;
      if ('path' in input.labels) {
        labels = confinePath(input.labels.path, { root: config.dataDir, field: 'labels.path' });
      } else {
        scratch = mkdtempSync(join(tmpdir(), 'gradeshift-labels-'));
        labels = join(scratch, `labels${EXTENSIONS[input.labels.format]}`);
        writeFileSync(labels, input.labels.content);
      }
      const { format: given } = input.labels;
      const cleanUp = () => {
        if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
      };
      try {
        readRunLabels(runDir, { labels, format: given });
      } catch (error) {
        cleanUp();
        throw clientError(error);
      }
      const job = jobs.submit('labels', async (job) => {
        try {
          const trained = await trainWithLabels(runDir, {
            labels,
            out,
            seed: input.seed,
            hyperparameters: input.epochs === undefined ? {} : { epochs: input.epochs },
            ...(given === undefined ? {} : { format: given }),
            progress: (event) => job.progress(event),
          });
          return labelsResultOf(trained, runDir);
        } finally {
          cleanUp();
        }
      });
      ctx.log.info({ job: job.id, kind: job.kind, run: input.run, out }, 'job started');
      return labelsJobView.parse(job);
    });

  const exportQueue = publicProcedure
    .input(z.object({ id: z.string().min(1).max(64), format }))
    .output(
      z.object({
        filename: z.string(),
        contentType: z.string(),
        content: z.string(),
        /** Label Studio: the labelling config for the grade scale. */
        labelConfig: z.string().nullable(),
      }),
    )
    .query(({ input, ctx }) => {
      const job = ctx.services.jobs.get(input.id);
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
          labelConfig: labelStudioConfig(model.manifest.grades.map((g) => g.name)),
        };
      }
      const csv = input.format === 'csv';
      return {
        filename: `${stem}${EXTENSIONS[input.format]}`,
        contentType: csv ? 'text/csv' : 'application/x-ndjson',
        content: csv ? annotationCsv(tasks) : annotationJsonl(tasks),
        labelConfig: null,
      };
    });

  return router({ train, export: exportQueue });
}

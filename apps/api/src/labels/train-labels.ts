/**
 * `labels.train` (token): annotators' labels (a file in the data folder, or the file's content inline) for a run
 * folder's selection, checked whole at once (a bad file is a 400 listing every `file:line: reason`, and no job
 * starts), then stage 2/3 trained on them as a job of kind `labels` (`jobs.get` follows it, `jobs.cancel` stops
 * it), in a job thread (work/threaded-work.ts), that writes a new run folder under the runs folder, linked to the
 * run, its selection and the labels. An inline labels file is removed when the job ends, however it ends.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { TRPCError } from '@trpc/server';
import { z } from 'zod';

import {
  defaultRunStorePath,
  isLabelsFileError,
  isRunFolderError,
  readRunLabels,
} from '@gradeshift/pipeline';

import { confinePath } from '../confine-path';
import { dropUndefined } from '../drop-undefined';
import type { ApiConfig } from '../env';
import { limitMessage, type Limits } from '../limits';
import { runName, seedSchema } from '../schemas';
import { stateProcedure } from '../trpc';
import { LABELS_EXTENSIONS, labelsFormat } from './labels-format';
import type { LabelsRequest } from '../work/labels-work';
import { labelsJobView } from './labels-job';

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

/** The `labels.train` input, with the body limit baked in. */
function trainInput(limits: Limits) {
  return z.object({
    /** A run folder under the runs folder, with stage 1 and a selection. */
    run: runName,
    labels: z.union([
      z.object({ path: z.string().min(1).max(1024), format: labelsFormat.optional() }),
      z.object({
        content: z
          .string()
          .min(1)
          .max(limits.maxBodyBytes, {
            error: limitMessage('maxBodyBytes', limits.maxBodyBytes),
          }),
        format: labelsFormat,
      }),
    ]),
    /** The new run's folder name. @default <run>-labels-<time> */
    name: runName.optional(),
    seed: seedSchema,
    epochs: z.number().int().min(1).max(1000).optional(),
  });
}

type TrainInput = z.infer<ReturnType<typeof trainInput>>;

/**
 * The labels file to read: a file of the data folder, or the inline content written to a scratch folder
 * (`cleanUp` removes it; a no-op for a data-folder file).
 */
function labelsFile(
  labels: TrainInput['labels'],
  config: ApiConfig,
): { path: string; cleanUp: () => void } {
  if ('path' in labels)
    return {
      path: confinePath(labels.path, { root: config.dataDir, field: 'labels.path' }),
      cleanUp: () => undefined,
    };
  const scratch = mkdtempSync(join(tmpdir(), 'gradeshift-labels-'));
  const path = join(scratch, `labels${LABELS_EXTENSIONS[labels.format]}`);
  writeFileSync(path, labels.content);
  return { path, cleanUp: () => rmSync(scratch, { recursive: true, force: true }) };
}

/**
 * `labels.train`, with the limits baked into its input schema.
 * @param limits - the limits in force
 */
export function trainLabelsProcedure(limits: Limits) {
  return stateProcedure
    .input(trainInput(limits))
    .output(labelsJobView)
    .mutation(async ({ input, ctx }) => {
      const { config, jobs, work } = ctx.services;
      const runDir = confinePath(input.run, { root: config.runsDir, field: 'run' });
      const name =
        input.name ?? `${input.run}-labels-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      const out = join(config.runsDir, name);
      if (existsSync(out))
        throw new TRPCError({ code: 'CONFLICT', message: `name: a run "${name}" already exists` });
      const { path: labels, cleanUp } = labelsFile(input.labels, config);
      const { format } = input.labels;
      let request: LabelsRequest;
      try {
        const { run } = readRunLabels(runDir, { labels, format });
        request = {
          runDir,
          labels,
          out,
          // Where trainWithLabels records the new run.
          storePath: run.store?.path ?? defaultRunStorePath(out),
          ...dropUndefined({ format, seed: input.seed, epochs: input.epochs }),
        };
      } catch (error) {
        cleanUp();
        throw clientError(error);
      }
      let job;
      try {
        job = jobs.submit('labels', async (context) => {
          try {
            return await work.labels(request, context);
          } finally {
            cleanUp();
          }
        });
      } catch (error) {
        cleanUp();
        throw error;
      }
      await jobs.recorded(job.id);
      ctx.log.info({ job: job.id, kind: job.kind, run: input.run, out }, 'job started');
      return labelsJobView.parse(job);
    });
}

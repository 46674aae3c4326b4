/**
 * `evaluate`: a labelled dataset (inline pairs, or a file in the data folder) scored through a served model as a
 * job whose result is a run; or `predictions`: the outputs of a model that runs elsewhere (a JSONL file of the data
 * folder) judged against an ID reference file there, the same kind of run. Every input is checked before the
 * job starts (4xx naming the field).
 */
import { createGradeMapper } from '@gradeshift/pipeline';

import { confinePath } from '../../confine-path';
import { dropUndefined } from '../../drop-undefined';
import type { Limits } from '../../limits';
import type { ScorerModel } from '../../models/model-kinds';
import { stateProcedure } from '../../trpc';
import { WorkInputError, type DatasetSource } from '../../work/dataset-source';
import type { EvaluateRequest, PredictionsSource } from '../../work/evaluate-work';
import {
  checkDataFile,
  checkGradeMapping,
  checkInlineGrades,
  claimRunName,
} from './check-job-input';
import { evaluateInput, type EvaluateInput } from './job-inputs';
import { jobView } from './job-views';
import { startJob } from './start-job';

/** The two files of an external-predictions evaluation, confined to the data folder and their first line checked. */
async function checkPredictions(
  predictions: NonNullable<EvaluateInput['predictions']>,
  dataDir: string,
): Promise<PredictionsSource> {
  // The first line must hold the pair's texts and its grade; readPredictionFile checks the rest as it reads.
  const columns = { query: 'query', item: 'item', label: 'grade' };
  const check = (given: string, field: string) =>
    checkDataFile(given, { dataDir, field, columns, format: 'jsonl' });
  if (predictions.grades !== undefined) {
    try {
      createGradeMapper(dropUndefined(predictions.grades));
    } catch (error) {
      throw new WorkInputError(
        `predictions.grades: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  // .npy matrices are confined here; readNpy checks their header, shape and rows when the job reads them.
  const npy = (given: string | undefined, field: string) =>
    given === undefined
      ? {}
      : { [field]: confinePath(given, { root: dataDir, field: `predictions.${field}` }) };
  return {
    path: await check(predictions.path, 'predictions.path'),
    reference: await check(predictions.reference, 'predictions.reference'),
    given: { path: predictions.path, reference: predictions.reference },
    ...(predictions.grades === undefined ? {} : { mapping: dropUndefined(predictions.grades) }),
    ...npy(predictions.embeddings, 'embeddings'),
    ...npy(predictions.referenceEmbeddings, 'referenceEmbeddings'),
  };
}

/** A labelled dataset of the request, checked against the model. */
async function checkDataset(
  d: NonNullable<EvaluateInput['dataset']>,
  model: ScorerModel,
  dataDir: string,
): Promise<DatasetSource | undefined> {
  if (d.pairs !== undefined) {
    checkInlineGrades(d.pairs, model);
    return { kind: 'inline', pairs: d.pairs };
  }
  if (d.path === undefined || d.columns === undefined || d.grades === undefined) return undefined;
  const columns = dropUndefined(d.columns);
  const grades = dropUndefined(d.grades);
  checkGradeMapping(grades, model);
  const path = await checkDataFile(d.path, {
    dataDir,
    field: 'dataset.path',
    columns,
    format: d.format,
  });
  return {
    kind: 'file',
    file: { path, given: d.path, format: d.format, columns, grades, onError: d.onError },
  };
}

/**
 * The `evaluate` procedure.
 * @param limits - the limits in force
 */
export function evaluateProcedure(limits: Limits) {
  return stateProcedure
    .input(evaluateInput(limits))
    .output(jobView)
    .mutation(async ({ input, ctx }) => {
      const { config, work } = ctx.services;
      let request: EvaluateRequest | undefined;
      const name = input.name ?? `evaluate-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      const { resamples } = input;
      return startJob(ctx, {
        kind: 'evaluate',
        model: input.model,
        check: async (model) => {
          if (input.predictions !== undefined) {
            const predictions = await checkPredictions(input.predictions, config.dataDir);
            request = { predictions, name, resamples };
          } else if (input.dataset !== undefined) {
            const dataset = await checkDataset(input.dataset, model, config.dataDir);
            if (dataset !== undefined) request = { dataset, name, resamples };
          }
          if (input.name !== undefined) await claimRunName(input.name, ctx.services);
        },
        run: (context) => {
          if (request === undefined) throw new Error('the dataset was not checked');
          return work.evaluate(request, context);
        },
      });
    });
}

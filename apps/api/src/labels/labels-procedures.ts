/**
 * The annotation round trip over the API, one file per procedure:
 * - `labels.export` (export-labels.ts): a finished selection job as an annotation queue;
 * - `labels.train` (train-labels.ts, token): annotators' labels for a run folder's selection, then stage 2/3
 *   trained on them as a job of kind `labels`.
 */
import type { Limits } from '../limits';
import { router } from '../trpc';
import { exportLabelsProcedure } from './export-labels';
import { trainLabelsProcedure } from './train-labels';

/** The labels procedures, with limits baked into their input schemas. */
export function labelsProcedures(limits: Limits) {
  return router({ train: trainLabelsProcedure(limits), export: exportLabelsProcedure });
}

/**
 * The work behind `labels.train`, run in a job thread: stage 2/3 trained on annotators' labels (already checked by
 * the router) into a new run folder, and what is left of that folder when a cancelled job's thread is terminated.
 */
import { existsSync, rmSync } from 'node:fs';
import { basename } from 'node:path';

import {
  openRunStore,
  removeTempFiles,
  trainWithLabels,
  type LabelsFormat,
  type RunStore,
} from '@gradeshift/pipeline';

import type { JobContext } from '../jobs/job-runner';
import { labelsResultOf, type LabelsResult } from '../labels/labels-job';

/** A `labels.train` job, its paths resolved and its labels file checked. */
export interface LabelsRequest {
  /** The run folder trained from (absolute). */
  readonly runDir: string;
  /** The labels file (absolute; a scratch file for inline labels, which the router removes). */
  readonly labels: string;
  /** The labels file's format when its name does not tell. */
  readonly format?: LabelsFormat;
  /** The new run folder (absolute; did not exist when the job was accepted). */
  readonly out: string;
  /** The run store the new run is recorded in (the source run's). */
  readonly storePath: string;
  readonly seed?: number;
  readonly epochs?: number;
}

/**
 * Trains a labels run.
 * @param request - the checked request
 * @param job - where progress goes
 * @returns the job result (the new run, the labels, stage 2/3 figures)
 */
export async function labelsWork(request: LabelsRequest, job: JobContext): Promise<LabelsResult> {
  const trained = await trainWithLabels(request.runDir, {
    labels: request.labels,
    out: request.out,
    ...(request.seed === undefined ? {} : { seed: request.seed }),
    hyperparameters: request.epochs === undefined ? {} : { epochs: request.epochs },
    ...(request.format === undefined ? {} : { format: request.format }),
    progress: (event) => job.progress(event),
  });
  return labelsResultOf(trained, request.runDir);
}

/**
 * Marks the newest run named `name` interrupted when it is still running, and removes its temporary files.
 * @param store - the run store it is recorded in
 * @param name - the run's name
 * @param reason - why it stopped
 */
export function interruptRun(store: RunStore, name: string, reason: string): void {
  const run = store.listRuns({ limit: 10_000 }).find((r) => r.name === name);
  // Called only after a cancel: a run the stop made fail (its onnxruntime calls refused by the native guard) was
  // interrupted too.
  if (run === undefined || (run.status !== 'running' && run.status !== 'failed')) return;
  store.finishRun(run.id, { status: 'interrupted', error: reason });
  removeTempFiles(run.outDir);
}

/**
 * After a labels job's thread was terminated: its run, once recorded, is marked interrupted (its folder stays,
 * without temporary files, as an interrupted evaluate run's does); a folder made before the run was recorded is
 * removed, so the name is free again.
 * @param request - the job's request
 * @param reason - why it stopped
 */
export function interruptLabelsRun(request: LabelsRequest, reason: string): void {
  const name = basename(request.out);
  const store = existsSync(request.storePath) ? openRunStore(request.storePath) : undefined;
  try {
    const recorded = store
      ?.listRuns({ limit: 10_000 })
      .some((r) => r.name === name && r.outDir === request.out);
    if (store !== undefined && recorded === true) interruptRun(store, name, reason);
    else rmSync(request.out, { recursive: true, force: true });
  } finally {
    store?.close();
  }
}

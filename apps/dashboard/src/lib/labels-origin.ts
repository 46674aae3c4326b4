/**
 * Where a run of kind `labels` came from, read from its run-store config (written by the pipeline's
 * `trainWithLabels`): the run whose selection was annotated, and the labels file.
 */

/** The origin of a labels run. */
export interface LabelsOrigin {
  /** The run-store id of the annotated run, when it was recorded. */
  readonly fromRunId: string | null;
  /** Its folder. */
  readonly fromDir: string;
  /** The labels file as given. */
  readonly labelsFile: string;
}

const record = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;

/**
 * The origin of a run from its kind and config, or undefined for other runs.
 * @param run - kind and config as `runs.list` returns them
 */
export function labelsOrigin(run: { kind: string; config?: unknown }): LabelsOrigin | undefined {
  if (run.kind !== 'labels') return undefined;
  const from = record(record(run.config)?.['from_run']);
  const labels = record(record(run.config)?.['labels']);
  const file = labels?.['file'];
  const dir = from?.['dir'];
  if (typeof file !== 'string' || typeof dir !== 'string') return undefined;
  const id = from?.['id'];
  return { fromRunId: typeof id === 'string' ? id : null, fromDir: dir, labelsFile: file };
}

/** The last part of a path. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}

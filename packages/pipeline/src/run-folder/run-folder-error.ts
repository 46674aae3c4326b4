/**
 * The error of a run-folder step: a closed `code`, the path concerned, what is wrong and what to do next (the
 * command to run, usually). Shaped like `BundleError` and `DataError`, so the CLI maps codes to exit codes.
 */

/** Machine-readable kind of a {@link RunFolderError}. */
export type RunFolderErrorCode =
  /** The folder or its run.json does not exist. */
  | 'NOT_FOUND'
  /** run.json is not a gradeshift run file, or a field is missing or malformed. */
  | 'INVALID_RUN'
  /** report.json is not a gradeshift report, or a field is missing or malformed. */
  | 'INVALID_REPORT'
  /** run.json or report.json was written by a format version this build neither reads nor upgrades. */
  | 'VERSION_MISMATCH'
  /** The folder already holds a run (or the bundle folder exists) and overwriting was not asked for. */
  | 'ALREADY_EXISTS'
  /** The step needs an earlier one that has not run (stage 2 before selection, export before training…). */
  | 'STEP_MISSING'
  /** The data file, or the splits built from it, differ from those the run was prepared with. */
  | 'DATA_CHANGED'
  /** A parameters file is damaged, truncated, of another version or for another model. */
  | 'INVALID_PARAMS'
  /** selection.jsonl is damaged or does not match the run's pool. */
  | 'INVALID_SELECTION';

/** Options for {@link RunFolderError}. */
export interface RunFolderErrorOptions {
  cause?: unknown;
  /** What to do next. @default a hint chosen by `code` */
  hint?: string;
}

const HINTS: Readonly<Record<RunFolderErrorCode, string>> = {
  NOT_FOUND: 'create the run first: gradeshift prepare … --out <dir>',
  INVALID_RUN: 'run.json is damaged or was edited by hand: prepare the run again',
  INVALID_REPORT:
    'report.json is damaged or was edited by hand: run the command that wrote it again',
  VERSION_MISMATCH:
    'use the gradeshift version that wrote the run, or prepare the run again with this version',
  ALREADY_EXISTS: 'pass --overwrite to replace it, or choose another folder',
  STEP_MISSING: 'run the earlier steps first',
  DATA_CHANGED:
    'restore the data file the run was prepared from, or prepare a new run from the current file',
  INVALID_PARAMS: 'train the stage again (gradeshift train --run <dir> --stage …)',
  INVALID_SELECTION: 'run the selection again (gradeshift select --run <dir>)',
};

/** A run folder that cannot be used for a step; `message` = `${path}: ${reason}; ${hint}`. */
export class RunFolderError extends Error {
  readonly code: RunFolderErrorCode;
  /** The folder or file concerned. */
  readonly path: string;
  /** What is wrong, without the path and hint. */
  readonly reason: string;
  /** What to do next. */
  readonly hint: string;

  constructor(
    code: RunFolderErrorCode,
    where: { path: string; reason: string },
    options: RunFolderErrorOptions = {},
  ) {
    const hint = options.hint ?? HINTS[code];
    super(
      `${where.path}: ${where.reason}; ${hint}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'RunFolderError';
    this.code = code;
    this.path = where.path;
    this.reason = where.reason;
    this.hint = hint;
  }
}

/** `true` when `value` is a {@link RunFolderError} (optionally with the given code). */
export function isRunFolderError(
  value: unknown,
  code?: RunFolderErrorCode,
): value is RunFolderError {
  return value instanceof RunFolderError && (code === undefined || value.code === code);
}

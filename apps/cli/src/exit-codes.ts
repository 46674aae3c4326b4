/**
 * Exit codes of the `gradeshift` command and the mapping from error kinds to codes and messages.
 * Codes above 2 follow BSD `sysexits.h` (EX_DATAERR 65, EX_NOINPUT 66, EX_SOFTWARE 70, EX_CANTCREAT 73) and the shell's
 * 128 + SIGINT convention (130), so scripts and CI can tell bad data from a missing file from a bug.
 *
 * @see https://man.freebsd.org/cgi/man.cgi?query=sysexits
 */
import { isCoreError } from '@gradeshift/core';
import { isOodError } from '@gradeshift/ood';
import {
  isBundleError,
  isDataError,
  isLabelsFileError,
  isRunFolderError,
  type RunFolderErrorCode,
} from '@gradeshift/pipeline';

import { InputMissingError, InterruptedError, NotAvailableError, UsageError } from './cli-errors';

/** Every exit code the CLI uses. */
export const EXIT_CODES = Object.freeze({
  /** Success. */
  OK: 0,
  /** An unexpected error (a bug, or an error kind the CLI does not know). */
  UNEXPECTED: 1,
  /** A malformed command line. */
  USAGE: 2,
  /** Bad input data (a `DataError`: malformed row, missing column, unknown label…; a damaged model bundle). */
  DATA_ERROR: 65,
  /** An input file or folder is missing or unreadable. */
  NO_INPUT: 66,
  /** An internal error of a library, or a subcommand whose backend is not available yet. */
  INTERNAL: 70,
  /** An output already exists and replacing it was not asked for (a run folder, a bundle folder). */
  CANT_CREATE: 73,
  /** Interrupted by the user (SIGINT, 128 + 2). */
  INTERRUPTED: 130,
} as const);

/** One of {@link EXIT_CODES}. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** How a failure is reported: the exit code, one line saying what happened, and what to do next. */
export interface FailureReport {
  readonly code: ExitCode;
  readonly message: string;
  readonly hint?: string;
}

const BUG_HINT =
  'this looks like a bug in gradeshift; rerun with GRADESHIFT_DEBUG=1 to see the stack trace and report it';

/** `true` for a Node system error whose code says the path does not exist or cannot be read. */
function isMissingFileError(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return error instanceof Error && (code === 'ENOENT' || code === 'EACCES' || code === 'ENOTDIR');
}

/**
 * Exit code of each run-folder problem: a missing folder or earlier step is missing input (66), an existing
 * output is EX_CANTCREAT (73), a damaged or changed file is bad data (65).
 */
const RUN_FOLDER_CODES: Readonly<Record<RunFolderErrorCode, ExitCode>> = {
  NOT_FOUND: EXIT_CODES.NO_INPUT,
  STEP_MISSING: EXIT_CODES.NO_INPUT,
  ALREADY_EXISTS: EXIT_CODES.CANT_CREATE,
  INVALID_RUN: EXIT_CODES.DATA_ERROR,
  INVALID_REPORT: EXIT_CODES.DATA_ERROR,
  VERSION_MISMATCH: EXIT_CODES.DATA_ERROR,
  DATA_CHANGED: EXIT_CODES.DATA_ERROR,
  INVALID_PARAMS: EXIT_CODES.DATA_ERROR,
  INVALID_SELECTION: EXIT_CODES.DATA_ERROR,
};

/** The first line of a message (library messages are one line; causes may not be). */
function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? text;
}

/**
 * Maps anything thrown by a command to its exit code and the text to print.
 * @param error - the thrown value
 * @returns the code, a one-line message and a hint
 */
export function describeFailure(error: unknown): FailureReport {
  if (error instanceof UsageError) {
    const help = `gradeshift ${error.command === undefined ? '' : `${error.command} `}--help`;
    return { code: EXIT_CODES.USAGE, message: error.message, hint: `see \`${help}\`` };
  }
  if (error instanceof InterruptedError)
    return { code: EXIT_CODES.INTERRUPTED, message: error.message };
  if (error instanceof NotAvailableError)
    return {
      code: EXIT_CODES.INTERNAL,
      message: error.message,
      hint: 'use `gradeshift pipeline`, which runs every step in one go',
    };
  if (error instanceof InputMissingError)
    return { code: EXIT_CODES.NO_INPUT, message: error.message, hint: error.hint };
  if (isDataError(error)) {
    const where = error.line === undefined ? error.file : `${error.file}:${error.line}`;
    return {
      code: error.code === 'FILE_NOT_READABLE' ? EXIT_CODES.NO_INPUT : EXIT_CODES.DATA_ERROR,
      message: `${where}: ${error.reason} [${error.code}]`,
      hint: error.hint,
    };
  }
  if (isBundleError(error))
    return {
      code:
        error.code === 'NOT_FOUND' || error.code === 'MISSING_FILE'
          ? EXIT_CODES.NO_INPUT
          : EXIT_CODES.DATA_ERROR,
      message: `${error.path}: ${error.reason} [${error.code}]`,
      hint: error.hint,
    };
  if (isLabelsFileError(error))
    return {
      code: EXIT_CODES.DATA_ERROR,
      message: error.message,
      hint: 'correct the rows named above (ids and labels as in the exported queue, one grade per task) and run again',
    };
  if (isRunFolderError(error))
    return {
      code: RUN_FOLDER_CODES[error.code],
      message: `${error.path}: ${error.reason} [${error.code}]`,
      hint: error.hint,
    };
  if (isMissingFileError(error))
    return {
      code: EXIT_CODES.NO_INPUT,
      message: firstLine(error.message),
      hint: 'check the path (relative paths resolve against the working directory) and its permissions',
    };
  if (isCoreError(error) || isOodError(error))
    return {
      code: EXIT_CODES.INTERNAL,
      message: `${firstLine(error.message)} [${error.code}]`,
      hint: BUG_HINT,
    };
  // A TypeError escaping a library is a programmer error. A RangeError may also be an option value the data
  // cannot satisfy (the split functions report an unknown held-out category that way), so its hint hedges.
  if (error instanceof TypeError)
    return { code: EXIT_CODES.UNEXPECTED, message: firstLine(error.message), hint: BUG_HINT };
  if (error instanceof RangeError)
    return {
      code: EXIT_CODES.UNEXPECTED,
      message: firstLine(error.message),
      hint: 'check the options against the data; if the message names neither, rerun with GRADESHIFT_DEBUG=1 and report it',
    };
  if (error instanceof Error)
    return {
      code: EXIT_CODES.UNEXPECTED,
      message: firstLine(error.message),
      hint: 'rerun with GRADESHIFT_DEBUG=1 to see the stack trace',
    };
  return {
    code: EXIT_CODES.UNEXPECTED,
    message: `non-error thrown: ${String(error)}`,
    hint: BUG_HINT,
  };
}

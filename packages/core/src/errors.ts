/**
 * Domain errors of `@gradeshift/core`, shaped like tRPC's `TRPCError`: a closed `code` union and a `cause`.
 * Programmer errors (wrong shape, NaN input) are `TypeError` / `RangeError`; see `math/check.ts`.
 */
export type CoreErrorCode =
  | 'SHAPE_MISMATCH'
  | 'INVALID_ARGUMENT'
  | 'NOT_POSITIVE_DEFINITE'
  | 'MODEL_LOAD_FAILED'
  | 'MODEL_RUN_FAILED'
  | 'BACKEND_UNAVAILABLE'
  | 'UNSUPPORTED'
  | 'VERSION_MISMATCH';

/** Options for {@link CoreError}. */
export interface CoreErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
}

/** An error raised by `@gradeshift/core`, with a machine-readable `code`. */
export class CoreError extends Error {
  readonly code: CoreErrorCode;

  constructor(code: CoreErrorCode, message: string, options: CoreErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CoreError';
    this.code = code;
  }
}

/** `true` when `value` is a {@link CoreError} (optionally with the given code). */
export function isCoreError(value: unknown, code?: CoreErrorCode): value is CoreError {
  return value instanceof CoreError && (code === undefined || value.code === code);
}

/** Throws for a value that should be impossible; use in the `default` of an exhaustive switch. */
export function exhaustiveSwitchError(value: never): never {
  throw new TypeError(`Unhandled case: ${String(value)}`);
}

/**
 * Domain errors of `@gradeshift/ood`, with a closed `code` union (tRPC `TRPCError` shape).
 * Shape errors in kernels stay `TypeError` / `RangeError`.
 */
export type OodErrorCode =
  | 'NOT_FITTED'
  | 'NOT_POSITIVE_DEFINITE'
  | 'VERSION_MISMATCH'
  | 'INVALID_STATE'
  | 'SHAPE_MISMATCH'
  | 'INSUFFICIENT_DATA';

/** An error raised by `@gradeshift/ood`. */
export class OodError extends Error {
  readonly code: OodErrorCode;

  constructor(code: OodErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OodError';
    this.code = code;
  }
}

/** `true` when `value` is an {@link OodError} (optionally with the given code). */
export function isOodError(value: unknown, code?: OodErrorCode): value is OodError {
  return value instanceof OodError && (code === undefined || value.code === code);
}

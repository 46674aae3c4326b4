/** The error of a run request that cannot be answered. */

/** Why a run request cannot be answered. */
export type RunErrorCode = 'RUN_NOT_FOUND' | 'NO_PREDICTIONS' | 'BAD_QUERY';

/** A run request that cannot be answered (`RUN_NOT_FOUND`, `NO_PREDICTIONS` → 404; `BAD_QUERY` → 400). */
export class RunError extends Error {
  readonly code: RunErrorCode;

  constructor(code: RunErrorCode, message: string) {
    super(message);
    this.name = 'RunError';
    this.code = code;
  }
}

/** The error of a run request that cannot be answered. */
import { CodedError } from '../coded-error';

/** Why a run request cannot be answered. */
export type RunErrorCode =
  'RUN_NOT_FOUND' | 'NO_PREDICTIONS' | 'NO_MAP' | 'INVALID_MAP' | 'BAD_QUERY';

/**
 * A run request that cannot be answered (`RUN_NOT_FOUND`, `NO_PREDICTIONS`, `NO_MAP` → 404; `BAD_QUERY` → 400;
 * `INVALID_MAP` → 422).
 */
export class RunError extends CodedError<RunErrorCode> {
  constructor(code: RunErrorCode, message: string) {
    super('RunError', code, message);
  }
}

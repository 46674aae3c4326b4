/**
 * The one place where library errors become API errors: each domain error code maps to a tRPC code (and so an
 * HTTP status). Client mistakes are 4xx with the library's reason and hint; only what is left is a 500, with the
 * detail kept in the server log rather than sent to the client.
 */
import { TRPCError } from '@trpc/server';

import { isCoreError, type CoreErrorCode } from '@gradeshift/core';
import { isOodError, type OodErrorCode } from '@gradeshift/ood';
import { isBundleError, isDataError, type BundleErrorCode } from '@gradeshift/pipeline';

import { PathError, type PathErrorCode } from './confine-path';
import { JobLimitError } from './jobs/job-runner';
import { UnknownModelError } from './models/model-registry';
import { RunError, type RunErrorCode } from './runs/run-error';
import { WorkInputError } from './work/dataset-source';

type TrpcCode = TRPCError['code'];

const BUNDLE_CODES: Readonly<Record<BundleErrorCode, TrpcCode>> = {
  NOT_FOUND: 'NOT_FOUND',
  NOT_A_BUNDLE: 'UNPROCESSABLE_CONTENT',
  MISSING_FILE: 'UNPROCESSABLE_CONTENT',
  INVALID_MANIFEST: 'UNPROCESSABLE_CONTENT',
  VERSION_MISMATCH: 'UNPROCESSABLE_CONTENT',
  CHECKSUM_MISMATCH: 'UNPROCESSABLE_CONTENT',
  MODEL_LOAD_FAILED: 'UNPROCESSABLE_CONTENT',
  MODEL_MISMATCH: 'UNPROCESSABLE_CONTENT',
};

const CORE_CODES: Readonly<Record<CoreErrorCode, TrpcCode>> = {
  SHAPE_MISMATCH: 'BAD_REQUEST',
  INVALID_ARGUMENT: 'BAD_REQUEST',
  NOT_POSITIVE_DEFINITE: 'UNPROCESSABLE_CONTENT',
  MODEL_LOAD_FAILED: 'UNPROCESSABLE_CONTENT',
  MODEL_RUN_FAILED: 'INTERNAL_SERVER_ERROR',
  BACKEND_UNAVAILABLE: 'INTERNAL_SERVER_ERROR',
  UNSUPPORTED: 'BAD_REQUEST',
  VERSION_MISMATCH: 'UNPROCESSABLE_CONTENT',
};

const OOD_CODES: Readonly<Record<OodErrorCode, TrpcCode>> = {
  NOT_FITTED: 'INTERNAL_SERVER_ERROR',
  NOT_POSITIVE_DEFINITE: 'UNPROCESSABLE_CONTENT',
  VERSION_MISMATCH: 'UNPROCESSABLE_CONTENT',
  INVALID_STATE: 'UNPROCESSABLE_CONTENT',
  SHAPE_MISMATCH: 'BAD_REQUEST',
  INSUFFICIENT_DATA: 'UNPROCESSABLE_CONTENT',
};

const RUN_CODES: Readonly<Record<RunErrorCode, TrpcCode>> = {
  RUN_NOT_FOUND: 'NOT_FOUND',
  NO_PREDICTIONS: 'NOT_FOUND',
  NO_MAP: 'NOT_FOUND',
  INVALID_MAP: 'UNPROCESSABLE_CONTENT',
  BAD_QUERY: 'BAD_REQUEST',
};

const PATH_CODES: Readonly<Record<PathErrorCode, TrpcCode>> = {
  INVALID_PATH: 'BAD_REQUEST',
  OUTSIDE_ROOT: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
};

/**
 * The tRPC error for anything thrown while serving a call.
 * @param error - what was thrown
 * @returns a TRPCError with the mapped code, a client-facing message and the original as `cause`
 */
export function toTrpcError(error: unknown): TRPCError {
  if (error instanceof TRPCError) {
    // A procedure's own throw arrives wrapped as INTERNAL_SERVER_ERROR: map its cause instead.
    return error.code === 'INTERNAL_SERVER_ERROR' && error.cause !== undefined
      ? mapDomainError(error.cause, error)
      : error;
  }
  return mapDomainError(error, undefined);
}

function mapDomainError(error: unknown, fallback: TRPCError | undefined): TRPCError {
  const make = (code: TrpcCode, message: string) => new TRPCError({ code, message, cause: error });
  if (error instanceof TRPCError) return error;
  if (error instanceof UnknownModelError) return make('NOT_FOUND', error.message);
  if (error instanceof PathError) return make(PATH_CODES[error.code], error.message);
  if (error instanceof JobLimitError) return make('TOO_MANY_REQUESTS', error.message);
  if (error instanceof RunError) return make(RUN_CODES[error.code], error.message);
  if (error instanceof WorkInputError) return make('BAD_REQUEST', error.message);
  if (isBundleError(error))
    // The message names the file (made relative to the configured folders by the error formatter).
    return make(BUNDLE_CODES[error.code], `bundle ${error.code}: ${error.message}`);
  if (isDataError(error)) {
    const code = error.code === 'FILE_NOT_READABLE' ? 'NOT_FOUND' : 'BAD_REQUEST';
    return make(code, error.message);
  }
  if (isCoreError(error)) return make(CORE_CODES[error.code], error.message);
  if (isOodError(error)) return make(OOD_CODES[error.code], error.message);
  return (
    fallback ??
    new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'internal error', cause: error })
  );
}

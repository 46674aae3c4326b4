/**
 * Errors answered by the HTTP layer itself (before tRPC runs: body too large, too many batched calls, a
 * foreign origin, an unknown path, shutting down), in the same envelope tRPC uses, so every client parses one
 * shape.
 */
import type { ServerResponse } from 'node:http';

import { TRPC_ERROR_CODES_BY_KEY, type TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';

import type { LimitInfo } from '../limits';

const STATUS: Partial<Record<TRPC_ERROR_CODE_KEY, number>> = {
  BAD_REQUEST: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_SUPPORTED: 405,
  PAYLOAD_TOO_LARGE: 413,
  SERVICE_UNAVAILABLE: 503,
};

/** An error the HTTP layer answers. */
export interface HttpErrorOptions {
  code: TRPC_ERROR_CODE_KEY;
  message: string;
  requestId: string;
  limit?: LimitInfo;
}

/**
 * Writes a tRPC-shaped error response and ends it.
 * @param res - the response (headers not sent yet)
 * @param error - code, message, request id and the limit concerned
 */
export function sendError(res: ServerResponse, error: HttpErrorOptions): void {
  const httpStatus = STATUS[error.code] ?? 500;
  const body = JSON.stringify({
    error: {
      message: error.message,
      code: TRPC_ERROR_CODES_BY_KEY[error.code],
      data: {
        code: error.code,
        httpStatus,
        path: null,
        requestId: error.requestId,
        issues: null,
        limit: error.limit ?? null,
      },
    },
  });
  res.statusCode = httpStatus;
  res.setHeader('content-type', 'application/json');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}

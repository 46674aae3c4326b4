/**
 * Errors of the rerank-compatible endpoints, in the shape each vendor's clients parse: Cohere `{message}` (its SDK
 * and the Vercel AI SDK's Cohere provider read `message`), Jina `{detail}`, TEI `{error, error_type}`. The status
 * and message come from the same mapping as the tRPC procedures (errors.ts, limits.ts), and every body also
 * carries `limit` (the limit concerned, or null) and `requestId`, which those clients ignore.
 */
import type { ServerResponse } from 'node:http';

import type { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { Logger } from 'pino';
import { ZodError } from 'zod';

import { toTrpcError } from '../errors';
import { limitOfMessage, type LimitInfo } from '../limits';
import { BodyError } from './read-json-body';

/** Whose error shape to answer in. */
export type Vendor = 'cohere' | 'jina' | 'tei';

/** An error as the endpoints answer it. */
export interface RerankError {
  readonly status: number;
  readonly message: string;
  readonly limit: LimitInfo | null;
}

function zodMessage(error: ZodError): string {
  const issues = error.issues.map(
    (i) => `${i.path.map(String).join('.') || '(body)'}: ${i.message}`,
  );
  return `invalid input: ${issues.join('; ')}`;
}

/**
 * The status, message and limit of anything thrown while serving a rerank call.
 * @param error - what was thrown
 * @param log - where a server-side failure's detail goes (never to the client)
 */
export function rerankErrorOf(error: unknown, log: Logger): RerankError {
  if (error instanceof BodyError)
    return { status: error.status, message: error.message, limit: error.limit ?? null };
  if (error instanceof ZodError) {
    const message = zodMessage(error);
    return { status: 400, message, limit: limitOfMessage(message) ?? null };
  }
  const mapped: TRPCError = toTrpcError(error);
  const status = getHTTPStatusCodeFromError(mapped);
  if (status >= 500) {
    log.error({ err: mapped.cause ?? mapped }, mapped.message);
    return { status, message: 'internal error', limit: null };
  }
  return { status, message: mapped.message, limit: limitOfMessage(mapped.message) ?? null };
}

function teiType(status: number): string {
  if (status === 429) return 'Overloaded';
  if (status >= 500) return 'Backend';
  if (status === 401 || status === 403) return 'Unauthorized';
  return 'Validation';
}

/**
 * Writes `error` in `vendor`'s shape. TEI answers validation errors with 422, as TEI does.
 * @param res - the response (headers not sent yet)
 * @param vendor - whose shape
 * @param error - status, message, limit and the request's id
 */
export function sendVendorError(
  res: ServerResponse,
  vendor: Vendor,
  error: RerankError & { requestId: string },
): void {
  const { message, limit, requestId } = error;
  let status = error.status;
  let body: Record<string, unknown>;
  if (vendor === 'cohere') body = { id: requestId, message };
  else if (vendor === 'jina') body = { detail: message };
  else {
    if (status === 400) status = 422;
    body = { error: message, error_type: teiType(status) };
  }
  const text = JSON.stringify({ ...body, limit, requestId });
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
}

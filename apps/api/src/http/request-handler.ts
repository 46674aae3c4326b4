/**
 * The node:http request listener in front of tRPC: a request id on every request (the client's `x-request-id`
 * when it is sane, else a new UUID), CORS, the limits tRPC cannot name for us (body size from Content-Length,
 * calls per batch, a POST body read bounded and strictly UTF-8), the Host allow-list when no token is set (DNS
 * rebinding), `GET /healthz`, refusal during shutdown, and one structured log line per request.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

import type { Logger } from 'pino';

import { limitInfo, limitMessage, type Limits } from '../limits';
import { applyCors } from './cors';
import { sendError } from './error-response';
import { hostAllowed } from './host-check';
import { readBody } from './read-body';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The request id of a request (`x-request-id` when it is 1-128 word characters, else a new UUID). */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

const ids = new WeakMap<IncomingMessage, string>();

/** The request id assigned to `req` by the handler. */
export function assignedRequestId(req: IncomingMessage): string {
  return ids.get(req) ?? requestIdOf(req);
}

/** Options of {@link createRequestHandler}. */
export interface RequestHandlerOptions {
  /** The tRPC listener, mounted at `/trpc/`. */
  trpc: RequestListener;
  limits: Limits;
  corsOrigins: readonly string[];
  logger: Logger;
  /** True once shutdown began: new requests get 503. */
  isClosing: () => boolean;
  /** The body of `GET /healthz` and whether the server is healthy. */
  health: () => { ok: boolean; body: Record<string, unknown> };
  /** Host names answered besides loopback ones; `undefined`: any Host (a token is set). */
  allowedHosts: readonly string[] | undefined;
  /** Routes served beside `/trpc/` (the rerank-compatible endpoints): true when the request was taken. */
  routes?: (req: IncomingMessage, res: ServerResponse, requestId: string) => boolean;
}

/** Reads a POST body (bounded, strict UTF-8) into `req.body` for tRPC, or answers the refusal. */
async function bodyThenTrpc(
  req: IncomingMessage,
  res: ServerResponse,
  options: { trpc: RequestListener; limits: Limits; requestId: string },
): Promise<void> {
  const { limits, requestId } = options;
  const body = await readBody(req, limits.maxBodyBytes);
  if (body.ok) {
    (req as IncomingMessage & { body?: string }).body = body.text;
    options.trpc(req, res);
    return;
  }
  res.setHeader('connection', 'close');
  if (body.reason === 'too-large')
    sendError(res, {
      code: 'PAYLOAD_TOO_LARGE',
      message: `request body too large: ${limitMessage('maxBodyBytes', limits.maxBodyBytes)}`,
      requestId,
      limit: limitInfo('maxBodyBytes', limits.maxBodyBytes),
    });
  else
    sendError(res, {
      code: 'BAD_REQUEST',
      message: `request body is not valid UTF-8 (first invalid byte near offset ${body.offset}); send JSON encoded as UTF-8`,
      requestId,
    });
}

function tooManyCalls(url: URL, path: string, limit: number): boolean {
  return url.searchParams.get('batch') === '1' && path.split(',').length > limit;
}

/**
 * Creates the request listener.
 * @param options - the tRPC listener, limits, CORS origins, logger, shutdown flag and health probe
 */
export function createRequestHandler(options: RequestHandlerOptions): RequestListener {
  const { trpc, limits, corsOrigins, logger, isClosing, health, allowedHosts } = options;
  return (req: IncomingMessage, res: ServerResponse) => {
    const t0 = performance.now();
    const requestId = requestIdOf(req);
    ids.set(req, requestId);
    res.setHeader('x-request-id', requestId);
    const url = new URL(req.url ?? '/', 'http://localhost');
    res.once('finish', () => {
      const fields = {
        requestId,
        method: req.method,
        path: url.pathname,
        status: res.statusCode,
        ms: Math.round((performance.now() - t0) * 10) / 10,
      };
      if (res.statusCode >= 500) logger.error(fields, 'request');
      else logger.info(fields, 'request');
    });
    if (isClosing()) {
      res.setHeader('connection', 'close');
      sendError(res, {
        code: 'SERVICE_UNAVAILABLE',
        message: 'the server is shutting down',
        requestId,
      });
      return;
    }
    if (allowedHosts !== undefined && !hostAllowed(req.headers.host, allowedHosts)) {
      sendError(res, {
        code: 'FORBIDDEN',
        message: `host ${String(req.headers.host).slice(0, 200)} is not allowed: without GRADESHIFT_API_TOKEN the server answers only loopback names and GRADESHIFT_ALLOWED_HOSTS (protection against DNS rebinding)`,
        requestId,
      });
      return;
    }
    const cors = applyCors(req, res, corsOrigins);
    if (cors === 'refuse') {
      sendError(res, {
        code: 'FORBIDDEN',
        message: `origin ${String(req.headers.origin).slice(0, 200)} is not allowed (set GRADESHIFT_CORS_ORIGINS)`,
        requestId,
      });
      return;
    }
    if (cors === 'preflight') {
      res.statusCode = 204;
      res.end();
      return;
    }
    if (url.pathname === '/healthz') {
      const { ok, body } = health();
      const text = JSON.stringify(body);
      res.statusCode = ok ? 200 : 503;
      res.setHeader('content-type', 'application/json');
      res.setHeader('cache-control', 'no-store');
      res.end(text);
      return;
    }
    if (options.routes?.(req, res, requestId) === true) return;
    if (!url.pathname.startsWith('/trpc/')) {
      sendError(res, {
        code: 'NOT_FOUND',
        message: `no route ${url.pathname.slice(0, 200)}: procedures are served under /trpc/<name>, health at /healthz`,
        requestId,
      });
      return;
    }
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > limits.maxBodyBytes) {
      // Refuse before reading; close the connection so the unread body is not parsed as the next request.
      res.setHeader('connection', 'close');
      sendError(res, {
        code: 'PAYLOAD_TOO_LARGE',
        message: `request body of ${length} bytes: ${limitMessage('maxBodyBytes', limits.maxBodyBytes)}`,
        requestId,
        limit: limitInfo('maxBodyBytes', limits.maxBodyBytes),
      });
      return;
    }
    if (tooManyCalls(url, url.pathname.slice('/trpc/'.length), limits.maxBatchCalls)) {
      sendError(res, {
        code: 'BAD_REQUEST',
        message: `too many calls in one batch: ${limitMessage('maxBatchCalls', limits.maxBatchCalls)}`,
        requestId,
        limit: limitInfo('maxBatchCalls', limits.maxBatchCalls),
      });
      return;
    }
    if (req.method === 'POST')
      bodyThenTrpc(req, res, { trpc, limits, requestId }).catch(() => {
        if (!res.headersSent) res.statusCode = 400;
        res.end();
      });
    else trpc(req, res);
  };
}

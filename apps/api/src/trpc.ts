/**
 * tRPC set-up: the context every call gets, the error formatter (validation issues and limits spelt out), and
 * the two procedure kinds: `publicProcedure`, and `stateProcedure` for calls that change server state
 * (`models.reload`, `evaluate`, `select`), which require the bearer token when one is configured.
 */
import { timingSafeEqual } from 'node:crypto';

import { initTRPC, TRPCError } from '@trpc/server';
import type { Logger } from 'pino';
import { ZodError } from 'zod';

import { toTrpcError } from './errors';
import { publicText } from './http/public-paths';
import { limitInfo, limitMessage, limitOfMessage, type LimitInfo } from './limits';
import type { ApiServices } from './services';

/** What every call sees. */
export interface ApiContext {
  readonly services: ApiServices;
  readonly requestId: string;
  /** The request's logger (carries `requestId`). */
  readonly log: Logger;
  /** The `Authorization` header, if any. */
  readonly authorization: string | undefined;
}

/** One validation problem: where in the input, and what is wrong. */
export interface InputIssue {
  /** Dotted path into the input (`items.3.text`); empty for the input itself. */
  readonly path: string;
  readonly message: string;
}

type ZodIssue = ZodError['issues'][number];

/**
 * The issues to report. An input that matches no branch of a union reports the nearest branch (the one with the
 * fewest issues), so `{ pairs: [...6000] }` says which limit it broke rather than "Invalid input".
 */
function flatIssues(issues: readonly ZodIssue[], prefix: readonly PropertyKey[]): InputIssue[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const nearest = issue.errors.reduce((best, branch) =>
        branch.length < best.length ? branch : best,
      );
      if (nearest.length > 0) return flatIssues(nearest, path);
    }
    return [{ path: path.map(String).join('.'), message: issue.message }];
  });
}

function issuesOf(error: ZodError): InputIssue[] {
  return flatIssues(error.issues, []);
}

const t = initTRPC.context<ApiContext>().create({
  // Stack traces stay in the server log, never in responses.
  isDev: false,
  errorFormatter({ shape, error, ctx }) {
    const issues = error.cause instanceof ZodError ? issuesOf(error.cause) : undefined;
    let message = shape.message;
    let limit: LimitInfo | undefined;
    if (issues !== undefined) {
      message = `invalid input: ${issues.map((i) => `${i.path || '(input)'}: ${i.message}`).join('; ')}`;
      limit = issues.map((i) => limitOfMessage(i.message)).find((l) => l !== undefined);
    } else if (error.code === 'PAYLOAD_TOO_LARGE') {
      const value = ctx?.services.config.limits.maxBodyBytes;
      if (value !== undefined) {
        limit = limitInfo('maxBodyBytes', value);
        message = `request body too large: ${limitMessage('maxBodyBytes', value)}`;
      }
    } else {
      limit = limitOfMessage(message);
    }
    const roots = ctx?.services.publicPaths;
    return {
      ...shape,
      // No answer names the server's folders (http/public-paths.ts).
      message: roots === undefined ? message : publicText(message, roots),
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        requestId: ctx?.requestId ?? null,
        issues: issues ?? null,
        limit: limit ?? null,
      },
    };
  },
});

/** The router factory. */
export const router = t.router;

/** Maps library errors to API errors (errors.ts) after every call. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) throw toTrpcError(result.error);
  return result;
});

/** A call anyone may make. */
export const publicProcedure = t.procedure.use(mapErrors);

function tokenMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer (.+)$/i.exec(header ?? '');
  if (match?.[1] === undefined) return false;
  const given = Buffer.from(match[1]);
  const wanted = Buffer.from(token);
  // Constant time in the token's content; the length check leaks only the length.
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** A call that changes server state: needs `Authorization: Bearer <GRADESHIFT_API_TOKEN>` when a token is set. */
export const stateProcedure = publicProcedure.use(({ ctx, next }) => {
  const token = ctx.services.config.token;
  if (token !== undefined && !tokenMatches(ctx.authorization, token)) {
    throw new TRPCError({
      code: 'UNAUTHORIZED',
      message:
        ctx.authorization === undefined
          ? 'this call changes server state: send Authorization: Bearer <token>'
          : 'the bearer token is not valid',
    });
  }
  return next();
});

/** Server-side callers for tests and scripts (`createCaller(router)(context)`). */
export const createCallerFactory = t.createCallerFactory;

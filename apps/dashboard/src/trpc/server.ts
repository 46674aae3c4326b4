/**
 * The API's typed tRPC client for server components, route handlers and server actions: one per process,
 * built from the validated environment. The browser never talks to the API directly.
 */
import type { AppRouter, RouterOutputs } from '@gradeshift/api';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';

import { readEnv } from '../env';

/** The typed client. */
export type ApiClient = ReturnType<typeof createTRPCClient<AppRouter>>;
export type { RouterOutputs };

let client: { url: string; api: ApiClient } | undefined;

/** The API client and the URL it talks to. */
export function getApi(): { url: string; api: ApiClient } {
  if (client !== undefined) return client;
  const env = readEnv();
  const api = createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${env.apiUrl}/trpc`,
        maxItems: 16,
        headers: () =>
          env.apiToken === undefined ? {} : { authorization: `Bearer ${env.apiToken}` },
      }),
    ],
  });
  client = { url: env.apiUrl, api };
  return client;
}

/** Whether an error means the API could not be reached at all (as opposed to answering with an error). */
export function isUnreachable(error: unknown): boolean {
  if (!(error instanceof TRPCClientError)) return false;
  const data = (error as TRPCClientError<AppRouter>).data;
  return data === undefined || data === null;
}

/** The API's own error code (`NOT_FOUND`, `BAD_REQUEST`…), if it answered with one. */
export function apiErrorCode(error: unknown): string | undefined {
  if (!(error instanceof TRPCClientError)) return undefined;
  const data = (error as TRPCClientError<AppRouter>).data as { code?: unknown } | undefined;
  return typeof data?.code === 'string' ? data.code : undefined;
}

/**
 * A real API server for tests: temporary models, data and runs folders, two small bundles (`default` and
 * `alt`), a labelled CSV in the data folder, listening on 127.0.0.1 at a free port, with a typed tRPC client.
 * @internal
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createTRPCClient, httpBatchLink, httpLink, TRPCClientError } from '@trpc/client';
import { pino, type Logger } from 'pino';

import { createApi, type Api, type CreateApiOptions } from '../create-api';
import { readConfig } from '../env';
import type { AppRouter } from '../routers/index';
import { TEST_QUERIES, testItem, writeTestBundle } from './create-test-bundle';
import { createTestDatabase } from './postgres-databases';

/** A running test server. @internal */
export interface TestServer {
  readonly api: Api;
  readonly url: string;
  readonly root: string;
  readonly dirs: { models: string; data: string; runs: string };
  /** A typed client (batching link); `token` adds the bearer header. */
  client(options?: {
    token?: string;
    batch?: boolean;
  }): ReturnType<typeof createTRPCClient<AppRouter>>;
  /** Log lines written by the server (JSON objects). */
  readonly logs: Record<string, unknown>[];
  /** Closes the server and removes the folders. */
  close(): Promise<void>;
}

/** Options of {@link startTestServer}. @internal */
export interface StartTestServerOptions {
  /** Extra environment variables (limits, token, CORS…). */
  env?: Record<string, string>;
  /** Replaces the evaluate/select work. */
  work?: CreateApiOptions['work'];
  /** Replaces the bundle loader. */
  load?: CreateApiOptions['load'];
}

/** A labelled CSV of the test vocabulary: 10 queries × 8 items, grades 0-2. @internal */
export function testCsv(): string {
  const lines = ['id,query,title,label'];
  let id = 0;
  for (const query of TEST_QUERIES) {
    for (let j = 0; j < 8; j++) {
      id += 1;
      lines.push(`${id},${query},${testItem(id * 7)},${(id + j) % 3}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function captureLogger(logs: Record<string, unknown>[]): Logger {
  return pino(
    { level: 'debug' },
    {
      write(line: string) {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  );
}

/**
 * Starts a server on 127.0.0.1 at a free port.
 * @param options - environment overrides and ports to replace
 * @internal
 */
export async function startTestServer(options: StartTestServerOptions = {}): Promise<TestServer> {
  const root = mkdtempSync(join(tmpdir(), 'gradeshift-api-'));
  const dirs = { models: join(root, 'models'), data: join(root, 'data'), runs: join(root, 'runs') };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  await writeTestBundle({ dir: join(dirs.models, 'default'), seed: 1 });
  // The second model records a fitted rule (grade offsets), so its predicted grade can differ from the most probable.
  await writeTestBundle({
    dir: join(dirs.models, 'alt'),
    seed: 2,
    decision: { kind: 'grade-offsets', offsets: [0, 0.8, -0.8] },
  });
  writeFileSync(join(dirs.data, 'judged.csv'), testCsv());
  // With GRADESHIFT_TEST_STORE=postgres (postgres-global-setup.ts), each server gets a database of its own.
  const adminUrl = process.env['GRADESHIFT_TEST_POSTGRES'];
  if (process.env['GRADESHIFT_TEST_STORE'] === 'postgres' && adminUrl === undefined)
    throw new Error(
      'GRADESHIFT_TEST_STORE=postgres, but no cluster was started (vitest globalSetup)',
    );
  const database =
    adminUrl === undefined || options.env?.['GRADESHIFT_STORE'] !== undefined
      ? undefined
      : await createTestDatabase(adminUrl);
  const config = readConfig(
    {
      PORT: '0',
      HOST: '127.0.0.1',
      GRADESHIFT_MODELS: `default=${join(dirs.models, 'default')},alt=${join(dirs.models, 'alt')}`,
      GRADESHIFT_MODELS_DIR: dirs.models,
      GRADESHIFT_DATA_DIR: dirs.data,
      GRADESHIFT_RUNS_DIR: dirs.runs,
      GRADESHIFT_SHUTDOWN_TIMEOUT_MS: '5000',
      // Scoring on the HTTP thread unless a test asks for worker threads (startup stays fast, traces stay local).
      GRADESHIFT_SCORING_THREADS: '0',
      ...(database === undefined ? {} : { GRADESHIFT_STORE: database.url }),
      ...options.env,
    },
    root,
  );
  const logs: Record<string, unknown>[] = [];
  const api = await createApi(config, {
    logger: captureLogger(logs),
    ...(options.work === undefined ? {} : { work: options.work }),
    ...(options.load === undefined ? {} : { load: options.load }),
  });
  if (database !== undefined && api.services.runs.backend.kind !== 'postgres')
    throw new Error(
      'GRADESHIFT_TEST_STORE=postgres, but the server does not read runs from PostgreSQL',
    );
  const { url } = await api.listen();
  return {
    api,
    url,
    root,
    dirs,
    logs,
    client: ({ token, batch = true } = {}) => {
      const link = (batch ? httpBatchLink : httpLink)({
        url: `${url}/trpc`,
        headers: () => (token === undefined ? {} : { authorization: `Bearer ${token}` }),
      });
      return createTRPCClient<AppRouter>({ links: [link] });
    },
    close: async () => {
      await api.close();
      await database?.drop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** POSTs JSON (or raw text) and returns the status and parsed body. @internal */
export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever JSON came back and assert on it
): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: the raw text is returned.
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

/** The error data every API error carries (see trpc.ts). @internal */
export interface ClientErrorData {
  readonly code: string;
  readonly httpStatus: number;
  readonly requestId: string | null;
  readonly issues: readonly { path: string; message: string }[] | null;
  readonly limit: { name: string; value: number; env: string } | null;
}

/** Awaits a call that must fail and returns its message and error data. @internal */
export async function rejection(
  call: Promise<unknown>,
): Promise<{ message: string; data: ClientErrorData | undefined }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof TRPCClientError)
      return { message: error.message, data: error.data as ClientErrorData | undefined };
    throw error;
  }
  throw new Error('expected the call to fail');
}

/**
 * The server's configuration, read from the environment and checked with zod before anything starts: a bad
 * value stops start-up with one line per variable naming it, what it holds and what is expected.
 * Relative paths resolve against the repository root, so `npm run api` and `npm run start -w @gradeshift/api`
 * see the same folders.
 */
import { isAbsolute, resolve } from 'node:path';

import { z } from 'zod';

import { LIMITS, type LimitName, type Limits } from './limits';

/** The repository root (apps/api/src → ../../..). */
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');

/** A model served under an id, from a bundle folder. */
export interface ModelSource {
  readonly id: string;
  readonly dir: string;
}

/** Log levels of pino. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Everything the server needs to start. */
export interface ApiConfig {
  /** @default 4000 */
  readonly port: number;
  /** @default '127.0.0.1' */
  readonly host: string;
  /** Models loaded at start-up; the first is the default of `score`/`rank`. */
  readonly models: readonly ModelSource[];
  /** Folder under which `models.reload` may point at a bundle. */
  readonly modelsDir: string;
  /** Folder of dataset and pool files that `evaluate` and `select` may read. */
  readonly dataDir: string;
  /** Folder where `evaluate` writes its runs. */
  readonly runsDir: string;
  /** The run store file: this process's runs are written here (evaluate and labels jobs, the CLI). */
  readonly runStorePath: string;
  /**
   * A PostgreSQL database (`postgres://…`) shared by several replicas: runs are read from it, the runs of the file
   * are copied into it, and `models.reload` is announced through it. Unset: the file is the store, as one process.
   */
  readonly sharedStore: string | undefined;
  /**
   * How often the runs of the file are copied into the shared store besides after each job, and this replica's
   * running jobs are marked alive there, ms. @default 2000
   */
  readonly storeSyncMs: number;
  /** Bearer token required by `models.reload`, `evaluate`, `select`; none = open. */
  readonly token: string | undefined;
  /** Origins allowed by CORS (`*` for any). */
  readonly corsOrigins: readonly string[];
  /** Host names answered besides loopback ones when no token is set (DNS-rebinding protection). @default [] */
  readonly allowedHosts: readonly string[];
  readonly limits: Limits;
  /** Pairs per ONNX run. @default 128 */
  readonly batchSize: number;
  /** onnxruntime threads inside one run. @default 1 */
  readonly ortThreads: number;
  /** Worker threads that score (0 = score on the HTTP thread). @default 2 */
  readonly scoringThreads: number;
  /** Time a request may take before the server ends it, ms. @default 30000 */
  readonly requestTimeoutMs: number;
  /** Time given to requests and jobs in flight at shutdown, ms. @default 10000 */
  readonly shutdownTimeoutMs: number;
  /** Finished jobs kept for `jobs.get`. @default 100 */
  readonly jobRetention: number;
  readonly logLevel: LogLevel;
}

const int = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, { error: 'expected a whole number' })
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const text = z.string().trim().min(1);

const list = z.string().transform((s) =>
  s
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0),
);

const MODEL_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/i;

const models = list.pipe(
  z
    .array(
      z
        .string()
        .regex(/^[^=]+=.+$/, { error: 'expected id=path' })
        .transform((entry) => {
          const at = entry.indexOf('=');
          return { id: entry.slice(0, at).trim(), dir: entry.slice(at + 1).trim() };
        })
        .refine((m) => MODEL_ID.test(m.id), {
          error: 'a model id is 1-64 letters, digits, dots, dashes or underscores',
        }),
    )
    .min(1, { error: 'name at least one model (id=path)' })
    .refine((ms) => new Set(ms.map((m) => m.id)).size === ms.length, {
      error: 'model ids must be unique',
    }),
);

const limitFields = Object.fromEntries(
  Object.entries(LIMITS).map(([, spec]) => [spec.env, int(1).prefault(String(spec.default))]),
) as Record<string, z.ZodType<number>>;

const ENV_SCHEMA = z.object({
  PORT: int(0, 65535).prefault('4000'),
  HOST: text.default('127.0.0.1'),
  GRADESHIFT_MODELS: models.prefault('default=runs/default/bundle'),
  GRADESHIFT_MODELS_DIR: text.default('runs'),
  GRADESHIFT_DATA_DIR: text.default('../shared/data'),
  GRADESHIFT_RUNS_DIR: text.default('runs'),
  GRADESHIFT_RUN_STORE: text.optional(),
  GRADESHIFT_STORE: text
    .refine((url) => /^postgres(ql)?:\/\/./i.test(url), {
      error: 'expected a PostgreSQL URL, postgres://user:password@host:port/database',
    })
    .optional(),
  GRADESHIFT_STORE_SYNC_MS: int(100, 3_600_000).prefault('2000'),
  GRADESHIFT_API_TOKEN: z
    .string()
    .optional()
    .transform((s) => (s === undefined || s.length === 0 ? undefined : s))
    .refine((s) => s === undefined || s.length >= 16, {
      error: 'a token must have at least 16 characters',
    }),
  GRADESHIFT_CORS_ORIGINS: list
    .pipe(
      z.array(
        z.string().refine((o) => o === '*' || /^https?:\/\/[^/\s]+$/.test(o), {
          error: 'an origin is scheme://host[:port] with no path, or *',
        }),
      ),
    )
    .prefault('http://localhost:3000,http://127.0.0.1:3000'),
  GRADESHIFT_ALLOWED_HOSTS: list
    .pipe(
      z.array(
        z
          .string()
          .regex(/^(\*|[a-z0-9.-]+|\[[0-9a-f:]+\])$/i, { error: 'a host name without port, or *' }),
      ),
    )
    .transform((hosts) => hosts.map((h) => h.toLowerCase()))
    .prefault(''),
  GRADESHIFT_BATCH_SIZE: int(1, 4096).prefault('128'),
  GRADESHIFT_ORT_THREADS: int(0, 64).prefault('1'),
  GRADESHIFT_SCORING_THREADS: int(0, 16).prefault('2'),
  GRADESHIFT_REQUEST_TIMEOUT_MS: int(1000).prefault('30000'),
  GRADESHIFT_SHUTDOWN_TIMEOUT_MS: int(0).prefault('10000'),
  GRADESHIFT_JOB_RETENTION: int(1, 10_000).prefault('100'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ...limitFields,
});

/** A configuration that does not validate; `message` has one line per variable. */
export class ConfigError extends Error {
  readonly issues: readonly string[];

  constructor(issues: readonly string[]) {
    super(`invalid configuration:\n${issues.map((line) => `  ${line}`).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** Variables whose value never appears in a message. */
const SECRET = new Set(['GRADESHIFT_API_TOKEN', 'GRADESHIFT_STORE']);

/** Whether a listening address is a loopback one. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

const fromRoot = (path: string, root: string): string =>
  isAbsolute(path) ? path : resolve(root, path);

/**
 * Reads the configuration from environment variables.
 * @param env - the environment (`process.env`)
 * @param root - the folder relative paths resolve against @default REPO_ROOT
 * @returns the checked configuration
 * @throws ConfigError naming every variable that does not validate
 * @example const config = readConfig(process.env);
 */
export function readConfig(
  env: Readonly<Record<string, string | undefined>>,
  root = REPO_ROOT,
): ApiConfig {
  // Empty strings mean "not set", as in most shells' `VAR= cmd`.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = ENV_SCHEMA.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '(environment)');
        const value = present[name];
        const shown =
          value === undefined
            ? '(unset)'
            : SECRET.has(name)
              ? `(${value.length} characters, not shown)`
              : JSON.stringify(value);
        return `${name}=${shown}: ${issue.message}`;
      }),
    );
  }
  const e = parsed.data as z.infer<typeof ENV_SCHEMA> & Record<string, number>;
  if (!isLoopbackHost(e.HOST) && e.GRADESHIFT_API_TOKEN === undefined)
    throw new ConfigError([
      `HOST=${JSON.stringify(e.HOST)}: listening beyond loopback needs GRADESHIFT_API_TOKEN (16+ characters), or HOST=127.0.0.1`,
    ]);
  const runsDir = fromRoot(e.GRADESHIFT_RUNS_DIR, root);
  const limits = Object.fromEntries(
    Object.entries(LIMITS).map(([name, spec]) => [name, e[spec.env] ?? spec.default]),
  ) as Record<LimitName, number>;
  return {
    port: e.PORT,
    host: e.HOST,
    models: e.GRADESHIFT_MODELS.map((m) => ({ id: m.id, dir: fromRoot(m.dir, root) })),
    modelsDir: fromRoot(e.GRADESHIFT_MODELS_DIR, root),
    dataDir: fromRoot(e.GRADESHIFT_DATA_DIR, root),
    runsDir,
    runStorePath:
      e.GRADESHIFT_RUN_STORE === undefined
        ? resolve(runsDir, 'runs.sqlite')
        : fromRoot(e.GRADESHIFT_RUN_STORE, root),
    sharedStore: e.GRADESHIFT_STORE,
    storeSyncMs: e.GRADESHIFT_STORE_SYNC_MS,
    token: e.GRADESHIFT_API_TOKEN,
    corsOrigins: e.GRADESHIFT_CORS_ORIGINS,
    allowedHosts: e.GRADESHIFT_ALLOWED_HOSTS,
    limits,
    batchSize: e.GRADESHIFT_BATCH_SIZE,
    ortThreads: e.GRADESHIFT_ORT_THREADS,
    scoringThreads: e.GRADESHIFT_SCORING_THREADS,
    requestTimeoutMs: e.GRADESHIFT_REQUEST_TIMEOUT_MS,
    shutdownTimeoutMs: e.GRADESHIFT_SHUTDOWN_TIMEOUT_MS,
    jobRetention: e.GRADESHIFT_JOB_RETENTION,
    logLevel: e.LOG_LEVEL,
  };
}

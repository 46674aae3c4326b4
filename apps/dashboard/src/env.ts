/**
 * The dashboard's server configuration, read from the environment and checked with zod when a page first asks
 * for it (at request time, never at build time), so one build serves any API.
 */
import { isAbsolute, resolve } from 'node:path';

import { z } from 'zod';

const ENV_SCHEMA = z.object({
  /** Where the gradeshift API listens (the tRPC endpoint is `<url>/trpc`). */
  GRADESHIFT_API_URL: z
    .url({ protocol: /^https?$/, error: 'expected an http(s) URL such as http://127.0.0.1:4000' })
    .transform((url) => url.replace(/\/+$/, ''))
    .default('http://127.0.0.1:4000'),
  /** Bearer token for the API, when it requires one. */
  GRADESHIFT_API_TOKEN: z.string().min(1).optional(),
  /**
   * The bundle folder of the model the API serves (manifest.json, model.onnx), which the Playground scores in the
   * browser. The API reports it only relative to its own models folder, so the dashboard is told. Relative paths
   * resolve against the repository root, as the API's do.
   */
  GRADESHIFT_BUNDLE_DIR: z
    .string()
    .min(1)
    .max(4096)
    .refine((dir) => !dir.includes('\0'), { error: 'expected a folder path' })
    .default('runs/default/bundle'),
});

/** The checked configuration. */
export interface DashboardEnv {
  readonly apiUrl: string;
  readonly apiToken: string | undefined;
  /** Absolute path of the served model's bundle folder. */
  readonly bundleDir: string;
}

/** The repository root: `next start` runs in apps/dashboard. */
const REPO_ROOT = resolve(process.cwd(), '..', '..');

/** A configuration that does not validate; the message names each variable. */
export class DashboardEnvError extends Error {
  constructor(issues: readonly string[]) {
    super(`invalid dashboard configuration: ${issues.join('; ')}`);
    this.name = 'DashboardEnvError';
  }
}

/**
 * Reads and checks the configuration.
 * @param env - the environment @default process.env
 * @param root - the folder relative paths resolve against @default the repository root
 * @throws DashboardEnvError naming each variable that does not validate
 */
export function readEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
  root: string = REPO_ROOT,
): DashboardEnv {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = ENV_SCHEMA.safeParse(present);
  if (!parsed.success) {
    throw new DashboardEnvError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '(environment)');
        return `${name}=${JSON.stringify(present[name] ?? '')}: ${issue.message}`;
      }),
    );
  }
  const { GRADESHIFT_API_URL, GRADESHIFT_API_TOKEN, GRADESHIFT_BUNDLE_DIR } = parsed.data;
  return {
    apiUrl: GRADESHIFT_API_URL,
    apiToken: GRADESHIFT_API_TOKEN,
    bundleDir: isAbsolute(GRADESHIFT_BUNDLE_DIR)
      ? GRADESHIFT_BUNDLE_DIR
      : resolve(root, GRADESHIFT_BUNDLE_DIR),
  };
}

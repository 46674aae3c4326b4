/**
 * The dashboard's server configuration, read from the environment and checked with zod when a page first asks
 * for it (at request time, never at build time), so one build serves any API.
 */
import { z } from 'zod';

const ENV_SCHEMA = z.object({
  /** Where the gradeshift API listens (the tRPC endpoint is `<url>/trpc`). */
  GRADESHIFT_API_URL: z
    .url({ protocol: /^https?$/, error: 'expected an http(s) URL such as http://127.0.0.1:4000' })
    .transform((url) => url.replace(/\/+$/, ''))
    .default('http://127.0.0.1:4000'),
  /** Bearer token for the API, when it requires one. */
  GRADESHIFT_API_TOKEN: z.string().min(1).optional(),
});

/** The checked configuration. */
export interface DashboardEnv {
  readonly apiUrl: string;
  readonly apiToken: string | undefined;
}

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
 * @throws DashboardEnvError naming each variable that does not validate
 */
export function readEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
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
  return { apiUrl: parsed.data.GRADESHIFT_API_URL, apiToken: parsed.data.GRADESHIFT_API_TOKEN };
}

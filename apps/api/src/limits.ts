/**
 * The server's limits: each has a name, an environment variable, a default and a unit. Every message that
 * refuses a request for a limit is built by {@link limitMessage}, so a client always sees which limit it hit,
 * its value and how an operator raises it; the error formatter reads the name back with {@link limitOfMessage}.
 */

/** Limit names, defaults, environment variables and units. */
export const LIMITS = Object.freeze({
  maxItems: { env: 'GRADESHIFT_MAX_ITEMS', default: 1000, unit: 'items per request' },
  maxTextChars: { env: 'GRADESHIFT_MAX_TEXT_CHARS', default: 2000, unit: 'characters per text' },
  maxBodyBytes: { env: 'GRADESHIFT_MAX_BODY_BYTES', default: 4_194_304, unit: 'bytes per body' },
  maxBatchCalls: {
    env: 'GRADESHIFT_MAX_BATCH_CALLS',
    default: 16,
    unit: 'calls per batched request',
  },
  maxConcurrentJobs: {
    env: 'GRADESHIFT_MAX_CONCURRENT_JOBS',
    default: 2,
    unit: 'evaluate/select jobs at once',
  },
  maxInlinePairs: {
    env: 'GRADESHIFT_MAX_INLINE_PAIRS',
    default: 5000,
    unit: 'pairs in an inline dataset or pool',
  },
  maxFilePairs: {
    env: 'GRADESHIFT_MAX_FILE_PAIRS',
    default: 250_000,
    unit: 'pairs in a dataset or pool file',
  },
  maxPageSize: { env: 'GRADESHIFT_MAX_PAGE_SIZE', default: 500, unit: 'rows per page' },
  maxScoreRows: {
    env: 'GRADESHIFT_MAX_SCORE_ROWS',
    default: 100_000,
    unit: 'rows per runs.scores page',
  },
  maxSelectBudget: {
    env: 'GRADESHIFT_MAX_SELECT_BUDGET',
    default: 5000,
    unit: 'candidates per selection',
  },
} as const);

/** The name of a limit. */
export type LimitName = keyof typeof LIMITS;

/** The limits in force. */
export type Limits = Readonly<Record<LimitName, number>>;

/** The default limits. */
export const DEFAULT_LIMITS: Limits = Object.freeze(
  Object.fromEntries(Object.entries(LIMITS).map(([name, spec]) => [name, spec.default])) as Record<
    LimitName,
    number
  >,
);

/** A limit as reported in an error's `data.limit`. */
export interface LimitInfo {
  readonly name: LimitName;
  readonly value: number;
  readonly unit: string;
  readonly env: string;
}

/** The report of a limit. */
export function limitInfo(name: LimitName, value: number): LimitInfo {
  const spec = LIMITS[name];
  return { name, value, unit: spec.unit, env: spec.env };
}

/**
 * The message of a refusal for a limit, e.g. `over the limit maxItems (1000 items per request; set
 * GRADESHIFT_MAX_ITEMS to change it)`.
 */
export function limitMessage(name: LimitName, value: number): string {
  const spec = LIMITS[name];
  return `over the limit ${name} (${value} ${spec.unit}; set ${spec.env} to change it)`;
}

const LIMIT_PATTERN = /over the limit (\w+) \((\d+) /;

/** The limit named in a message built by {@link limitMessage}, if any. */
export function limitOfMessage(message: string): LimitInfo | undefined {
  const match = LIMIT_PATTERN.exec(message);
  const name = match?.[1];
  if (name === undefined || !Object.hasOwn(LIMITS, name)) return undefined;
  return limitInfo(name as LimitName, Number(match?.[2]));
}

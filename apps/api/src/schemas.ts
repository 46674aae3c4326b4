/**
 * zod schemas shared by the routers. Schemas that carry a limit are built from the limits in force, and their
 * messages name the limit (see limits.ts).
 */
import { z } from 'zod';

import { limitMessage, type Limits } from './limits';

/** A model id: 1-64 letters, digits, dots, dashes or underscores. */
export const modelId = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/i, {
  error: 'a model id is 1-64 letters, digits, dots, dashes or underscores',
});

/** A run folder's name: 1-64 letters, digits, dots, dashes or underscores. */
export const runName = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/i, {
  error: 'a run name is 1-64 letters, digits, dots, dashes or underscores',
});

/** A run id as the run store writes them (UUIDs, or names chosen by the caller). */
export const runId = z.string().min(1).max(128);

/** A text under the `maxTextChars` limit. */
export function limitedText(limits: Limits): z.ZodString {
  return z.string().max(limits.maxTextChars, {
    error: limitMessage('maxTextChars', limits.maxTextChars),
  });
}

/** A non-empty query under the `maxTextChars` limit. */
export function queryText(limits: Limits) {
  return limitedText(limits).refine((q) => q.trim().length > 0, {
    error: 'the query must have at least one non-space character',
  });
}

/** A random seed, 0 by default. */
export const seedSchema = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31)
  .default(0);

/** Finite numbers only: JSON has no NaN or Infinity. */
export const finite = z.number().refine(Number.isFinite, { error: 'must be finite' });

/** A model reference in responses. */
export const modelRefSchema = z.object({
  id: z.string(),
  version: z.number().int(),
  sha256: z.string(),
});

/** A job's progress. */
export const progressSchema = z.object({
  stage: z.string(),
  done: z.number().optional(),
  total: z.number().optional(),
  message: z.string().optional(),
});

/** A job's fields other than its result. */
export const jobFields = {
  id: z.string(),
  status: z.enum(['running', 'succeeded', 'failed', 'cancelled']),
  progress: progressSchema,
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
};

/** Output shapes shared by the `runs.*` procedures. */
import { z } from 'zod';

/** A run-store record. */
export const runRecord = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  status: z.enum(['running', 'succeeded', 'failed', 'interrupted']),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  outDir: z.string(),
  config: z.unknown(),
  dataFingerprint: z.string().nullable(),
  error: z.string().nullable(),
});

/** A metric of a run, with its interval when it has one. */
export const metric = z.object({
  stage: z.string(),
  split: z.string(),
  name: z.string(),
  value: z.number(),
  lo: z.number().nullable().optional(),
  hi: z.number().nullable().optional(),
});

/** A grade index. */
export const grade = z.number().int().min(0).max(64);
/** An OOD score's name. */
export const detector = z.string().min(1).max(64);

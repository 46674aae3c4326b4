/**
 * `runs.predictions`: a run's predictions.jsonl, filtered, sorted and paged.
 */
import { z } from 'zod';

import { dropUndefined } from '../../drop-undefined';
import { limitMessage, type Limits } from '../../limits';
import { runId } from '../../schemas';
import { publicProcedure } from '../../trpc';
import { detector, grade } from './run-schemas';

/** The `runs.predictions` procedure, its page size capped by `limits.maxPageSize`. */
export function runPredictions(limits: Limits) {
  return publicProcedure
    .input(
      z.object({
        id: runId,
        split: z.string().min(1).max(64).optional(),
        /** One pair by its id (with `split`, one row). */
        pairId: z.string().min(1).max(128).optional(),
        /** The rows of one slice (department), as named in report.json's `slices`. */
        slice: z.string().min(1).max(128).optional(),
        grade: grade.optional(),
        predicted: grade.optional(),
        ood: z.object({ detector, flagged: z.boolean().default(true) }).optional(),
        /** Case-insensitive substring of the query or the item. */
        text: z.string().trim().min(1).max(200).optional(),
        /** Pool rows picked (true) or not picked (false) for annotation. */
        selected: z.boolean().optional(),
        /** The pairs whose point on the run's map (`runs.map`) lies in this rectangle, bounds inclusive. */
        region: z
          .object({
            x: z.tuple([z.number(), z.number()]),
            y: z.tuple([z.number(), z.number()]),
          })
          .refine((r) => r.x[0] <= r.x[1] && r.y[0] <= r.y[1], {
            error: 'region: each range must run from its low to its high bound',
          })
          .optional(),
        sort: z
          .discriminatedUnion('by', [
            z.object({ by: z.literal('file') }),
            z.object({
              by: z.enum(['error', 'expected']),
              order: z.enum(['asc', 'desc']).default('desc'),
            }),
            z.object({
              by: z.literal('ood'),
              detector,
              order: z.enum(['asc', 'desc']).default('desc'),
            }),
          ])
          .default({ by: 'file' }),
        cursor: z.number().int().min(0).default(0),
        limit: z
          .number()
          .int()
          .min(1)
          .max(limits.maxPageSize, { error: limitMessage('maxPageSize', limits.maxPageSize) })
          .default(Math.min(50, limits.maxPageSize)),
      }),
    )
    .output(
      z.object({
        rows: z.array(
          z.object({
            id: z.string(),
            split: z.string(),
            query: z.string(),
            item: z.string(),
            grade: z.number().nullable(),
            probs: z.array(z.number()),
            expected: z.number(),
            predicted: z.number(),
            ood: z.record(z.string(), z.number()),
            slice: z.string().optional(),
            /** Pool rows: `id`, `near` or `far` traffic. */
            origin: z.string().optional(),
            /** The nearest ID-train pairs in the content space, most similar first. */
            neighbours: z
              .array(
                z.object({
                  id: z.string(),
                  query: z.string(),
                  item: z.string(),
                  grade: z.number(),
                  similarity: z.number(),
                }),
              )
              .optional(),
            selected: z.boolean().optional(),
            selection: z.unknown().optional(),
            error: z.number().nullable(),
            flags: z.record(z.string(), z.boolean()),
          }),
        ),
        total: z.number().int(),
        nextCursor: z.number().int().nullable(),
        detectors: z.array(z.string()),
        thresholds: z.record(z.string(), z.number()),
      }),
    )
    .query(({ input, ctx }) => {
      const { id, ...query } = input;
      return ctx.services.runs.predictions(id, dropUndefined(query));
    });
}

/**
 * `runs.scores`: every row of some splits as columns, without texts, paged.
 */
import { z } from 'zod';

import { limitMessage, type Limits } from '../../limits';
import { runId } from '../../schemas';
import { publicProcedure } from '../../trpc';

/**
 * Every row of some splits as columns, without texts: split, true grade, predicted grade and each detector's
 * score, for charts over a whole run (a few bytes a row instead of a few hundred).
 */
/** The `runs.scores` procedure, its page size capped by `limits.maxScoreRows`. */
export function runScores(limits: Limits) {
  return publicProcedure
    .input(
      z.object({
        id: runId,
        splits: z
          .array(z.string().min(1).max(64))
          .min(1)
          .max(8)
          .refine((s) => new Set(s).size === s.length, { error: 'splits must not repeat' })
          .default(['id_test', 'ood_test']),
        cursor: z.number().int().min(0).default(0),
        limit: z
          .number()
          .int()
          .min(1)
          .max(limits.maxScoreRows, { error: limitMessage('maxScoreRows', limits.maxScoreRows) })
          .default(limits.maxScoreRows),
      }),
    )
    .output(
      z.object({
        splits: z.array(z.string()),
        /** Per row, the index of its split in `splits`. */
        split: z.array(z.number().int()),
        grade: z.array(z.number().nullable()),
        predicted: z.array(z.number()),
        detectors: z.array(z.string()),
        /** Per detector, one score per row (null where the row has none). */
        scores: z.record(z.string(), z.array(z.number().nullable())),
        total: z.number().int(),
        nextCursor: z.number().int().nullable(),
        thresholds: z.record(z.string(), z.number()),
      }),
    )
    .query(({ input, ctx }) => {
      const { id, ...query } = input;
      return ctx.services.runs.scores(id, query);
    });
}

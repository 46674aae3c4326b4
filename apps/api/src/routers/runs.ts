/**
 * `runs.list`, `runs.get`, `runs.compare`, `runs.predictions`, `runs.scores`: the run store and the runs' report
 * and prediction files, read-only.
 */
import { z } from 'zod';

import { dropUndefined } from '../drop-undefined';
import { limitMessage, type Limits } from '../limits';
import { runId } from '../schemas';
import { publicProcedure, router } from '../trpc';

const runRecord = z.object({
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

const metric = z.object({
  stage: z.string(),
  split: z.string(),
  name: z.string(),
  value: z.number(),
  lo: z.number().nullable().optional(),
  hi: z.number().nullable().optional(),
});

const grade = z.number().int().min(0).max(64);
const detector = z.string().min(1).max(64);

/** The runs router, with the page-size limits baked in. */
export function runsRouter(limits: Limits) {
  return router({
    list: publicProcedure
      .input(
        z
          .object({
            limit: z.number().int().min(1).max(1000).default(100),
            kind: z.string().max(64).optional(),
          })
          .default({ limit: 100 }),
      )
      .output(z.array(runRecord))
      .query(({ input, ctx }) =>
        ctx.services.runs.list({
          limit: input.limit,
          ...(input.kind === undefined ? {} : { kind: input.kind }),
        }),
      ),
    get: publicProcedure
      .input(z.object({ id: runId }))
      .output(
        z.object({
          run: runRecord,
          metrics: z.array(metric),
          stages: z.array(
            z.object({
              stage: z.string(),
              startedAt: z.string(),
              finishedAt: z.string().nullable(),
              summary: z.unknown(),
            }),
          ),
          artifacts: z.array(
            z.object({
              kind: z.string(),
              path: z.string(),
              sha256: z.string().nullable().optional(),
              bytes: z.number().nullable().optional(),
            }),
          ),
          report: z.record(z.string(), z.unknown()).nullable(),
        }),
      )
      .query(({ input, ctx }) => ctx.services.runs.get(input.id)),
    compare: publicProcedure
      .input(
        z.object({
          a: runId,
          b: runId,
          /** The split whose shared queries are paired. */
          split: z.string().min(1).max(64).default('ood_test'),
        }),
      )
      .output(
        z.object({
          a: runRecord,
          b: runRecord,
          metrics: z.array(
            z.object({
              stage: z.string(),
              split: z.string(),
              name: z.string(),
              a: z
                .object({ value: z.number(), lo: z.number().nullable(), hi: z.number().nullable() })
                .nullable(),
              b: z
                .object({ value: z.number(), lo: z.number().nullable(), hi: z.number().nullable() })
                .nullable(),
              difference: z.number().nullable(),
            }),
          ),
          paired: z
            .object({
              unit: z.string(),
              split: z.string(),
              queries: z.number().int(),
              meanA: z.number(),
              meanB: z.number(),
              meanDifference: z.number(),
              tTestP: z.number(),
              signFlipP: z.number(),
              bootstrapCi: z.tuple([z.number(), z.number()]),
            })
            .nullable(),
          note: z.string().nullable(),
        }),
      )
      .query(({ input, ctx }) =>
        ctx.services.runs.compare(input.a, input.b, { split: input.split }),
      ),
    predictions: publicProcedure
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
      }),
    /**
     * Every row of some splits as columns, without texts: split, true grade, predicted grade and each detector's
     * score, for charts over a whole run (a few bytes a row instead of a few hundred).
     */
    scores: publicProcedure
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
      }),
  });
}

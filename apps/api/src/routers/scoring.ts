/**
 * `score` and `rank`: one query against up to `maxItems` items. Both are POST-able as plain JSON
 * (`POST /trpc/score` with `{"query": …, "items": [{"id": …, "text": …}]}`). They are mutations so that every
 * client sends them as POST: a GET would carry up to `maxItems` texts in the URL.
 */
import { OOD_SPACES } from '@gradeshift/core';
import { z } from 'zod';

import { limitMessage, type Limits } from '../limits';
import { finite, limitedText, modelId, modelRefSchema, queryText } from '../schemas';
import { rankedRows, scoreItems } from '../scoring/score-items';
import { publicProcedure } from '../trpc';

const scoredItem = z.object({
  id: z.string(),
  rank: z.number().int().min(1),
  probs: z.array(finite),
  expected: finite,
  predicted: z.string(),
  predictedIndex: z.number().int().min(0),
  /** The most probable grade (arg-max); `predicted` follows the list's `decision`. */
  mostProbable: z.string(),
  mostProbableIndex: z.number().int().min(0),
  ood: z.record(z.string(), z.object({ score: finite, percentile: finite, ood: z.boolean() })),
});

const scoredList = {
  model: modelRefSchema,
  grades: z.array(z.string()),
  /** Per OOD score: its calibrated threshold, the ID share it keeps and the space it reads. */
  thresholds: z.record(
    z.string(),
    z.object({ threshold: finite, tpr: finite, space: z.enum(OOD_SPACES) }),
  ),
  /** The rule behind every `predicted`, named and explained in one sentence. */
  decision: z.object({
    kind: z.enum(['argmax', 'ordinal-thresholds', 'grade-offsets']),
    name: z.string(),
    explanation: z.string(),
  }),
  items: z.array(scoredItem),
  timing: z.object({ serverMs: z.number() }),
};

function itemsSchema(limits: Limits) {
  return z
    .array(z.object({ id: z.string().min(1).max(256), text: limitedText(limits) }))
    .min(1, { error: 'give at least one item' })
    .max(limits.maxItems, { error: limitMessage('maxItems', limits.maxItems) })
    .superRefine((items, ctx) => {
      const seen = new Set<string>();
      items.forEach((item, i) => {
        if (seen.has(item.id))
          ctx.addIssue({
            code: 'custom',
            path: [i, 'id'],
            message: `duplicate item id "${item.id.slice(0, 64)}"`,
          });
        seen.add(item.id);
      });
    });
}

/** The scoring procedures, with limits baked into their input schemas. */
export function scoringProcedures(limits: Limits) {
  const input = z.object({
    query: queryText(limits),
    items: itemsSchema(limits),
    model: modelId.optional(),
  });
  return {
    score: publicProcedure
      .input(input)
      .output(z.object(scoredList))
      .mutation(async ({ input, ctx }) => {
        const t0 = performance.now();
        const list = await ctx.services.registry.use(input.model, (model) =>
          scoreItems(model, input),
        );
        return { ...list, timing: { serverMs: performance.now() - t0 } };
      }),
    rank: publicProcedure
      .input(input.extend({ topN: z.number().int().min(1).optional() }))
      .output(z.object({ ...scoredList, total: z.number().int() }))
      .mutation(async ({ input, ctx }) => {
        const t0 = performance.now();
        const list = await ctx.services.registry.use(input.model, (model) =>
          scoreItems(model, input),
        );
        return {
          ...list,
          items: rankedRows(list, input.topN),
          total: list.items.length,
          timing: { serverMs: performance.now() - t0 },
        };
      }),
  };
}

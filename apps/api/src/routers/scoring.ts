/**
 * `score` and `rank`: one query against up to `maxItems` items. Both are POST-able as plain JSON
 * (`POST /trpc/score` with `{"query": …, "items": [{"id": …, "text": …}]}`). They are mutations so that every
 * client sends them as POST: a GET would carry up to `maxItems` texts in the URL.
 */
import { z } from 'zod';

import { limitMessage, type Limits } from '../limits';
import { limitedText, modelId, queryText } from '../schemas';
import { rankedRows, scoreItems } from '../scoring/score-items';
import { publicProcedure } from '../trpc';

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

/**
 * The scoring procedures, with limits baked into their input schemas. Their answers are typed by `ScoredList`
 * (score-items.ts), which also refuses a non-finite figure before any row is built: a zod output schema would copy
 * every one of a response's ~1,800 figures again on the HTTP thread (a third of its work per 50-item request).
 */
export function scoringProcedures(limits: Limits) {
  const input = z.object({
    query: queryText(limits),
    items: itemsSchema(limits),
    model: modelId.optional(),
  });
  return {
    score: publicProcedure.input(input).mutation(async ({ input, ctx }) => {
      const t0 = performance.now();
      const list = await ctx.services.registry.use(input.model, (model) =>
        scoreItems(model, input),
      );
      return { ...list, timing: { serverMs: performance.now() - t0 } };
    }),
    rank: publicProcedure
      .input(input.extend({ topN: z.number().int().min(1).optional() }))
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

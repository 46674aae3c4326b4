/**
 * The input schemas of `evaluate` and `select`, with the limits in force: a dataset or pool is inline pairs or a
 * file in the data folder (with its column and grade mapping). Everything a schema can check is checked here;
 * what needs the model or the file (grades, detectors, columns) is checked by check-job-input.ts, both before a
 * job starts.
 */
import { DEFAULT_STRATEGY, STRATEGY_NAMES } from '@gradeshift/pipeline';
import { z } from 'zod';

import { limitMessage, type Limits } from '../../limits';
import { limitedText, modelId, runName, seedSchema } from '../../schemas';

const columnRef = z.union([z.string().min(1).max(256), z.number().int().min(0).max(10_000)]);
const filePath = z.string().min(1).max(1024);
const pairId = z.string().min(1).max(256).optional();
const gradeMapping = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('thresholds'),
    edges: z.array(z.number()).min(1).max(16),
    range: z.tuple([z.number(), z.number()]).optional(),
    names: z.array(z.string().min(1).max(64)).max(17).optional(),
  }),
  z.object({
    kind: z.literal('values'),
    grades: z
      .array(z.array(z.string().max(256)).min(1).max(64))
      .min(2)
      .max(17),
    names: z.array(z.string().min(1).max(64)).max(17).optional(),
  }),
]);

/** Exactly one of `pairs` (inline) and `path` (a file in the data folder). */
function oneSource(d: { pairs?: unknown; path?: unknown }, ctx: z.RefinementCtx): void {
  if ((d.pairs === undefined) === (d.path === undefined))
    ctx.addIssue({
      code: 'custom',
      path: [],
      message:
        'give either pairs (inline) or path (a file in the data folder), not both or neither',
    });
}

function requiredWithPath(
  d: { path?: unknown } & Record<string, unknown>,
  ctx: z.RefinementCtx,
  fields: Readonly<Record<string, string>>,
): void {
  if (d.path === undefined) return;
  for (const [field, message] of Object.entries(fields))
    if (d[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message });
}

/** Inline pairs of the given shape, at most `maxInlinePairs` of them. */
function inlinePairs<TShape extends z.ZodRawShape>(limits: Limits, shape: TShape) {
  return z
    .array(z.object(shape))
    .min(1)
    .max(limits.maxInlinePairs, { error: limitMessage('maxInlinePairs', limits.maxInlinePairs) });
}

/**
 * A labelled dataset: inline pairs or a file with its columns and grade mapping. One object with either `pairs`
 * or `path` (not a union), so a mistake is reported on the field concerned.
 */
function datasetInput(limits: Limits) {
  const text = limitedText(limits);
  return z
    .object({
      pairs: inlinePairs(limits, {
        id: pairId,
        query: text.min(1),
        item: text,
        grade: z.union([z.number().int().min(0).max(16), z.string().min(1).max(64)]),
      }).optional(),
      path: filePath.optional(),
      format: z.enum(['csv', 'jsonl']).optional(),
      columns: z
        .object({ id: columnRef.optional(), query: columnRef, item: columnRef, label: columnRef })
        .optional(),
      grades: gradeMapping.optional(),
      onError: z.enum(['stop', 'skip']).default('stop'),
    })
    .superRefine((d, ctx) => {
      oneSource(d, ctx);
      requiredWithPath(d, ctx, {
        columns: 'required with path: which column is query, item, label',
        grades: 'required with path: how labels become grades',
      });
    });
}

/** An unlabelled pool: inline pairs or a file with its columns. */
function poolInput(limits: Limits) {
  const text = limitedText(limits);
  return z
    .object({
      pairs: inlinePairs(limits, { id: pairId, query: text.min(1), item: text }).optional(),
      path: filePath.optional(),
      format: z.enum(['csv', 'jsonl']).optional(),
      columns: z.object({ id: columnRef.optional(), query: columnRef, item: columnRef }).optional(),
    })
    .superRefine((d, ctx) => {
      oneSource(d, ctx);
      requiredWithPath(d, ctx, { columns: 'required with path: which column is query, item' });
    });
}

/** External predictions: JSONL files of the data folder (pipeline's readPredictionFile format). */
const predictionsInput = z.object({
  /** The predictions file to evaluate. */
  path: filePath,
  /** The in-distribution reference file, same format. */
  reference: filePath,
  /** How `grade` values become grades. @default grade names or 0-based indices */
  grades: gradeMapping.optional(),
  /** The evaluated pairs' embeddings as a NumPy `.npy` matrix (one row per line) instead of `embedding` fields. */
  embeddings: filePath.optional(),
  /** The reference pairs' embeddings as a `.npy` matrix, same width (with `embeddings`). */
  referenceEmbeddings: filePath.optional(),
});

/**
 * The `evaluate` input schema.
 * @param limits - the limits in force
 */
export function evaluateInput(limits: Limits) {
  return z
    .object({
      model: modelId.optional(),
      /** A labelled dataset scored through the model; or give `predictions` instead. */
      dataset: datasetInput(limits).optional(),
      /** Outputs of a model that runs elsewhere, with an ID reference file; the served model is not used. */
      predictions: predictionsInput.optional(),
      /** The run's name and folder under the runs folder. @default evaluate-<time> */
      name: runName.optional(),
      /** Query-bootstrap resamples (at least 2, as the bootstrap needs). */
      resamples: z.number().int().min(2).max(10_000).default(1000),
    })
    .superRefine((d, ctx) => {
      if ((d.dataset === undefined) === (d.predictions === undefined))
        ctx.addIssue({
          code: 'custom',
          path: [],
          message:
            'give either dataset (scored through the model) or predictions (outputs computed elsewhere), not both or neither',
        });
    });
}

/**
 * The `select` input schema.
 * @param limits - the limits in force
 */
export function selectInput(limits: Limits) {
  return z.object({
    model: modelId.optional(),
    pool: poolInput(limits),
    budget: z
      .number()
      .int()
      .min(1)
      .max(limits.maxSelectBudget, {
        error: limitMessage('maxSelectBudget', limits.maxSelectBudget),
      }),
    strategy: z.enum(STRATEGY_NAMES).default(DEFAULT_STRATEGY),
    seed: seedSchema,
    /** OOD scores the distribution-aware strategy fuses. @default the model's feature-space scores */
    detectors: z.array(z.string().min(1).max(64)).min(1).max(16).optional(),
    /** Fused ID percentile a candidate needs. @default 0.95 */
    minPercentile: z.number().min(0).max(1).default(0.95),
  });
}

/** The `evaluate` input, parsed. */
export type EvaluateInput = z.infer<ReturnType<typeof evaluateInput>>;
/** The `select` input, parsed. */
export type SelectInput = z.infer<ReturnType<typeof selectInput>>;

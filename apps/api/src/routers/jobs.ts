/**
 * `evaluate` and `select` start jobs; `jobs.get` / `jobs.list` follow them (progress, then the result),
 * `jobs.cancel` stops one, and `jobs.export` turns a selection into CSV or JSONL for annotators.
 * Starting and cancelling jobs changes server state, so those calls need the bearer token when one is set.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { TRPCError } from '@trpc/server';
import { z } from 'zod';

import { confinePath } from '../confine-path';
import { dropUndefined } from '../drop-undefined';
import type { JobSnapshot } from '../jobs/job-runner';
import { limitMessage, type Limits } from '../limits';
import { jobFields, limitedText, modelId } from '../schemas';
import { publicProcedure, router, stateProcedure, type ApiContext } from '../trpc';
import type { DatasetSource } from '../work/dataset-source';
import type { EvaluateResult } from '../work/evaluate-work';
import type { WorkContext } from '../work/job-work';
import { exportCandidates } from '../work/export-candidates';
import { labelsJobView } from '../labels/labels-job';
import type { PoolSource, SelectResult } from '../work/select-work';

const RUN_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/i;
const columnRef = z.union([z.string().min(1).max(256), z.number().int().min(0).max(10_000)]);
const filePath = z.string().min(1).max(1024);
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

const intervalFigure = z.object({
  value: z.number().nullable(),
  lo: z.number().nullable(),
  hi: z.number().nullable(),
});
const evaluateResult = z.object({
  runId: z.string(),
  name: z.string(),
  pairs: z.number().int(),
  queries: z.number().int(),
  metrics: z.record(z.string(), intervalFigure),
  ood: z.record(
    z.string(),
    z.object({ flagRate: z.number(), threshold: z.number(), meanPercentile: z.number() }),
  ),
  seconds: z.number(),
});
const candidate = z.object({
  rank: z.number().int(),
  poolIndex: z.number().int(),
  id: z.string(),
  query: z.string(),
  item: z.string(),
  reason: z.string(),
  details: z.record(z.string(), z.unknown()),
  expected: z.number(),
  predicted: z.string(),
  ood: z.record(z.string(), z.object({ score: z.number(), percentile: z.number() })),
});
const selectResult = z.object({
  strategy: z.enum(['distribution-aware', 'random', 'uncertainty']),
  budget: z.number().int(),
  poolSize: z.number().int(),
  detectors: z.array(z.string()),
  candidates: z.array(candidate),
  stats: z.record(z.string(), z.unknown()),
  seconds: z.number(),
});
const jobView = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('evaluate'), ...jobFields, result: evaluateResult.nullable() }),
  z.object({ kind: z.literal('select'), ...jobFields, result: selectResult.nullable() }),
  labelsJobView,
]);

/** A job as `jobs.get` returns it. */
export type JobView = z.infer<typeof jobView>;

const toView = (job: JobSnapshot): JobView => job as JobView;

/**
 * Starts a job on a leased model: the lease is held for the job's whole run (a reload meanwhile does not change
 * the model under it) and released when the job ends, or at once when the job cannot start.
 */
function startJob(
  ctx: ApiContext,
  options: {
    kind: 'evaluate' | 'select';
    model: string | undefined;
    run: (context: WorkContext) => Promise<unknown>;
  },
): JobView {
  const lease = ctx.services.registry.acquire(options.model);
  try {
    const job = ctx.services.jobs.submit(options.kind, async (jobContext) => {
      try {
        return await options.run({ model: lease.model, job: jobContext });
      } finally {
        lease.release();
      }
    });
    ctx.log.info({ job: job.id, kind: job.kind, model: lease.model.id }, 'job started');
    return toView(job);
  } catch (error) {
    lease.release();
    throw error;
  }
}

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

/** A field the schema's refinement already required. */
function required<TValue>(value: TValue | undefined, field: string): TValue {
  if (value === undefined)
    throw new TRPCError({ code: 'BAD_REQUEST', message: `${field} is required` });
  return value;
}

function notFound(id: string): TRPCError {
  return new TRPCError({
    code: 'NOT_FOUND',
    message: `no job "${id.slice(0, 64)}" (finished jobs are kept only up to GRADESHIFT_JOB_RETENTION)`,
  });
}

/** The job procedures, with limits baked into their input schemas. */
export function jobProcedures(limits: Limits) {
  const text = limitedText(limits);
  const inline = <TShape extends z.ZodRawShape>(shape: TShape) =>
    z
      .array(z.object(shape))
      .min(1)
      .max(limits.maxInlinePairs, { error: limitMessage('maxInlinePairs', limits.maxInlinePairs) });
  // One object with either `pairs` or `path` (not a union), so a mistake is reported on the field concerned.
  const dataset = z
    .object({
      pairs: inline({
        id: z.string().min(1).max(256).optional(),
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
      if (d.path !== undefined && d.columns === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['columns'],
          message: 'required with path: which column is query, item, label',
        });
      if (d.path !== undefined && d.grades === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['grades'],
          message: 'required with path: how labels become grades',
        });
    });
  const pool = z
    .object({
      pairs: inline({
        id: z.string().min(1).max(256).optional(),
        query: text.min(1),
        item: text,
      }).optional(),
      path: filePath.optional(),
      format: z.enum(['csv', 'jsonl']).optional(),
      columns: z.object({ id: columnRef.optional(), query: columnRef, item: columnRef }).optional(),
    })
    .superRefine((d, ctx) => {
      oneSource(d, ctx);
      if (d.path !== undefined && d.columns === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['columns'],
          message: 'required with path: which column is query, item',
        });
    });

  const evaluate = stateProcedure
    .input(
      z.object({
        model: modelId.optional(),
        dataset,
        /** The run's name and folder under the runs folder. @default evaluate-<job id> */
        name: z
          .string()
          .regex(RUN_NAME, {
            error: 'a run name is 1-64 letters, digits, dots, dashes or underscores',
          })
          .optional(),
        resamples: z.number().int().min(0).max(10_000).default(1000),
      }),
    )
    .output(jobView)
    .mutation(({ input, ctx }) => {
      const { config, work } = ctx.services;
      const { dataset: d } = input;
      const source: DatasetSource =
        d.pairs !== undefined
          ? { kind: 'inline', pairs: d.pairs }
          : {
              kind: 'file',
              file: {
                path: confinePath(d.path ?? '', { root: config.dataDir, field: 'dataset.path' }),
                given: d.path ?? '',
                format: d.format,
                columns: dropUndefined(required(d.columns, 'dataset.columns')),
                grades: dropUndefined(required(d.grades, 'dataset.grades')),
                onError: d.onError,
              },
            };
      if (input.name !== undefined && existsSync(join(config.runsDir, input.name)))
        throw new TRPCError({
          code: 'CONFLICT',
          message: `name: a run "${input.name}" already exists`,
        });
      const name = input.name ?? `evaluate-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      return startJob(ctx, {
        kind: 'evaluate',
        model: input.model,
        run: (context) =>
          work.evaluate({ dataset: source, name, resamples: input.resamples }, context),
      });
    });

  const select = stateProcedure
    .input(
      z.object({
        model: modelId.optional(),
        pool,
        budget: z
          .number()
          .int()
          .min(1)
          .max(limits.maxSelectBudget, {
            error: limitMessage('maxSelectBudget', limits.maxSelectBudget),
          }),
        strategy: z
          .enum(['distribution-aware', 'random', 'uncertainty'])
          .default('distribution-aware'),
        seed: z
          .number()
          .int()
          .min(0)
          .max(2 ** 31)
          .default(0),
        /** OOD scores the distribution-aware strategy fuses. @default the model's feature-space scores */
        detectors: z.array(z.string().min(1).max(64)).min(1).max(16).optional(),
        /** Fused ID percentile a candidate needs. @default 0.95 */
        minPercentile: z.number().min(0).max(1).default(0.95),
      }),
    )
    .output(jobView)
    .mutation(({ input, ctx }) => {
      const { config, work } = ctx.services;
      const { pool: p } = input;
      const source: PoolSource =
        p.pairs !== undefined
          ? { kind: 'inline', pairs: p.pairs }
          : {
              kind: 'file',
              path: confinePath(p.path ?? '', { root: config.dataDir, field: 'pool.path' }),
              given: p.path ?? '',
              format: p.format,
              columns: required(p.columns, 'pool.columns'),
            };
      return startJob(ctx, {
        kind: 'select',
        model: input.model,
        run: (context) =>
          work.select(
            {
              pool: source,
              budget: input.budget,
              strategy: input.strategy,
              seed: input.seed,
              detectors: input.detectors,
              minPercentile: input.minPercentile,
            },
            context,
          ),
      });
    });

  const jobsRouter = router({
    get: publicProcedure
      .input(z.object({ id: z.string().min(1).max(64) }))
      .output(jobView)
      .query(({ input, ctx }) => {
        const job = ctx.services.jobs.get(input.id);
        if (job === undefined) throw notFound(input.id);
        return toView(job);
      }),
    list: publicProcedure
      .output(z.array(jobView))
      .query(({ ctx }) => ctx.services.jobs.list().map(toView)),
    cancel: stateProcedure
      .input(z.object({ id: z.string().min(1).max(64) }))
      .output(z.object({ cancelled: z.boolean() }))
      .mutation(({ input, ctx }) => {
        if (ctx.services.jobs.get(input.id) === undefined) throw notFound(input.id);
        return { cancelled: ctx.services.jobs.cancel(input.id) };
      }),
    export: publicProcedure
      .input(z.object({ id: z.string().min(1).max(64), format: z.enum(['csv', 'jsonl']) }))
      .output(z.object({ filename: z.string(), contentType: z.string(), content: z.string() }))
      .query(({ input, ctx }) => {
        const job = ctx.services.jobs.get(input.id);
        if (job === undefined) throw notFound(input.id);
        if (job.kind !== 'select' || job.status !== 'succeeded' || job.result === null)
          throw new TRPCError({
            code: 'PRECONDITION_FAILED',
            message: `job ${input.id} is not a finished selection (kind ${job.kind}, status ${job.status})`,
          });
        return exportCandidates(job.result as SelectResult, {
          format: input.format,
          jobId: job.id,
        });
      }),
  });
  return { evaluate, select, jobs: jobsRouter };
}

export type { EvaluateResult };

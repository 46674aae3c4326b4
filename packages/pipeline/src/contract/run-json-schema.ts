/**
 * run.json, the index of a run folder: where the data came from (source, sha256, split seed, shift, split
 * sizes), the model sizes, the stages done with their metrics and parameter files, the selection and the bundle.
 * Every step reads it through {@link runJsonSchema} and writes it back after its work.
 */
import { z } from 'zod';

import type { ScorerConfig } from '@gradeshift/core';

import type { DataSource } from '../pipeline/types';
import type { Taxonomy } from '../splits/taxonomy';
import type { ShiftStrategy, SplitName } from '../splits/types';
import type { StageHyperparameters } from '../stages/train-stage';
import { stageMetricsSchema } from './metrics-schema';
import { STRATEGY_NAMES } from './strategy-names';

/** `format` of run.json. */
export const RUN_FORMAT = 'gradeshift-run';
/** The run.json version this build writes and reads. */
export const RUN_FORMAT_VERSION = 1;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A shift as stored: a department taxonomy by name (`homedepot`) or in full. */
export type StoredShift =
  | Exclude<ShiftStrategy, { kind: 'department' }>
  | {
      readonly kind: 'department';
      readonly taxonomy: string | Taxonomy;
      readonly heldOut?: readonly string[];
    };

/** How the shifted side was chosen, as stored. */
export const storedShiftSchema = z.custom<StoredShift>(
  (v) => isObject(v) && ['department', 'query-cluster', 'category'].includes(String(v['kind'])),
  { message: 'kind must be department, query-cluster or category' },
);

const storedParamsSchema = z.custom<{ readonly file: string; readonly sha256: string }>(
  (v) => isObject(v) && typeof v['file'] === 'string' && typeof v['sha256'] === 'string',
  { message: 'must be { file, sha256 }' },
);

const alphaPointSchema = z.object({
  alpha: z.number(),
  id_validation_macro_f1: z.number(),
  ood_validation_macro_f1: z.number(),
});

/** Stage 1 or 2. */
const trainedStageSchema = z.object({
  params: storedParamsSchema,
  loss: z.enum(['graded', 'ce']),
  hyperparameters: z.custom<StageHyperparameters>(isObject, { message: 'must be an object' }),
  seed: z.number().int(),
  best_epoch: z.number().int(),
  seconds: z.number(),
  metrics: stageMetricsSchema,
  finished_at: z.string(),
});

/** Stage 3. */
const interpolatedStageSchema = z.object({
  params: storedParamsSchema,
  alpha: z.number(),
  alpha_sweep: z.array(alphaPointSchema),
  metrics: stageMetricsSchema,
  finished_at: z.string(),
});

/** The de-biasing step (negatives, DPO, temperature) on the stage it started from. */
const debiasStageSchema = z.object({
  params: storedParamsSchema,
  from: z.enum(['stage1', 'stage2', 'stage3']),
  from_sha256: z.string(),
  temperature: z.number(),
  negatives: z.number().int(),
  dpo_pairs: z.number().int(),
  metrics: stageMetricsSchema,
  seconds: z.number(),
  finished_at: z.string(),
});

/** The distilled student (`train --stage distill`): trained on ID train + the pool with a teacher's grade probabilities. */
const distillStageSchema = z.object({
  params: storedParamsSchema,
  /** sha256 of the stage-1 parameters file (the student before distillation). */
  from_sha256: z.string(),
  teacher: z.object({ file: z.string(), sha256: z.string() }),
  alpha: z.number(),
  temperature: z.number(),
  loss: z.string(),
  seed: z.number().int(),
  metrics: stageMetricsSchema,
  seconds: z.number(),
  finished_at: z.string(),
});

/** The selection the run's stage 2 trains on. */
const selectionRecordSchema = z.object({
  file: z.string(),
  /** Hex sha256 of selection.jsonl. */
  sha256: z.string(),
  strategy: z.enum(STRATEGY_NAMES),
  seed: z.number().int(),
  budget_fraction: z.number(),
  budget: z.number().int(),
  picked: z.number().int(),
  /** Picks held out to choose α (role `validation`). */
  held_out: z.number().int(),
  /** sha256 of the stage-1 parameters file the selection was made with. */
  stage1_sha256: z.string(),
  finished_at: z.string(),
});

/** run.json. */
export const runJsonSchema = z.object({
  format: z.literal(RUN_FORMAT),
  version: z.literal(RUN_FORMAT_VERSION),
  producer: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  data: z.object({
    /** The data source with an absolute path. */
    source: z.custom<DataSource>(
      (v) => isObject(v) && (typeof v['preset'] === 'string' || typeof v['path'] === 'string'),
      { message: 'must name a preset or a path' },
    ),
    /** Hex sha256 of the data file: the fingerprint every step checks. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/, { message: 'must be 64 hex digits' }),
    rows: z.number().int(),
    pairs: z.number().int(),
  }),
  /**
   * The far-OOD set: its source (absolute path), fingerprint and pool share; null or absent when the run has
   * none (absent in runs prepared before far-OOD sets).
   */
  far: z
    .object({
      source: z.custom<DataSource>(
        (v) => isObject(v) && (typeof v['preset'] === 'string' || typeof v['path'] === 'string'),
        { message: 'must name a preset or a path' },
      ),
      sha256: z.string().regex(/^[0-9a-f]{64}$/, { message: 'must be 64 hex digits' }),
      rows: z.number().int(),
      pool_fraction: z.number(),
    })
    .nullable()
    .optional(),
  shift: storedShiftSchema,
  split_seed: z.number().int({ message: 'must be an integer' }),
  /** Pairs per split: a second fingerprint, of the split code and its settings. */
  split_sizes: z.custom<Readonly<Record<SplitName, number> & { far_test?: number }>>(isObject, {
    message: 'must be an object',
  }),
  /** Word-vector cache folder (absolute). */
  cache_dir: z.string({ message: 'must be a path' }),
  model: z.object(
    {
      config: z.custom<ScorerConfig>(isObject, { message: 'must be an object' }),
      /** [V, D] of the embedding table. */
      embeddings: z.tuple([z.number().int(), z.number().int()]),
    },
    { message: 'must hold config and embeddings' },
  ),
  stages: z.object({
    stage1: trainedStageSchema.optional(),
    stage2: trainedStageSchema.extend({ selection_sha256: z.string() }).optional(),
    stage3: interpolatedStageSchema.optional(),
    debias: debiasStageSchema.optional(),
    distill: distillStageSchema.optional(),
  }),
  selection: selectionRecordSchema.nullable(),
  /** The run-store record the steps update (`null`: not recorded). */
  store: z
    .object(
      { path: z.string(), run_id: z.string() },
      { message: 'must be null or { path, run_id }' },
    )
    .nullable()
    .default(null),
  bundle: z.object({ path: z.string(), sha256: z.string(), exported_at: z.string() }).nullable(),
});

/** run.json. */
export type RunJson = z.infer<typeof runJsonSchema>;
/** Stage 1 or 2 as recorded. */
export type TrainedStageRecord = z.infer<typeof trainedStageSchema>;
/** Stage 3 as recorded. */
export type InterpolatedStageRecord = z.infer<typeof interpolatedStageSchema>;
/** The selection as recorded. */
export type SelectionRecord = z.infer<typeof selectionRecordSchema>;
/** A trained stage's weights on disk (file relative to the run folder, hex sha256 of the whole file). */
export type StoredParams = TrainedStageRecord['params'];

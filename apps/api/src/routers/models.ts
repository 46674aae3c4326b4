/**
 * `models.list`, `models.get`, `models.reload`. A reload is atomic (see models/model-registry.ts): calls in
 * flight finish on the model they started with, and a bundle that does not load is refused with the old model
 * kept. A reload may name a new bundle folder, which must lie inside the configured models folder.
 */
import { relative } from 'node:path';

import { OOD_SPACES } from '@gradeshift/core';
import { z } from 'zod';

import { confineFolder } from '../confine-path';
import { gradeNames, oodScoresOf } from '../models/model-kinds';
import type { ServedModel } from '../models/model-registry';
import { modelId } from '../schemas';
import { publicProcedure, router, stateProcedure } from '../trpc';

const modelInfo = z.object({
  id: z.string(),
  version: z.number().int(),
  isDefault: z.boolean(),
  /**
   * `scorer`: a word-vector scorer bundle; `encoder`: an encoder bundle (`gradeshift encoder`); `cross-encoder`: a
   * cross-encoder bundle (`gradeshift evaluate --cross-encoder … --bundle-out`).
   */
  kind: z.enum(['scorer', 'encoder', 'cross-encoder']),
  /** The encoder an encoder bundle embeds texts with (its name, embedding width, truncation); null otherwise. */
  encoder: z
    .object({ name: z.string(), dim: z.number().int(), maxLength: z.number().int() })
    .nullable(),
  /**
   * The model a cross-encoder bundle scores pairs with (its name, pair truncation, logits per pair and how they
   * map to the grades: `columns` reordered, or a `single-score`); null otherwise.
   */
  crossEncoder: z
    .object({
      name: z.string(),
      maxLength: z.number().int(),
      logits: z.number().int(),
      mapping: z.enum(['columns', 'single-score']),
    })
    .nullable(),
  /** The bundle folder, relative to the models folder when inside it. */
  path: z.string(),
  /** sha256 of model.onnx; of manifest.json for an encoder or cross-encoder bundle (it lists every file's sha256). */
  sha256: z.string(),
  bytes: z.number().int(),
  /** Export time; null for an encoder or cross-encoder bundle (its manifest records none). */
  createdAt: z.string().nullable(),
  loadedAt: z.string(),
  gradeshiftVersion: z.string().nullable(),
  /** The grade scale, lowest first; `gain` (NDCG) null for an encoder or cross-encoder bundle (names only). */
  grades: z.array(z.object({ name: z.string(), gain: z.number().nullable() })),
  ood: z.array(
    z.object({
      name: z.string(),
      source: z.enum(['graph', 'detector', 'fused']),
      space: z.enum(OOD_SPACES),
      threshold: z.number(),
      tpr: z.number(),
    }),
  ),
  metrics: z.record(z.string(), z.number().nullable()),
  /** The training data's fingerprint; null for an encoder or cross-encoder bundle (its run records it). */
  training: z
    .object({
      dataSha256: z.string(),
      splitSeed: z.number(),
      sizes: z.record(z.string(), z.number()),
    })
    .nullable(),
});

/** A served model as clients see it. */
export type ModelInfo = z.infer<typeof modelInfo>;

/** What only one kind of bundle records. */
function kindInfo(
  model: ServedModel,
): Pick<
  ModelInfo,
  'kind' | 'encoder' | 'crossEncoder' | 'createdAt' | 'gradeshiftVersion' | 'metrics' | 'training'
> {
  const none = { createdAt: null, gradeshiftVersion: null, metrics: {}, training: null };
  if (model.kind === 'encoder') {
    const { name, dim, maxLength } = model.manifest.backbone;
    return { kind: 'encoder', encoder: { name, dim, maxLength }, crossEncoder: null, ...none };
  }
  if (model.kind === 'cross-encoder') {
    const { backbone, logitMapping } = model.manifest;
    const { name, maxLength } = backbone;
    const crossEncoder = {
      name,
      maxLength,
      logits: backbone.outputs.count,
      mapping: logitMapping.kind,
    };
    return { kind: 'cross-encoder', encoder: null, crossEncoder, ...none };
  }
  const { manifest } = model;
  return {
    kind: 'scorer',
    encoder: null,
    crossEncoder: null,
    createdAt: manifest.createdAt,
    gradeshiftVersion: manifest.gradeshiftVersion,
    metrics: { ...manifest.metrics },
    training: {
      dataSha256: manifest.training.dataSha256,
      splitSeed: manifest.training.splitSeed,
      sizes: { ...manifest.training.sizes },
    },
  };
}

function infoOf(
  model: ServedModel,
  options: { modelsDir: string; defaultId: string | undefined },
): ModelInfo {
  const rel = relative(options.modelsDir, model.dir);
  const grades =
    model.kind === 'scorer'
      ? model.manifest.grades.map((g) => ({ name: g.name, gain: g.gain }))
      : gradeNames(model).map((name) => ({ name, gain: null }));
  return {
    id: model.id,
    version: model.version,
    isDefault: model.id === options.defaultId,
    path: rel.startsWith('..') || rel === '' ? model.dir : rel,
    sha256: model.sha256,
    bytes: model.bytes,
    loadedAt: model.loadedAt,
    grades,
    ood: Object.entries(oodScoresOf(model)).map(([name, score]) => ({
      name,
      source: score.source.kind,
      space: score.space,
      threshold: score.threshold.value,
      tpr: score.threshold.tpr,
    })),
    ...kindInfo(model),
  };
}

/** The models router. */
export const modelsRouter = router({
  list: publicProcedure.output(z.array(modelInfo)).query(({ ctx }) => {
    const { registry, config } = ctx.services;
    return registry
      .list()
      .map((m) => infoOf(m, { modelsDir: config.modelsDir, defaultId: registry.defaultId }));
  }),
  get: publicProcedure
    .input(z.object({ id: modelId }))
    .output(modelInfo)
    .query(({ input, ctx }) => {
      const { registry, config } = ctx.services;
      return infoOf(registry.get(input.id), {
        modelsDir: config.modelsDir,
        defaultId: registry.defaultId,
      });
    }),
  reload: stateProcedure
    .input(
      z.object({
        id: modelId,
        /** A bundle folder relative to the models folder. @default the model's current folder */
        path: z.string().min(1).max(1024).optional(),
      }),
    )
    .output(z.object({ model: modelInfo, previousVersion: z.number().int() }))
    .mutation(async ({ input, ctx }) => {
      const { registry, config } = ctx.services;
      const previous = registry.get(input.id);
      const dir =
        input.path === undefined
          ? undefined
          : confineFolder(input.path, { root: config.modelsDir, field: 'path' });
      const t0 = performance.now();
      const model = await registry.reload(input.id, dir);
      // The other replicas on a shared store reload too (models/reload-channel.ts).
      await ctx.services.reloads
        .announce(model, dir)
        .catch((error: unknown) =>
          ctx.log.error(
            { model: model.id, err: error },
            'the reload could not be announced to other replicas',
          ),
        );
      ctx.log.info(
        {
          model: model.id,
          version: model.version,
          sha256: model.sha256,
          ms: Math.round(performance.now() - t0),
        },
        'model reloaded',
      );
      return {
        model: infoOf(model, { modelsDir: config.modelsDir, defaultId: registry.defaultId }),
        previousVersion: previous.version,
      };
    }),
});

/**
 * An encoder run: the pipeline's splits of a data source → a frozen encoder's embeddings (cached) → a grade head
 * chosen on ID validation → every evaluated split (ID test, near-OOD test, far-OOD test) through the external
 * predictions evaluation with ID validation as the reference, once per feature space (`relevance`, `content`) →
 * the teacher file for distillation and `encoder-run.json`, the run's summary.
 *
 * Files in `outDir`: `encoder-run.json`, `teacher.jsonl`, `head.json` (the head's weights), `bundle/` (the encoder
 * bundle, `writeEncoderBundle`: the encoder's files, the head as its own ONNX graph, the manifest with the decision
 * rule and OOD detectors fitted on ID validation as the evaluations fit them), and one folder per split and space
 * (`id_test.relevance/`, …) with that evaluation's `report.json` and `predictions.jsonl`.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

import type { GradeHeadParams } from '@gradeshift/core';
import type { Gemm } from '@gradeshift/core/math';

import type { LabeledPair } from '../data/dataset';
import { evaluatePredictions } from '../external/evaluate-predictions';
import { writeFileAtomic } from '../io/atomic-write';
import { createPipelineGemm } from '../pipeline/prepare-source';
import type { DataSource, FarSource } from '../pipeline/types';
import type { ShiftStrategy } from '../splits/types';
import { ratingOf } from '../stages/prepare';
import type { ProgressSink } from '../stages/progress';
import type { BackboneScores } from './backbone';
import { chooseHead, type HeadSettings, type HeadTrial } from './choose-head';
import { createEncoderBackbone } from './encoder-backbone';
import { writeEncoderBundle } from './encoder-bundle';
import { fitEncoderBundleDecisions } from './encoder-bundle-ood';
import { DEFAULT_EMBEDDING_BLOCKS, encodePairs, type EmbeddingBlock } from './encoder-features';
import { predictionFileOf, writeTeacherFile } from './encoder-outputs';
import { loadEncoderRunData, trainingTermStatistics, type EncoderRunData } from './encoder-splits';
import { openEncoder, type OpenEncoder } from './open-encoder';
import {
  summarizeEncoderRun,
  type EncoderRunSummary,
  type SpaceEvaluation,
} from './encoder-summary';

/** Options of {@link runEncoderBackbone}. */
export interface EncoderRunOptions {
  readonly data: DataSource;
  /** @default the data source's default far-OOD set */
  readonly far?: FarSource | null;
  /** @default the data source's default shift, as `runPipeline` */
  readonly shift?: ShiftStrategy;
  /** The encoder folder (model.onnx + tokenizer.json). */
  readonly encoder: string;
  readonly outDir: string;
  readonly repoRoot: string;
  /** Cache root of the embeddings; null caches nothing. */
  readonly cacheDir: string | null;
  /** @default 0, the pipeline's */
  readonly splitSeed?: number;
  /** Seed of the head's initialisation and shuffles. @default 0 */
  readonly seed?: number;
  /** Add the default scorer's term-match features to the head's input. @default true */
  readonly lexical?: boolean;
  /** The embedding blocks of the head's input. @default DEFAULT_EMBEDDING_BLOCKS */
  readonly blocks?: readonly EmbeddingBlock[];
  readonly grid?: readonly HeadSettings[];
  /** @default 30 */
  readonly epochs?: number;
  /** @default 128 */
  readonly maxLength?: number;
  /** @default 1 */
  readonly threads?: number;
  /** Bootstrap resamples of the intervals. @default 1000 */
  readonly resamples?: number;
  readonly progress?: ProgressSink;
  readonly signal?: AbortSignal;
}

/** What {@link runEncoderBackbone} returns. */
export interface EncoderRunResult {
  readonly summary: EncoderRunSummary;
  readonly summaryPath: string;
  readonly teacherPath: string;
  /** ONNX runs of the encoder (0 when every text came from the cache). */
  readonly encoderRuns: number;
}

const scoreOpts = (o: EncoderRunOptions) => ({
  ...(o.progress === undefined ? {} : { progress: o.progress }),
  ...(o.signal === undefined ? {} : { signal: o.signal }),
});

/** Embeds every split's texts in one pass, so progress and the cache see the whole run at once. */
async function embedAll(
  encoder: OpenEncoder,
  data: EncoderRunData,
  options: EncoderRunOptions,
): Promise<void> {
  const { splits } = data;
  const texts = new Set<string>();
  for (const pairs of [
    splits.idTrain.pairs,
    splits.idValidation.pairs,
    splits.pool.pairs,
    ...data.evaluated.values(),
  ])
    for (const p of pairs) texts.add(p.query).add(p.item);
  await encoder.embed([...texts], scoreOpts(options));
}

/** Trains the head on ID train, choosing its setting on ID validation. */
async function trainHead(
  context: { encoder: OpenEncoder; data: EncoderRunData; gemm: Gemm },
  options: EncoderRunOptions,
): Promise<{
  head: GradeHeadParams;
  trials: readonly HeadTrial[];
  chosen: number;
  lexical: ReturnType<typeof trainingTermStatistics> | null;
}> {
  const { encoder, data, gemm } = context;
  const { dataset, splits } = data;
  const lexical = options.lexical === false ? null : trainingTermStatistics(splits.idTrain.pairs);
  const train = splits.idTrain.pairs;
  const validation = splits.idValidation.pairs;
  const settings = { lexical, blocks: options.blocks ?? DEFAULT_EMBEDDING_BLOCKS };
  const chosen = await chooseHead(
    {
      pairs: train,
      ratings: Float64Array.from(train, (p) => ratingOf(p, dataset)),
      encoded: await encodePairs(encoder, train, settings),
    },
    { pairs: validation, encoded: await encodePairs(encoder, validation, settings) },
    {
      grades: dataset.scale.grades.length,
      gemm,
      ...(options.grid === undefined ? {} : { grid: options.grid }),
      ...(options.epochs === undefined ? {} : { epochs: options.epochs }),
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...scoreOpts(options),
    },
  );
  return { ...chosen, lexical };
}

/** Evaluates one split in both spaces against ID validation. */
async function evaluateSplit(
  sets: {
    name: string;
    split: { pairs: readonly LabeledPair[]; scores: BackboneScores };
    reference: { pairs: readonly LabeledPair[]; scores: BackboneScores };
  },
  context: { data: EncoderRunData; outDir: string; options: EncoderRunOptions },
): Promise<Record<string, SpaceEvaluation>> {
  const { name, split, reference } = sets;
  const out: Record<string, SpaceEvaluation> = {};
  for (const [space, evaluatedSpace] of Object.entries(split.scores.spaces)) {
    const referenceSpace = reference.scores.spaces[space];
    if (referenceSpace === undefined) continue;
    const pick = (s: typeof split, label: string, chosen: typeof evaluatedSpace) =>
      predictionFileOf(label, { ...s, space: chosen }, context.data.dataset);
    const folder = join(context.outDir, `${name}.${space}`);
    const evaluation = await evaluatePredictions({
      reference: pick(reference, `id_validation.${space}`, referenceSpace),
      predictions: pick(split, `${name}.${space}`, evaluatedSpace),
      outDir: folder,
      resamples: context.options.resamples ?? 1000,
      ...scoreOpts(context.options),
    });
    out[space] = { folder, metrics: evaluation.metrics, detection: evaluation.detection };
  }
  return out;
}

/**
 * Runs the encoder backbone end to end (see the module comment).
 * @throws DataError for bad data; Error for a missing encoder file; CoreError for a model that is not an encoder
 */
export async function runEncoderBackbone(options: EncoderRunOptions): Promise<EncoderRunResult> {
  const t0 = Date.now();
  const outDir = resolve(options.outDir);
  mkdirSync(outDir, { recursive: true });
  const data = await loadEncoderRunData({ ...options, ...scoreOpts(options) });
  const encoder = await openEncoder(options.encoder, {
    cacheDir: options.cacheDir,
    maxLength: options.maxLength ?? 128,
    threads: options.threads ?? 1,
  });
  const gemm = createPipelineGemm();
  try {
    await embedAll(encoder, data, options);
    const trained = await trainHead({ encoder, data, gemm }, options);
    const blocks = options.blocks ?? DEFAULT_EMBEDDING_BLOCKS;
    const scored = createEncoderBackbone(
      encoder,
      { head: trained.head, lexical: trained.lexical, blocks },
      { gemm },
    );
    const score = (pairs: readonly { query: string; item: string }[]) =>
      scored.score(pairs, scoreOpts(options));
    const { splits } = data;
    const reference = {
      pairs: splits.idValidation.pairs,
      scores: await score(splits.idValidation.pairs),
    };
    const evaluations: Record<string, Record<string, SpaceEvaluation>> = {};
    for (const [name, pairs] of data.evaluated) {
      options.progress?.({ stage: 'evaluate', message: `evaluating ${name}` });
      evaluations[name] = await evaluateSplit(
        { name, split: { pairs, scores: await score(pairs) }, reference },
        { data, outDir, options },
      );
    }
    const teacherPath = join(outDir, 'teacher.jsonl');
    const teacherRows = writeTeacherFile(teacherPath, [
      { split: 'id_train', pairs: splits.idTrain.pairs, scores: await score(splits.idTrain.pairs) },
      { split: 'pool', pairs: splits.pool.pairs, scores: await score(splits.pool.pairs) },
    ]);
    writeFileAtomic(join(outDir, 'head.json'), JSON.stringify(headJson(trained.head)));
    const dim = (reference.scores.spaces['content']?.dim ?? 0) / 2;
    options.progress?.({
      stage: 'evaluate',
      message: "fitting the bundle's decision rule and OOD detectors",
    });
    writeEncoderBundle({
      encoder,
      head: trained.head,
      lexical: trained.lexical,
      blocks,
      dim,
      grades: data.dataset.scale.grades.map((g) => g.name),
      decisions: await fitEncoderBundleDecisions(reference, data.dataset),
      outDir: join(outDir, 'bundle'),
    });
    const summary = summarizeEncoderRun({
      encoder,
      data,
      trained,
      features: { dim, blocks },
      evaluations,
      teacher: { path: teacherPath, rows: teacherRows },
      seconds: (Date.now() - t0) / 1000,
    });
    const summaryPath = join(outDir, 'encoder-run.json');
    writeFileAtomic(summaryPath, `${JSON.stringify(summary, null, 2)}\n`);
    return { summary, summaryPath, teacherPath, encoderRuns: encoder.runs };
  } finally {
    await gemm.dispose();
    await encoder.dispose();
  }
}

/** The head's weights as JSON arrays. */
function headJson(head: GradeHeadParams): Record<string, unknown> {
  return {
    inputs: head.inputs,
    hidden: head.hidden,
    grades: head.grades,
    mean: Array.from(head.mean),
    scale: Array.from(head.scale),
    w1: Array.from(head.w1),
    b1: Array.from(head.b1),
    w2: Array.from(head.w2),
    b2: Array.from(head.b2),
  };
}

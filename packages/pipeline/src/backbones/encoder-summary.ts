/**
 * `encoder-run.json`: what an encoder run was (the backbone: encoder model and tokenizer files with their sha256,
 * output, width, truncation; the head's input features and settings), how its head was chosen on ID validation,
 * and what it scored: each evaluated split's metrics with intervals and each feature space's detectors.
 */
import { TERM_MATCH_FEATURE_COUNT, type GradeHeadParams } from '@gradeshift/core';

import { SPLIT_METRICS, type IntervalEstimate, type SplitMetrics } from '../stages/split-metrics';
import { DEFAULT_GRADED_LOSS } from '../stages/losses';
import type { HeadTrial } from './choose-head';
import { blockWidth, type EmbeddingBlock } from './encoder-features';
import type { EncoderRunData } from './encoder-splits';
import type { OpenEncoder } from './open-encoder';

/** One split evaluated in one feature space. */
export interface SpaceEvaluation {
  /** The evaluation's folder (report.json, predictions.jsonl). */
  readonly folder: string;
  readonly metrics: SplitMetrics;
  readonly detection: Readonly<Record<string, { auroc: number; fprAtTpr: number }>>;
}

/** The summary of an encoder run. */
export interface EncoderRunSummary {
  readonly format: 'gradeshift-encoder-run';
  readonly version: 1;
  readonly backbone: Readonly<Record<string, unknown>>;
  readonly data: Readonly<Record<string, unknown>>;
  readonly selection: {
    readonly criterion: string;
    readonly trials: readonly HeadTrial[];
    readonly chosen: number;
  };
  /** Per evaluated split: n, queries, decision rule and every metric with its interval. */
  readonly splits: Readonly<
    Record<string, Readonly<Record<string, IntervalEstimate | number | string>>>
  >;
  /** Per evaluated split and feature space: each detector's AUROC and FPR at 95% TPR against ID validation. */
  readonly detection: Readonly<
    Record<string, Readonly<Record<string, SpaceEvaluation['detection']>>>
  >;
  readonly folders: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly teacher: { readonly path: string; readonly rows: number };
  readonly seconds: number;
}

const SPLIT_KEYS = {
  id_train: 'idTrain',
  id_validation: 'idValidation',
  id_test: 'idTest',
  ood_test: 'oodTest',
} as const;

/** The backbone section: files, checksums and the head's features. */
function backboneOf(
  encoder: OpenEncoder,
  head: GradeHeadParams,
  features: { dim: number; blocks: readonly EmbeddingBlock[]; lexical: boolean },
): Record<string, unknown> {
  const { dim, blocks, lexical } = features;
  const names = { q: 'q', d: 'd', product: 'q⊙d', difference: '|q−d|', cosine: 'cos(q, d)' };
  const width = blocks.reduce((w, b) => w + blockWidth(b, dim), 0);
  return {
    kind: 'encoder',
    name: `encoder:${encoder.name}`,
    folder: encoder.folder,
    model: { file: 'model.onnx', sha256: encoder.modelSha256 },
    tokenizer: { file: 'tokenizer.json', sha256: encoder.tokenizerSha256 },
    output: encoder.output,
    max_length: encoder.maxLength,
    dim,
    frozen: true,
    features: `[${blocks.map((b) => names[b]).join(', ')}] of the pooled query and item embeddings (${width})${lexical ? ` + the default scorer's ${TERM_MATCH_FEATURE_COUNT} term-match features (IDF from the ID-train texts)` : ''}, standardised on ID train`,
    head: {
      inputs: head.inputs,
      hidden: head.hidden,
      activation: 'relu',
      grades: head.grades,
      loss: { name: 'graded', ...DEFAULT_GRADED_LOSS },
      optimizer: 'AdamW, batches of 256 pairs grouped by query',
    },
    spaces: {
      relevance: `the head's hidden layer (${head.hidden})`,
      content: `[q, d], the query and item embeddings (${2 * dim})`,
    },
  };
}

/** Builds the summary of a finished run. */
export function summarizeEncoderRun(run: {
  encoder: OpenEncoder;
  data: EncoderRunData;
  trained: {
    head: GradeHeadParams;
    trials: readonly HeadTrial[];
    chosen: number;
    lexical: unknown;
  };
  features: { dim: number; blocks: readonly EmbeddingBlock[] };
  evaluations: Record<string, Record<string, SpaceEvaluation>>;
  teacher: { path: string; rows: number };
  seconds: number;
}): EncoderRunSummary {
  const { data, trained, evaluations } = run;
  const sizes: Record<string, number> = { pool: data.splits.pool.pairs.length };
  for (const [name, key] of Object.entries(SPLIT_KEYS)) sizes[name] = data.splits[key].pairs.length;
  if (data.splits.farTest !== undefined) sizes['far_test'] = data.splits.farTest.pairs.length;
  const splits: Record<string, Record<string, IntervalEstimate | number | string>> = {};
  const detection: Record<string, Record<string, SpaceEvaluation['detection']>> = {};
  const folders: Record<string, Record<string, string>> = {};
  for (const [name, spaces] of Object.entries(evaluations)) {
    const first = Object.values(spaces)[0];
    if (first !== undefined) {
      const m = first.metrics;
      splits[name] = {
        n: m.n,
        queries: m.queries,
        decision: m.decision,
        ...Object.fromEntries(SPLIT_METRICS.map((k) => [k, m[k]])),
      };
    }
    detection[name] = Object.fromEntries(Object.entries(spaces).map(([s, e]) => [s, e.detection]));
    folders[name] = Object.fromEntries(Object.entries(spaces).map(([s, e]) => [s, e.folder]));
  }
  return {
    format: 'gradeshift-encoder-run',
    version: 1,
    backbone: backboneOf(run.encoder, trained.head, {
      ...run.features,
      lexical: trained.lexical !== null,
    }),
    data: {
      sha256: data.dataset.source.sha256,
      path: data.dataset.source.path,
      split_sizes: sizes,
    },
    selection: {
      criterion:
        'ID-validation macro-F1 under ordinal cut points fitted on ID validation, early stopping and setting alike',
      trials: trained.trials,
      chosen: trained.chosen,
    },
    splits,
    detection,
    folders,
    teacher: run.teacher,
    seconds: run.seconds,
  };
}

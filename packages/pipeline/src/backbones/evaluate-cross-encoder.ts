/**
 * `evaluate --cross-encoder`: a cross-encoder folder (`cross-encoder.ts`) scores an in-distribution reference
 * dataset (e.g. the validation set) and the evaluated dataset, and the two become external predictions in
 * memory, evaluated by `evaluatePredictions` exactly as files would be: the decision rule fitted on the
 * reference, the detectors fitted on half its queries (on the model's logits and its hidden-state
 * `relevance` space) and calibrated on the other half, the same report.json, predictions.jsonl and run record.
 *
 * Logit columns: with config.json's `id2label` naming the data's grades, columns are reordered to the data's
 * grade order; generic labels (`LABEL_0`…) or none keep the model's order, which must then have one column per
 * grade. A single-logit model (one relevance score s per pair) is mapped to the K grade logits `c·s`
 * (c = 0…K−1): the expected grade under their softmax is strictly increasing in s (its derivative is the
 * variance of the grade), so the `ordinal-thresholds` decision rule, forced for such a model, fits K−1 cut
 * points on s itself on the reference. Those probabilities are a monotone map of s, not calibrated ones: the
 * decision and ranking metrics are the model's; RMSE and the probability-based OOD scores read the map.
 */
import { resolve, sep } from 'node:path';

import {
  mapCrossEncoderLogits,
  type CrossEncoderLogitMapping,
  type GradeScale,
} from '@gradeshift/core';

import { BundleError } from '../bundle/bundle-error';
import type { Dataset } from '../data/dataset';
import {
  evaluatePredictions,
  type EvaluatePredictionsOptions,
  type PredictionsEvaluation,
} from '../external/evaluate-predictions';
import type { FittedReference } from '../external/fit-reference';
import type { PredictionFile } from '../external/read-predictions';
import type { BackboneScores } from './backbone';
import {
  loadCrossEncoder,
  type CrossEncoderBackbone,
  type CrossEncoderBackboneOptions,
} from './cross-encoder';
import { checkBundleTarget, writeCrossEncoderBundle } from './cross-encoder-bundle';

/** Options of {@link evaluateCrossEncoder}. */
export interface EvaluateCrossEncoderOptions
  extends
    Omit<
      EvaluatePredictionsOptions,
      'predictions' | 'reference' | 'embeddings' | 'referenceEmbeddings' | 'mapping' | 'maxPairs'
    >,
    CrossEncoderBackboneOptions {
  /** A cross-encoder folder, or one already loaded (then not disposed here). */
  readonly model: string | CrossEncoderBackbone;
  /** The labelled pairs to evaluate. */
  readonly data: Dataset;
  /** In-distribution labelled pairs with the same grades (e.g. the validation set). */
  readonly reference: Dataset;
  /**
   * Folder to write the cross-encoder bundle into (the model's files, the logit mapping, the rule and detectors
   * fitted on the reference; `cross-encoder-bundle.ts`). @default undefined (none written)
   */
  readonly bundleOut?: string;
}

/** How the model's logit columns become the data's K grade logits (core's, which the bundles carry). */
export type LogitMapping = CrossEncoderLogitMapping;

const GENERIC_LABEL = /^label_\d+$/;

/**
 * Matches the model's logits to the data's grades (see the module comment).
 * @throws BundleError `MODEL_MISMATCH` when the counts differ or a grade has no named column
 */
export function logitMapping(
  model: { readonly dir: string; readonly labels: readonly string[] | null },
  logits: number,
  scale: GradeScale,
): LogitMapping {
  const names = scale.grades.map((g) => g.name.toLowerCase());
  if (logits === 1) return { kind: 'single-score' };
  const generic = model.labels === null || model.labels.every((l) => GENERIC_LABEL.test(l));
  if (generic) {
    if (logits === names.length) return { kind: 'columns', columns: names.map((_, i) => i) };
    throw new BundleError(
      'MODEL_MISMATCH',
      {
        path: model.dir,
        reason: `the model gives ${logits} logits but the data has ${names.length} grades (${names.join(', ')})`,
      },
      {
        hint: "evaluate on data graded on the model's scale (one logit per grade), or name the model's labels with the data's grades in config.json's id2label",
      },
    );
  }
  const labels = model.labels ?? [];
  const columns = names.map((name) => labels.indexOf(name));
  const missing = names.filter((_, i) => columns[i] === -1);
  if (missing.length > 0 || labels.length !== logits)
    throw new BundleError(
      'MODEL_MISMATCH',
      {
        path: model.dir,
        reason: `config.json's id2label [${labels.join(', ')}] ${missing.length > 0 ? `lacks the data's grades ${missing.join(', ')}` : `names ${labels.length} labels for ${logits} logits`}`,
      },
      {
        hint: `write id2label with one of the data's grade names (${names.join(', ')}) per logit, in the model's order`,
      },
    );
  return { kind: 'columns', columns };
}

/** A dataset scored by the model as in-memory external predictions. */
export function predictionsOf(
  dataset: Dataset,
  scores: BackboneScores,
  mapping: LogitMapping,
): PredictionFile {
  const k = dataset.scale.grades.length;
  const values = mapCrossEncoderLogits(scores, mapping, k);
  const space = scores.spaces['relevance'];
  return {
    dataset,
    shape: {
      file: dataset.source.path,
      grades: k,
      output: 'logits',
      embeddingWidth: space?.dim ?? null,
    },
    values,
    embeddings: space === undefined ? null : Float64Array.from(space.data),
  };
}

/** Refuses a reference graded on another scale than the data. */
function checkScales(data: Dataset, reference: Dataset): void {
  const names = (d: Dataset) => d.scale.grades.map((g) => g.name).join(', ');
  if (names(data) !== names(reference))
    throw new BundleError(
      'MODEL_MISMATCH',
      {
        path: reference.source.path,
        reason: `the reference is graded [${names(reference)}] but the data [${names(data)}]`,
      },
      { hint: 'load the reference with the same grade mapping as the data' },
    );
}

/**
 * Refuses a `--bundle-out` folder before anything is scored: one that is not new, empty or an earlier bundle, and
 * one that is, or lies inside, the evaluation's own `--out` folder (which the report fills before the bundle is
 * written, so the write would fail only after the whole evaluation).
 * @throws BundleError `NOT_A_BUNDLE` naming the folder and what to do
 */
function checkBundleOut(bundleOut: string, outDir: string | undefined): void {
  if (outDir !== undefined) {
    const out = resolve(outDir);
    if (bundleOut === out || bundleOut.startsWith(`${out}${sep}`))
      throw new BundleError(
        'NOT_A_BUNDLE',
        { path: bundleOut, reason: `the bundle folder is inside the evaluation's --out ${out}` },
        { hint: 'give --bundle-out a folder of its own, beside --out (e.g. <out>-bundle)' },
      );
  }
  checkBundleTarget(bundleOut);
}

/**
 * Scores the reference and the data with a cross-encoder and evaluates the data against the reference (see the
 * module comment).
 * @returns what `evaluatePredictions` returns
 * @throws BundleError for an unusable folder or logits that do not match the data's grades; DataError from the
 *   evaluation (e.g. a reference too small to fit the detectors)
 */
export async function evaluateCrossEncoder(
  options: EvaluateCrossEncoderOptions,
): Promise<PredictionsEvaluation & { readonly bundlePath?: string }> {
  const { model, data, reference, progress, signal, bundleOut, ...rest } = options;
  checkScales(data, reference);
  // A target the bundle cannot be written to is refused before the pairs are scored.
  if (bundleOut !== undefined) checkBundleOut(resolve(bundleOut), options.outDir);
  const backbone = typeof model === 'string' ? await loadCrossEncoder(model, options) : model;
  try {
    const scoreOptions = {
      ...(progress === undefined ? {} : { progress }),
      ...(signal === undefined ? {} : { signal }),
    };
    progress?.({ stage: 'evaluate', message: `scoring the reference ${reference.source.path}` });
    const refScores = await backbone.score(reference.pairs, scoreOptions);
    progress?.({ stage: 'evaluate', message: `scoring the data ${data.source.path}` });
    const dataScores = await backbone.score(data.pairs, scoreOptions);
    const mapping = logitMapping(backbone, refScores.grades, data.scale);
    let fitted: FittedReference | undefined;
    const result = await evaluatePredictions({
      ...rest,
      ...scoreOptions,
      predictions: predictionsOf(data, dataScores, mapping),
      reference: predictionsOf(reference, refScores, mapping),
      ...(mapping.kind === 'single-score' ? { decision: 'ordinal-thresholds' as const } : {}),
      onReferenceFitted: (ref) => (fitted = ref),
      recordConfig: {
        cross_encoder: backbone.dir,
        cross_encoder_sha256: backbone.sha256,
        max_length: backbone.maxLength,
        logits: refScores.grades,
        logit_mapping:
          mapping.kind === 'single-score' ? 'single score s → grade logits c·s' : mapping.columns,
        relevance_space: backbone.hidden,
        ...(bundleOut === undefined ? {} : { bundle_out: resolve(bundleOut) }),
      },
    });
    if (bundleOut === undefined || fitted === undefined) return result;
    progress?.({ stage: 'evaluate', message: `writing the cross-encoder bundle ${bundleOut}` });
    const input = { backbone, logits: refScores.grades, mapping, fitted };
    const grades = data.scale.grades.map((g) => g.name);
    writeCrossEncoderBundle({ ...input, grades }, bundleOut);
    return { ...result, bundlePath: resolve(bundleOut) };
  } finally {
    if (typeof model === 'string') await backbone.dispose();
  }
}

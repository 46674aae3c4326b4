/**
 * The manifest of a model bundle (`manifest.json` beside `model.onnx`): everything needed to score raw text
 * with the exported graph exactly as at training time, the OOD calibration, and where the model came from.
 * Plain JSON, checked field by field by {@link parseManifest} (no schema library in core).
 */
import type { GradeDecision } from '../decision/grade-decision';
import { CoreError } from '../errors';
import type { Grade } from '../grades/grade-scale';
import type { TermStatistics } from '../features/term-statistics';
import type { SubwordConfig, VocabularyJson } from '../features/vocabulary';
import type { ScorerConfig } from '../scorer/types';
import { CONTENT_ONNX_OUTPUTS } from '../content/content-graph';
import { isJsonObject, readFields, showValue } from './manifest-fields';
import {
  parseDecision,
  parseFeatures,
  parseGrades,
  parseModel,
  parseScorer,
  parseText,
  parseTraining,
  parseMetrics,
} from './manifest-sections';
import { parseOod } from './manifest-ood';
import { roleNames, type ScorerOnnxInputNames, type ScorerOnnxOutputNames } from './onnx-names';
import type { PrepareTextSettings } from './prepare-settings';

/** The `format` tag of every bundle manifest. */
export const BUNDLE_FORMAT = 'gradeshift-bundle';
/** The manifest format version this build writes and reads. */
export const BUNDLE_FORMAT_VERSION = 1;
/** File names inside a bundle folder. */
export const BUNDLE_FILES = Object.freeze({ model: 'model.onnx', manifest: 'manifest.json' });

/** Text preparation and the token ids of the embedding table. */
export interface BundleText {
  readonly prepare: PrepareTextSettings;
  readonly vocabulary: VocabularyJson;
  /** The hashed char n-gram buckets of unknown words (equal to `vocabulary.subwords`). */
  readonly subwords: SubwordConfig | null;
}

/** The lexical features fed to the graph. */
export interface BundleFeatures {
  /** `TERM_MATCH_FEATURE_NAMES`, in input order (scorer.lexicalDim of them). */
  readonly names: readonly string[];
  /** Document frequencies for the IDF-weighted features, or null for uniform weights. */
  readonly termStatistics: TermStatistics | null;
}

/** The ONNX file and its interface. */
export interface BundleModel {
  readonly file: string;
  /** Hex sha256 of the file's bytes. */
  readonly sha256: string;
  readonly bytes: number;
  readonly opset: number;
  /** V, rows of the embedding initializer (vocabulary size + buckets). */
  readonly embeddingRows: number;
  readonly inputs: ScorerOnnxInputNames;
  readonly outputs: ScorerOnnxOutputNames;
}

/** A fitted detector state run outside the graph (e.g. KNN); plain JSON with a kind and a version. */
export interface BundleDetectorState {
  readonly kind: string;
  readonly version: number;
  readonly [field: string]: unknown;
}

/**
 * The representation an OOD score reads, and so the question it answers:
 * - `relevance`: the relevance head's hidden features or logits: "is the model unsure of this pair?";
 * - `content`: the pooled word directions and word surprisal of the query and item: "is this traffic new?";
 * - `fused`: the mean ID percentile of several scores (any space), calibrated again on held-out ID pairs.
 */
export const OOD_SPACES = ['relevance', 'content', 'fused'] as const;
export type OodSpace = (typeof OOD_SPACES)[number];

/** The graph output a detector-sourced score reads. */
export type BundleDetectorInput = 'features' | 'logits' | 'content';

/**
 * Where an OOD score comes from: an output of the graph, a detector run on one of the graph's outputs (the
 * relevance features or logits, or the `content` rows), or the fusion of other scores of the manifest.
 */
export type BundleOodSource =
  | { readonly kind: 'graph'; readonly output: string }
  | {
      readonly kind: 'detector';
      readonly reads: BundleDetectorInput;
      readonly state: BundleDetectorState;
    }
  | {
      readonly kind: 'fused';
      /** Names of the fused scores (each an earlier, non-fused entry of `ood`). */
      readonly of: readonly string[];
      /** Mean of their ID percentiles, or the largest. */
      readonly method: 'mean' | 'max';
    };

/** The empirical CDF of a score on held-out ID pairs (`@gradeshift/ood`'s `PercentileCalibrationState`). */
export interface BundlePercentileCalibration {
  readonly kind: 'percentile-calibration';
  readonly version: 1;
  /** Held-out ID scores, ascending. */
  readonly sorted: readonly number[];
}

/** One OOD score: its source, settings, calibration and operating threshold. */
export interface BundleOodScore {
  readonly source: BundleOodSource;
  /** The representation the score reads (manifests written before the field existed: `relevance`). */
  readonly space: OodSpace;
  /** Settings for reports (e.g. `{ normalize: true, normEpsilon: 1e-10 }`, `{ temperature: 1 }`). */
  readonly settings: Readonly<Record<string, number | string | boolean>>;
  readonly calibration: BundlePercentileCalibration;
  /** Flag as OOD when score > value; value keeps `tpr` of held-out ID pairs (`thresholdAtTpr`). */
  readonly threshold: { readonly tpr: number; readonly value: number };
}

/** The training-data fingerprint. */
export interface BundleTraining {
  /** Hex sha256 of the data file. */
  readonly dataSha256: string;
  readonly splitSeed: number;
  /** Pairs per split (e.g. `{ train: 52000, id_test: 6000 }`). */
  readonly sizes: Readonly<Record<string, number>>;
}

/** A bundle manifest, format version 1. */
export interface BundleManifest {
  readonly format: typeof BUNDLE_FORMAT;
  readonly version: typeof BUNDLE_FORMAT_VERSION;
  /** ISO 8601 time of export. */
  readonly createdAt: string;
  readonly gradeshiftVersion: string;
  /** The grade scale, lowest first (scorer.grades entries). */
  readonly grades: readonly Grade[];
  readonly scorer: ScorerConfig;
  readonly text: BundleText;
  readonly features: BundleFeatures;
  readonly model: BundleModel;
  /** OOD scores by name (`mahalanobis`, `energy`, `knn`, …). */
  readonly ood: Readonly<Record<string, BundleOodScore>>;
  readonly training: BundleTraining;
  /** Summary metrics by name (e.g. `id_test.ndcg@10`); null when not computed. */
  readonly metrics: Readonly<Record<string, number | null>>;
  /**
   * How probabilities become the predicted grade (the rule the metrics were computed with), e.g. cut points on
   * the expected grade fitted on ID validation. Absent: arg-max (bundles written before the field existed).
   */
  readonly decision?: GradeDecision;
}

/**
 * Checks parsed JSON and returns it as a {@link BundleManifest}: every field's type and range, and the
 * agreements between sections (grades = scorer.grades, feature names = this build's term-match features,
 * embedding rows = vocabulary + buckets, distinct ONNX names, K − 1 decision cut points).
 * @param json - the parsed `manifest.json`
 * @returns the manifest (fresh objects; unknown fields are dropped)
 * @throws CoreError `INVALID_ARGUMENT` "not a gradeshift bundle manifest" for foreign JSON, or naming the field
 * and what is wrong (`manifest.scorer.hidden1 must be a positive integer (got -1)`); CoreError `VERSION_MISMATCH`
 * for another format version
 * @example parseManifest(JSON.parse(readFileSync('bundle/manifest.json', 'utf8')))
 * @see https://onnx.ai/onnx/repo-docs/IR.html (the model file the manifest describes)
 */
export function parseManifest(json: unknown): BundleManifest {
  if (!isJsonObject(json) || json['format'] !== BUNDLE_FORMAT) {
    const format = isJsonObject(json) ? ` (format ${showValue(json['format'])})` : '';
    throw new CoreError(
      'INVALID_ARGUMENT',
      `not a gradeshift bundle manifest${format}; expected an object with format "${BUNDLE_FORMAT}"`,
    );
  }
  const version = json['version'];
  if (version !== BUNDLE_FORMAT_VERSION) {
    if (typeof version === 'number' && Number.isSafeInteger(version) && version > 0) {
      throw new CoreError(
        'VERSION_MISMATCH',
        `manifest was written by gradeshift bundle format ${version}; this build reads format ${BUNDLE_FORMAT_VERSION}`,
      );
    }
    throw new CoreError(
      'INVALID_ARGUMENT',
      `manifest.version must be ${BUNDLE_FORMAT_VERSION} (got ${showValue(version)})`,
    );
  }
  const f = readFields(json, 'manifest');
  const createdAt = f.string('createdAt', {
    pattern: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
    expected: 'an ISO 8601 date-time (e.g. 2025-01-31T12:00:00.000Z)',
  });
  const scorer = parseScorer(f.raw('scorer'));
  const text = parseText(f.raw('text'));
  const features = parseFeatures(f.raw('features'), scorer);
  const model = parseModel(f.raw('model'), text);
  return {
    format: BUNDLE_FORMAT,
    version: BUNDLE_FORMAT_VERSION,
    createdAt,
    gradeshiftVersion: f.string('gradeshiftVersion'),
    grades: parseGrades(f.raw('grades'), scorer),
    scorer,
    text,
    features,
    model,
    ood: parseOod(f.raw('ood'), model),
    training: parseTraining(f.raw('training')),
    metrics: parseMetrics(f.raw('metrics')),
    ...(json['decision'] === undefined
      ? {}
      : { decision: parseDecision(json['decision'], scorer) }),
  };
}

/**
 * Every output the bundle's model must have: the relevance head's, each graph-sourced OOD score's, and the
 * `content` rows when the manifest has content-space scores.
 * @example bundleOutputNames(manifest) // ['logits', 'probs', 'expected_grade', 'features', 'ood_mahalanobis', …]
 */
export function bundleOutputNames(manifest: BundleManifest): string[] {
  const outputs = roleNames(manifest.model.outputs);
  for (const score of Object.values(manifest.ood))
    if (score.source.kind === 'graph') outputs.push(score.source.output);
  if (Object.values(manifest.ood).some((score) => score.space === 'content'))
    outputs.push(CONTENT_ONNX_OUTPUTS.content);
  return outputs;
}

/**
 * Assembling a bundle manifest from the objects of a training run, so callers never spell ONNX names or
 * settings by hand: a draft (everything but the model file's checksum) and its completion once the bytes exist.
 */
import type { GradeDecision } from '../decision/grade-decision';
import type { PrepareTextOptions } from '../features/prepare-text';
import { TERM_MATCH_FEATURE_NAMES } from '../features/term-match';
import type { TermStatistics } from '../features/term-statistics';
import type { Vocabulary } from '../features/vocabulary';
import type { GradeScale } from '../grades/grade-scale';
import type { ScorerConfig } from '../scorer/types';
import {
  BUNDLE_FILES,
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  parseManifest,
  type BundleManifest,
  type BundleModel,
  type BundleOodScore,
  type BundleTraining,
} from './manifest';
import { SCORER_ONNX_INPUTS, SCORER_ONNX_OPSET, SCORER_ONNX_OUTPUTS } from './onnx-names';
import { prepareSettingsFromOptions } from './prepare-settings';

/** A manifest without the model file's name, checksum and size (filled in by {@link completeBundleManifest}). */
export type BundleManifestDraft = Omit<BundleManifest, 'model'> & {
  readonly model: Omit<BundleModel, 'file' | 'sha256' | 'bytes'>;
};

/** Options for {@link createBundleManifest}. */
export interface CreateBundleManifestOptions {
  /** The scorer's sizes (`params.config`). */
  config: ScorerConfig;
  /** The grade scale of the training data (K = config.grades). */
  scale: GradeScale;
  /** The vocabulary the embedding table was built for. */
  vocabulary: Vocabulary;
  /** The text preparation used in training. @default {} (prepareText's defaults, written out) */
  prepare?: PrepareTextOptions;
  /** The IDF statistics used in training. @default undefined (uniform term weights) */
  termStatistics?: TermStatistics;
  /** OOD scores by name; graph sources name outputs of the exported model (`SCORER_ONNX_OOD_OUTPUTS`). @default {} */
  ood?: Readonly<Record<string, BundleOodScore>>;
  /** The training-data fingerprint. */
  training: BundleTraining;
  /** Summary metrics. @default {} */
  metrics?: Readonly<Record<string, number | null>>;
  /**
   * The decision rule of the predicted grade (e.g. the pipeline's `evaluation.decision`: cut points fitted on ID
   * validation). @default undefined (no field: scorers use arg-max)
   */
  decision?: GradeDecision;
  /** The gradeshift version that exports (e.g. the pipeline package's version). */
  gradeshiftVersion: string;
  /** ISO 8601 export time. @default the current time */
  createdAt?: string;
}

/**
 * A manifest draft for a model exported with `exportScorerOnnx` (its input and output names, opset 18).
 * @param options - the run's objects
 * @returns the draft; complete it with {@link completeBundleManifest} once model.onnx's bytes are known
 * @example const draft = createBundleManifest({ config, scale, vocabulary, training, gradeshiftVersion: '0.1.0' });
 * @see {@link parseManifest} for every field
 */
export function createBundleManifest(options: CreateBundleManifestOptions): BundleManifestDraft {
  const { config, vocabulary, termStatistics, decision } = options;
  return {
    format: BUNDLE_FORMAT,
    version: BUNDLE_FORMAT_VERSION,
    createdAt: options.createdAt ?? new Date().toISOString(),
    gradeshiftVersion: options.gradeshiftVersion,
    grades: options.scale.grades.map((g) => ({ name: g.name, gain: g.gain })),
    scorer: { ...config },
    text: {
      prepare: prepareSettingsFromOptions(options.prepare),
      vocabulary: vocabulary.toJSON(),
      subwords: vocabulary.subwords ?? null,
    },
    features: { names: [...TERM_MATCH_FEATURE_NAMES], termStatistics: termStatistics ?? null },
    model: {
      opset: SCORER_ONNX_OPSET,
      embeddingRows: vocabulary.embeddingRows,
      inputs: { ...SCORER_ONNX_INPUTS },
      outputs: { ...SCORER_ONNX_OUTPUTS },
    },
    ood: { ...(options.ood ?? {}) },
    training: options.training,
    metrics: { ...(options.metrics ?? {}) },
    ...(decision === undefined
      ? {}
      : {
          decision:
            decision.kind === 'argmax'
              ? { kind: 'argmax' }
              : decision.kind === 'grade-offsets'
                ? { kind: decision.kind, offsets: [...decision.offsets] }
                : {
                    kind: decision.kind,
                    thresholds: [...decision.thresholds],
                    ...(decision.lowestAt === undefined ? {} : { lowestAt: decision.lowestAt }),
                  },
        }),
  };
}

/**
 * Completes a draft with the model file's checksum and size, and validates the result.
 * @param draft - from {@link createBundleManifest}
 * @param model - hex sha256 and byte length of model.onnx
 * @returns the checked manifest
 * @throws CoreError from {@link parseManifest} for an invalid draft
 * @see {@link parseManifest}
 */
export function completeBundleManifest(
  draft: BundleManifestDraft,
  model: { readonly sha256: string; readonly bytes: number },
): BundleManifest {
  return parseManifest({
    ...draft,
    model: { ...draft.model, file: BUNDLE_FILES.model, sha256: model.sha256, bytes: model.bytes },
  });
}

/**
 * The common shape of every OOD detector: fit on in-distribution data, then score new samples,
 * where a **higher score means more out-of-distribution** (the sign convention of every detector here).
 * Fitted states are plain JSON (numbers and arrays) with a `kind` and a `version`, so a model bundle
 * can carry them and a loader can refuse a state written by an incompatible version.
 */
import type { Gemm, MatrixLike } from '@gradeshift/core/math';

/** The detectors gradeshift ships. */
export type DetectorKind = 'mahalanobis' | 'relative-mahalanobis' | 'energy' | 'msp' | 'max-logit' | 'knn';

/** What a detector reads from one forward pass: hidden features (n × d) and/or grade logits (n × K). */
export interface DetectorInput {
  /** Hidden features, one row per sample (feature-space detectors). */
  features?: MatrixLike;
  /** Grade logits, one row per sample (logit-space detectors). */
  logits?: MatrixLike;
}

/** Training data for {@link OodDetectorFactory.fit}: ID features/logits and integer grade labels. */
export interface DetectorFitInput extends DetectorInput {
  /** Integer grade per row, needed by class-conditional detectors (Mahalanobis). */
  labels?: ArrayLike<number>;
}

/** Shared options for compute-heavy detectors. */
export interface DetectorComputeOptions {
  /** Matrix-product kernel; defaults to the pure TypeScript `jsGemm`. Pass onnxruntime's for large batches. */
  gemm?: Gemm;
}

/** Every fitted state carries these. */
export interface FittedStateBase<TKind extends DetectorKind = DetectorKind> {
  readonly kind: TKind;
  /** Format version of this state; loaders refuse other versions. */
  readonly version: number;
}

/** A fitted detector, ready to score. */
export interface OodDetector<TState extends FittedStateBase = FittedStateBase> {
  readonly kind: TState['kind'];
  /** What the detector needs: `'features'`, `'logits'`. */
  readonly needs: 'features' | 'logits';
  /** Scores one batch: higher = more out-of-distribution. Never returns NaN. */
  score(input: DetectorInput, options?: DetectorComputeOptions): Promise<Float64Array>;
  /** The JSON-serialisable fitted state. */
  toJSON(): TState;
}

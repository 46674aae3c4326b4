/**
 * The common shape of every OOD detector: fit on in-distribution data, then score new samples,
 * where a **higher score means more out-of-distribution** (the sign convention of every detector here).
 * Fitted states are plain JSON (numbers and arrays) with a `kind` and a `version`, so a model bundle
 * can carry them and a loader can refuse a state written by an incompatible version.
 */
import { assertFinite, assertMatrix, type Gemm, type MatrixLike } from '@gradeshift/core/math';

import { OodError } from './errors';

/**
 * The detectors gradeshift ships; `surprisal` is the content space's word-familiarity score, computed in the
 * forward pass and handed to selection as a detector over the same rows.
 */
export type DetectorKind =
  'mahalanobis' | 'relative-mahalanobis' | 'energy' | 'msp' | 'max-logit' | 'knn' | 'surprisal';

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

/**
 * Reads and checks the matrix a detector needs from its input: present, well-formed, finite and,
 * when `cols` is given, as wide as the fitted state.
 * @param input - the detector input
 * @param need - which field to read
 * @param cols - the width the fitted state expects (omit while fitting)
 * @returns the matrix, unchanged (no copy)
 * @throws TypeError when the field is missing; RangeError on NaN/Infinity; OodError `SHAPE_MISMATCH` on a width mismatch
 */
export function readDetectorInput(
  input: DetectorInput,
  need: 'features' | 'logits',
  cols?: number,
): MatrixLike {
  const m = presentMatrix(input, need, cols);
  // Non-finite inputs are rejected here, so no score can silently become NaN.
  assertFinite(m.data, `${need}.data`);
  assertWidth(m, need, cols);
  return m;
}

/**
 * {@link readDetectorInput} without the finite check, for detectors that check every entry during their own first
 * pass over the data (so a 1M-row input is walked once, not twice). Such a caller must still reject NaN/Infinity
 * with `assertFinite`'s error for `${need}.data`.
 * @throws TypeError when the field is missing; RangeError on a malformed matrix; OodError `SHAPE_MISMATCH` on a width mismatch
 * @internal
 */
export function readDetectorMatrix(
  input: DetectorInput,
  need: 'features' | 'logits',
  cols?: number,
): MatrixLike {
  const m = presentMatrix(input, need, cols);
  assertWidth(m, need, cols);
  return m;
}

function presentMatrix(
  input: DetectorInput,
  need: 'features' | 'logits',
  cols: number | undefined,
): MatrixLike {
  const m = input[need];
  if (m === undefined)
    throw new TypeError(`this detector needs input.${need} (an n × ${cols ?? 'd'} matrix)`);
  assertMatrix(m, need);
  return m;
}

function assertWidth(m: MatrixLike, need: 'features' | 'logits', cols: number | undefined): void {
  if (cols !== undefined && m.cols !== cols) {
    throw new OodError(
      'SHAPE_MISMATCH',
      `${need} must have ${cols} columns as the fitted state has (got ${m.cols})`,
    );
  }
}

/**
 * A·Bᵀ through `gemm`, in the kernel's own precision (`gemmNative`: Float32 data for a float32 kernel, no widening
 * copy) when it offers one, else its Float64 `gemm`. For products reduced right away (distances, neighbours).
 * @throws RangeError when the kernel returns another shape than a.rows × b.rows
 * @internal
 */
export async function multiplyTransposedNative(
  gemm: Gemm,
  a: MatrixLike,
  b: MatrixLike,
): Promise<MatrixLike> {
  const product =
    gemm.gemmNative === undefined
      ? await gemm.gemm(a, b, { transB: true })
      : await gemm.gemmNative(a, b, { transB: true });
  if (product.rows !== a.rows || product.cols !== b.rows) {
    throw new RangeError(
      `gemm "${gemm.name}" returned ${product.rows}×${product.cols} (expected ${a.rows}×${b.rows})`,
    );
  }
  return product;
}

/**
 * Last guard of every `score`: finite inputs can still overflow (e.g. huge unnormalised features), and a
 * detector must never hand back NaN.
 * @throws RangeError naming the first NaN row
 */
export function assertNoNaNScores(scores: Float64Array, what: string): Float64Array {
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i]))
      throw new RangeError(
        `${what}[${i}] overflowed to NaN; rescale the input (e.g. normalise features)`,
      );
  }
  return scores;
}

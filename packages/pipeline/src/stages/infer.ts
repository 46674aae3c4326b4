/**
 * Runs the TypeScript forward pass over a whole prepared split in chunks: logits, probabilities, expected
 * grades and the hidden features the OOD detectors read.
 */
import {
  expectedGrades,
  forwardScorer,
  predictedGrades,
  type FrozenBatch,
  type ScorerParams,
} from '@gradeshift/core';
import { createMatrix, softmax, type Gemm, type Matrix } from '@gradeshift/core/math';

/** The model's outputs on one split. */
export interface SplitOutputs {
  readonly logits: Matrix;
  readonly probs: Matrix;
  readonly features: Matrix;
  readonly expected: Float64Array;
  readonly predicted: Int32Array;
}

/** Options for {@link inferSplit}. */
export interface InferOptions {
  gemm?: Gemm;
  /** Pairs per forward call. @default 8192 */
  chunk?: number;
}

/** Scores every pair of a prepared split. */
export async function inferSplit(
  params: ScorerParams,
  frozen: FrozenBatch,
  options: InferOptions = {},
): Promise<SplitOutputs> {
  const { chunk = 8192, gemm } = options;
  const n = frozen.batch.size;
  const { grades: k, hidden2: h } = params.config;
  const logits = createMatrix(n, k);
  const features = createMatrix(n, h);
  for (let start = 0; start < n; start += chunk) {
    const end = Math.min(n, start + chunk);
    const rows = Int32Array.from({ length: end - start }, (_, i) => start + i);
    const out = await forwardScorer(params, frozen, gemm === undefined ? { rows } : { rows, gemm });
    logits.data.set(out.logits.data, start * k);
    features.data.set(out.features.data, start * h);
  }
  const probs = softmax(logits);
  return {
    logits,
    probs,
    features,
    expected: expectedGrades(probs),
    predicted: predictedGrades(probs),
  };
}

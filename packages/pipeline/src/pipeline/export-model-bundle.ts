/**
 * The bundle of one evaluated model, shared by `runPipeline` and the single-step `exportRunFolder`: the model's
 * outputs on ID train (KNN bank) and ID validation (calibration), then {@link exportRunBundle}.
 */
import type { ScorerParams } from '@gradeshift/core';
import type { Gemm } from '@gradeshift/core/math';

import type { WrittenBundle } from '../bundle/write-bundle';
import { inferSplit } from '../stages/infer';
import type { PreparedData } from '../stages/prepare';
import type { ModelEvaluation } from './evaluate-model';
import { exportRunBundle } from './export-run-bundle';

/**
 * Writes the bundle of `params` to `dir` (replaced atomically when it exists).
 * @param options - folder, weights, prepared data, the weights' evaluation, split seed and matrix products
 * @returns the written bundle
 */
export async function exportModelBundle(options: {
  dir: string;
  params: ScorerParams;
  data: PreparedData;
  evaluation: ModelEvaluation;
  seed: number;
  gemm: Gemm;
}): Promise<WrittenBundle> {
  const { params, data, gemm } = options;
  return exportRunBundle({
    ...options,
    outputs: {
      idTrain: await inferSplit(params, data.idTrain.frozen, { gemm }),
      idValidation: await inferSplit(params, data.idValidation.frozen, { gemm }),
    },
  });
}

import { initParams, type ScorerParams } from '@gradeshift/core';
import { createRng, type Gemm } from '@gradeshift/core/math';
import { runTrainStage, trainingSetOf } from '../packages/pipeline/src/stages/train-stage';
import { createLoss } from '../packages/pipeline/src/stages/losses';
import type { PreparedData } from '../packages/pipeline/src/stages/prepare';
export async function trainStage1(data: PreparedData, gemm: Gemm): Promise<ScorerParams> {
  const r = await runTrainStage({ stage: 'stage1', params: initParams(data.config, data.embeddings, createRng(0)), train: trainingSetOf(data.idTrain), validation: trainingSetOf(data.idValidation), loss: createLoss('graded'), seed: 0, gemm });
  return r.params;
}

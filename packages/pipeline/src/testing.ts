/**
 * Test helpers of other workspaces: run-contract reports with invented figures.
 * @internal
 */
export {
  sampleEvaluationReport,
  samplePipelineReport,
  sampleSplitMetrics,
} from './contract/test-fixtures';
export { sampleBudgetCurve, sampleOodSet, sampleShiftMap } from './contract/shift-fixtures';
export { samplePredictionRows, writeSampleRunFolder } from './contract/sample-run-folder';
export { hasRedisServer, startRedisServer, type RedisServer } from './queue/redis-server';
export {
  postgresBinDir,
  postgresGlobalSetup,
  startPostgresCluster,
  type PostgresCluster,
} from './store/postgres-cluster';
export {
  TINY_REFERENCE_PRODUCTS,
  TINY_TOKENIZER_PATH,
  writeTinyEncoderBundle,
} from './backbones/tiny-encoder-bundle';
export {
  TINY_CROSS_ENCODER_CONFIG,
  writeTinyCrossEncoder,
  writeTinyCrossEncoderBundle,
  type TinyCrossEncoderBundle,
  type TinyCrossEncoderBundleOptions,
  type TinyCrossEncoderOptions,
} from './backbones/tiny-cross-encoder-bundle';

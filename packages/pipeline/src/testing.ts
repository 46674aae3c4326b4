/**
 * Test helpers of other workspaces: run-contract reports with invented figures.
 * @internal
 */
export {
  sampleEvaluationReport,
  samplePipelineReport,
  sampleBudgetCurve,
  sampleOodSet,
  sampleShiftMap,
  sampleSplitMetrics,
} from './contract/test-fixtures';
export { samplePredictionRows, writeSampleRunFolder } from './contract/sample-run-folder';
export { hasRedisServer, startRedisServer, type RedisServer } from './queue/redis-server';

/**
 * Test helpers of other workspaces: run-contract reports with invented figures.
 * @internal
 */
export {
  sampleEvaluationReport,
  samplePipelineReport,
  sampleSplitMetrics,
} from './contract/test-fixtures';

/**
 * The run contract: the schemas of run.json, report.json and a predictions row, with their versions, the
 * reader that upgrades or refuses older files and the checked writers. Pipeline, API, CLI and (through the API's
 * `RouterOutputs`) the dashboard read the run files through these and nothing else.
 */
export {
  argmaxMetricsSchema,
  DECISION_METRICS,
  gradeDecisionSchema,
  intervalSchema,
  oodEvaluationSchema,
  reliabilityBinSchema,
  SPLIT_METRICS,
  splitMetricsSchema,
  stageMetricsSchema,
  type DecisionMetricName,
  type IntervalEstimate,
  type SplitMetricName,
  type StageMetrics,
} from './metrics-schema';
export {
  predictionRowSchema,
  type PredictionRow,
  type PredictionRowInput,
} from './prediction-row-schema';
export { parseRunReport, readRunReport, writeRunReport, type ReportInput } from './read-report';
export {
  datasetSourceSchema,
  evaluationReportSchema,
  oodFlagRateSchema,
  pipelineReportSchema,
  REPORT_FORMATS,
  REPORT_VERSION,
  runReportSchema,
  type EvaluationReport,
  type PipelineReport,
  type RunReport,
  type RunReportKind,
} from './report-schema';
export {
  budgetCurveSchema,
  curvePointSchema,
  curveSummarySchema,
  differenceSchema,
  MAP_GROUPS,
  OOD_SET_KINDS,
  oodSetSchema,
  oodVerdictSchema,
  pairedComparisonSchema,
  pairedTestSchema,
  POOL_ORIGINS,
  setDetectionSchema,
  shiftMapSchema,
  type BudgetCurve,
  type CurvePoint,
  type CurveSummary,
  type Difference,
  type MapGroup,
  type OodSetKind,
  type OodSetReport,
  type PairedComparison,
  type PoolOrigin,
  type ShiftMap,
} from './shift-schema';
export { RUN_FORMAT, RUN_FORMAT_VERSION, runJsonSchema, type RunJson } from './run-json-schema';
export { DEFAULT_STRATEGY, STRATEGY_NAMES, type StrategyName } from './strategy-names';
export { describeZodError } from './zod-issue';

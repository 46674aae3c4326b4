/**
 * `@gradeshift/pipeline` (Node only): data loaders, splits, word vectors, the training stages, model bundles,
 * the run store and report files.
 */
export {
  checkJsonlColumns,
  createCsvParser,
  createGradeMapper,
  createJsonlParser,
  DATASET_PRESETS,
  DataError,
  formatDataIssue,
  getDatasetPreset,
  CROWDFLOWER_PRESET,
  HOMEDEPOT_PRESET,
  isDataError,
  loadDataset,
  loadPairs,
  loadPreset,
  normalizeText,
  checkFileColumns,
  parseCsv,
  parseDecimal,
  parseJsonl,
  ratingToGradeAxis,
  readCsv,
  readJsonl,
  readTextChunks,
  resolveCsvColumns,
  resolvePresetPath,
  thresholdGrade,
  truncateText,
  type CheckFileColumnsOptions,
  type ColumnContext,
  type ColumnMapping,
  type PairColumnMapping,
  type ColumnRef,
  type CsvEvent,
  type CsvParser,
  type CsvParserOptions,
  type DataErrorCode,
  type DataErrorOptions,
  type DataIssue,
  type DataIssueCode,
  type Dataset,
  type DatasetFormat,
  type DatasetPreset,
  type DatasetSource,
  type GradeMapper,
  type GradeMapping,
  type GradeResult,
  type JsonlEvent,
  type JsonlParser,
  type JsonlParserOptions,
  type LabeledPair,
  type LoadPairsOptions,
  type PairFile,
  type UnlabeledPair,
  type LoadDatasetOptions,
  type LoadPresetOptions,
  type MappedField,
  type OnDataError,
  type ReadCsvOptions,
  type ReadTextChunksOptions,
  type ResolvedColumns,
  type ThresholdGradeMapping,
  type TruncatedText,
  type ValueGradeMapping,
} from './data/index';
export {
  assignShiftGroups,
  createDepartmentMatcher,
  createSplits,
  createUnlabeledPool,
  fnv1a,
  formatSplitReport,
  groupByQuery,
  hashedTrigrams,
  HOMEDEPOT_TAXONOMY,
  normalizeQuery,
  revealLabels,
  singularize,
  sparseKMeans,
  SPLIT_NAMES,
  summarizeSplit,
  tokenizeTitle,
  UnlabeledPool,
  type CategoryShift,
  type CreateSplitsOptions,
  type CreateUnlabeledPoolOptions,
  type Department,
  type DepartmentMatcher,
  type DepartmentShift,
  type GradeMix,
  type IdFractions,
  type LabeledSplit,
  type OodFractions,
  type PoolPair,
  type QueryClusterShift,
  type QueryGroup,
  type RevealedLabel,
  type ShiftAssignment,
  type ShiftStrategy,
  type SparseKMeansOptions,
  type SparseKMeansResult,
  type SparseVector,
  type SplitName,
  type SplitReport,
  type Splits,
  type SplitSummary,
  type SummarizeSplitOptions,
  type Taxonomy,
} from './splits/index';
export { openRunStore, RunStore, type OpenRunStoreOptions } from './store/run-store';
export { defaultRunStorePath, storeConnection, storeReference } from './store/run-store-path';
export type {
  ArtifactRecord,
  CreateRunOptions,
  MetricRecord,
  RunRecord,
  RunStatus,
} from './store/run-records';
export { interruptActivePostgresRuns, interruptActiveRuns } from './store/interrupt-runs';
export {
  copyChangedRuns,
  isPostgresUrl,
  type CopiedRuns,
  snapshotOf,
  sqliteBackend,
  type JobState,
  type RunOutcome,
  type RunRecorder,
  type RunSnapshot,
  type RunStoreBackend,
  type StageRecord,
  type StoreMessage,
} from './store/run-store-backend';
export { openPostgresStore, RECONNECTED_TOPIC, redactUrl } from './store/postgres-store';
export { openRunRecorder, openRunStoreBackend } from './store/open-run-store-backend';
export { recoverRuns, removeTempFiles } from './store/recover-runs';
export {
  buildEmbeddingMatrix,
  deriveSubwordVectors,
  embeddingCacheKey,
  embeddingCachePath,
  loadEmbeddingTable,
  loadWordVectors,
  readEmbeddingCache,
  scanWinkJson,
  subwordVector,
  winkPackageFile,
  writeEmbeddingCache,
  type EmbeddingMatrix,
  type EmbeddingTable,
  type LoadedEmbeddingTable,
  type LoadEmbeddingTableOptions,
  type LoadWordVectorsOptions,
  type SubwordVectors,
  type WordVectors,
} from './embeddings/index';
export { writeFileAtomic, writeLinesAtomic } from './io/atomic-write';
export { defaultShift, runPipeline, type StrategyRun } from './pipeline/run-pipeline';
export { defaultFar } from './pipeline/default-shift';
export { DEFAULT_FAR_POOL_FRACTION, loadFar } from './pipeline/prepare-source';
export { CURVE_BUDGETS, CURVE_REPLAY, CURVE_SEEDS, runBudgetCurve } from './pipeline/budget-curve';
export { DETECTED_AUROC, oodSetsOf } from './pipeline/ood-sets';
export { checkFarScale, FAR_ID_PREFIX, splitFar, type FarSplit } from './splits/far-split';
export type {
  CurveOptions,
  DataSource,
  FarSource,
  PipelineOptions,
  PipelineResult,
} from './pipeline/types';
/** The run contract: every schema, version and reader of run.json, report.json and predictions rows. */
export * from './contract/index';
export {
  evaluateModel,
  type EvaluateModelOptions,
  type ModelEvaluation,
} from './pipeline/evaluate-model';
export {
  DEFAULT_DECISION_RULE,
  fitDecision,
  type DecisionFit,
  type DecisionRuleName,
} from './pipeline/decision-rule';
export { DETECTOR_NAMES, type DetectorName } from './pipeline/model-detectors';
export type { SliceMetrics } from './pipeline/slice-metrics';
export { inferSplit, type SplitOutputs } from './stages/infer';
export { createLoss, DEFAULT_GRADED_LOSS, type LossName } from './stages/losses';
export {
  featurizeSplit,
  prepareData,
  type PreparedData,
  type PreparedSplit,
  type PrepareOptions,
} from './stages/prepare';
export type { ProgressEvent, ProgressSink } from './stages/progress';
export { runSelection, type SelectedPair, type SelectionOutcome } from './stages/select-stage';
export {
  computeSplitMetrics,
  DECISION_METRICS,
  SPLIT_METRICS,
  type ArgmaxMetrics,
  type DecisionMetricName,
  type IntervalEstimate,
  type SplitMetrics,
} from './stages/split-metrics';
export {
  runTrainStage,
  STAGE_DEFAULTS,
  trainingSetOf,
  type StageHyperparameters,
  type TrainStageResult,
} from './stages/train-stage';
export {
  BundleError,
  calibrateOodScore,
  isBundleError,
  loadBundleScorer,
  scorerOfBundle,
  readBundle,
  writeBundle,
  type BundleErrorCode,
  type BundleErrorOptions,
  type CalibrateOodScoreOptions,
  type LoadBundleScorerOptions,
  type LoadedBundle,
  type LoadedBundleScorer,
  type ReadBundleOptions,
  type WriteBundleOptions,
  type WrittenBundle,
} from './bundle/index';
export {
  evaluateBundle,
  type BundleEvaluation,
  type BundleOodSummary,
  type EvaluateBundleOptions,
} from './pipeline/evaluate-bundle';
export { exportRunBundle, type ExportRunBundleOptions } from './pipeline/export-run-bundle';
export { BUNDLE_KNN_BANK, BUNDLE_KNN_K } from './pipeline/bundle-ood-scores';
export { PIPELINE_VERSION } from './version';
export {
  evaluatePredictions,
  fnv1a32,
  readNpy,
  readPredictionFile,
  REFERENCE_SPLIT_METHOD,
  splitReferenceByQuery,
  PROBS_SUM_TOLERANCE,
  type EvaluatePredictionsOptions,
  type NpyMatrix,
  type PredictionFile,
  type PredictionsInput,
  type PredictionOutput,
  type PredictionShape,
  type PredictionsEvaluation,
  type ReadPredictionsOptions,
  type ReferenceHalves,
} from './external/index';
export {
  loadCrossEncoder,
  type CrossEncoderBackbone,
  type CrossEncoderBackboneOptions,
} from './backbones/cross-encoder';
export {
  evaluateCrossEncoder,
  logitMapping,
  predictionsOf,
  type EvaluateCrossEncoderOptions,
  type LogitMapping,
} from './backbones/evaluate-cross-encoder';
export {
  scoreBundlePairs,
  type ScoreBundlePairsOptions,
  type ScoredPairs,
} from './pipeline/score-bundle-pairs';
export {
  callThread,
  closePoolThread,
  defaultScoringThreads,
  loadAcrossThreads,
  loadEncoderAcrossThreads,
  loadInThread,
  pickThread,
  reviveThreadError,
  startPoolThread,
  startScoringThreads,
  toThreadError,
  type PoolThread,
  type ScoringThreads,
  type StartScoringThreadsOptions,
  type ThreadAnswer,
  type ThreadCall,
  type ThreadError,
  type ThreadLoadSettings,
  type ThreadResponse,
  type WireScores,
} from './scoring-threads/index';
export { scoreFile, type ScoreFileOptions } from './pipeline/score-file';
export {
  computeShiftMap,
  MAP_MAX_FIT_ROWS,
  MAP_MAX_PER_GROUP,
  parseShiftMap,
  readShiftMap,
  writeShiftMap,
  type ShiftMapGroupInput,
  type ShiftMapInput,
} from './pipeline/shift-map';
export { loadDataSource, type LoadDataSourceOptions } from './data/load-data-source';
export {
  ALPHAS,
  fineTuneOnSelection,
  STAGE2_DEFAULTS,
  STAGE2_OVERSAMPLE,
  stageMetrics,
  type AlphaPoint,
  type FineTuneOptions,
  type FineTuneResult,
  type StageMetrics,
} from './pipeline/fine-tune-on-selection';
export { selectionBudget, selectionInputsOf } from './pipeline/selection-inputs';
export { exportModelBundle } from './pipeline/export-model-bundle';
export {
  DEBIAS_REPORT_FILE,
  debiasRunFolder,
  DISTILL_REPORT_FILE,
  distillRunFolder,
  writeDistillPairs,
  type DistillRunFolderOptions,
  type DistillRunFolderResult,
  exportRunFolder,
  isRunFolderError,
  latestStage,
  loadRunData,
  prepareRunFolder,
  readRunJson,
  readSelectionFile,
  readStageParams,
  RUN_FILES,
  RUN_FORMAT,
  RUN_FORMAT_VERSION,
  RunFolderError,
  selectRunFolder,
  trainRunStage,
  writeStageParams,
  type DebiasRunFolderOptions,
  type DebiasRunFolderResult,
  type ExportRunFolderOptions,
  type ExportRunFolderResult,
  type LoadedRun,
  type PreparedRunFolder,
  type PrepareRunFolderOptions,
  type RunFolderErrorCode,
  type RunJson,
  type SelectionLine,
  type SelectRunFolderOptions,
  type SelectRunFolderResult,
  type StageName,
  type TrainRunStageOptions,
  type TrainRunStageResult,
} from './run-folder/index';
export {
  annotationCsv,
  annotationJsonl,
  annotationTasks,
  gradeMapperOf,
  gradeNamesOf,
  isLabelsFileError,
  LABEL_STUDIO_CONTROL,
  labelStudioConfig,
  labelStudioTasks,
  labelsFormatOf,
  LabelsFileError,
  MAX_LABELS_FILE_BYTES,
  parseLabels,
  readLabelsFile,
  type AnnotationTask,
  type ImportedLabels,
  type LabelProblem,
  type LabelsCheck,
  type LabelsFormat,
} from './annotation/index';
export { exportQueue, type ExportQueueResult } from './run-folder/export-queue';
export {
  readRunLabels,
  trainWithLabels,
  type RunLabels,
  type TrainWithLabelsOptions,
  type TrainWithLabelsResult,
} from './run-folder/train-with-labels';
export {
  buildNegatives,
  contentWords,
  type NegativeKind,
  type NegativeOptions,
  type NegativePair,
} from './stages/negatives';
export {
  dpoBatchLoss,
  DPO_DEFAULTS,
  runDpoStage,
  type DpoStageHyperparameters,
  type DpoStageOptions,
  type DpoStageResult,
} from './stages/dpo-stage';
export {
  calibrateTemperature,
  DEBIAS_DEFAULTS,
  DEBIAS_VARIANTS,
  debiasAblation,
  debiasModel,
  debiasWithDpo,
  DEFAULT_DEBIAS_SETTINGS,
  DEFAULT_MAX_OVER_RECALL,
  evaluateVariant,
  fitMarginOperatingPoint,
  marginOperatingPointOf,
  negativeMix,
  randomPairCheck,
  shuffledPairCheck,
  trainOnNegatives,
  validationFigures,
  withTemperature,
  type DebiasContext,
  type DebiasOutcome,
  type DebiasSettings,
  type DebiasVariant,
  type DebiasVariantFigures,
  type GradeShares,
  type MarginOperatingPoint,
  type MarginOperatingPointOptions,
  type NegativeSettings,
} from './pipeline/debias';
export { debiasOnRun, RANDOM_PAIRS, type DebiasOnRunOptions } from './pipeline/debias-run';
export { distillOnRun, distillPairs, type DistillOnRunOptions } from './pipeline/distill-run';
export {
  DISTILL_ALPHAS,
  distillTrainingSet,
  trainStudents,
  type DistillCandidate,
  type DistillTrainingSet,
} from './pipeline/distill-train';
export {
  createDistillLoss,
  type DistillLossOptions,
  type TeacherValues,
} from './stages/distill-loss';
export {
  matchTeacher,
  readTeacherFile,
  teacherKey,
  type TeacherFile,
  type TeacherTargets,
} from './distill/teacher-file';
export { distillReportSchema, type DistillReport } from './contract/distill-schema';
export {
  debiasReportSchema,
  debiasVariantSchema,
  gradeSharesSchema,
  type DebiasReport,
} from './contract/debias-schema';
export {
  bundleSha256,
  DEFAULT_CHUNK_PAIRS,
  DEFAULT_QUEUE_TIMING,
  MODEL_BATCH,
  openRedis,
  checkChunkPairs,
  queueEvaluateBundle,
  queueScoreFile,
  runChunkWorker,
  SCORE_QUEUE_NAME,
  type ChunkJobData,
  type ChunkJobResult,
  type ChunkLogEvent,
  type QueueBundleEvaluation,
  type QueueEvaluateBundleOptions,
  type QueueScoreFileOptions,
  type QueueScoreFileResult,
  type QueueTiming,
  type RunChunkWorkerOptions,
} from './queue/index';
export type {
  Backbone,
  BackbonePair,
  BackboneScoreOptions,
  BackboneScores,
  BackboneSpace,
} from './backbones/backbone';
export { createEncoderBackbone, type EncoderHead } from './backbones/encoder-backbone';
export { openEncoder, type OpenEncoder, type OpenEncoderOptions } from './backbones/open-encoder';
export {
  encoderCacheFolder,
  embedTextsCached,
  type EncoderCacheKey,
} from './backbones/embedding-cache';
export { DEFAULT_HEAD_GRID, type HeadSettings, type HeadTrial } from './backbones/choose-head';
export {
  ENCODER_BUNDLE_FORMAT,
  openEncoderBundle,
  writeEncoderBundle,
  type EncoderBundleManifest,
  type OpenEncoderBundle,
} from './backbones/encoder-bundle';
export {
  fitEncoderBundleDecisions,
  loadEncoderBundleDecisions,
  type EncoderBundleDecisions,
} from './backbones/encoder-bundle-ood';
export {
  isEncoderBundle,
  scoreEncoderBundlePairs,
  scoreOpenEncoderBundle,
} from './backbones/score-encoder-bundle';
export {
  loadEncoderBundleScorer,
  type EncoderBundleScorer,
  type LoadedEncoderBundleScorer,
} from './backbones/encoder-bundle-scorer';
export {
  openCrossEncoderBundle,
  readCrossEncoderBundle,
  writeCrossEncoderBundle,
  type CrossEncoderBundleInput,
  type OpenCrossEncoderBundle,
} from './backbones/cross-encoder-bundle';
export {
  isCrossEncoderBundle,
  scoreCrossEncoderBundlePairs,
  scoreOpenCrossEncoderBundle,
} from './backbones/score-cross-encoder-bundle';
export {
  loadCrossEncoderBundleScorer,
  type CrossEncoderBundleScorer,
  type LoadedCrossEncoderBundleScorer,
} from './backbones/cross-encoder-bundle-scorer';
export type { LoadedModelBundleScorer, ModelBundleScorer } from './backbones/model-bundle-scorer';
export {
  loadTransformerBundleScorer,
  transformerBundleKind,
  type LoadedTransformerBundleScorer,
  type TransformerBundleKind,
  type TransformerBundleManifest,
} from './backbones/transformer-bundle-scorer';
export {
  runEncoderBackbone,
  type EncoderRunOptions,
  type EncoderRunResult,
} from './backbones/encoder-run';
export type { EncoderRunSummary, SpaceEvaluation } from './backbones/encoder-summary';

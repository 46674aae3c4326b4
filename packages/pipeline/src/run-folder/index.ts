/**
 * Run folders: the loop's state on disk (run.json, stage weights, selection), so each step can run on its own.
 */
export {
  exportOnRun,
  exportRunFolder,
  latestStage,
  type ExportRunFolderOptions,
  type ExportRunFolderResult,
} from './export-run-folder';
export {
  checkDataFingerprint,
  checkPrepared,
  loadRunData,
  splitSizesOf,
  type LoadedRun,
} from './load-run-data';
export { readStageParams, writeStageParams } from './params-io';
export {
  absoluteDataSource,
  clearRunOutputs,
  newRunJson,
  prepareRun,
  prepareRunFolder,
  type PreparedRunFolder,
  type PrepareRunFolderOptions,
} from './prepare-run-folder';
export {
  isRunFolderError,
  RunFolderError,
  type RunFolderErrorCode,
  type RunFolderErrorOptions,
} from './run-folder-error';
export {
  parseRunJson,
  readRunJson,
  restoreShift,
  RUN_FILES,
  RUN_FORMAT,
  RUN_FORMAT_VERSION,
  storeShift,
  writeRunJson,
  type InterpolatedStageRecord,
  type RunJson,
  type SelectionRecord,
  type StageName,
  type StoredParams,
  type StoredShift,
  type TrainedStageRecord,
} from './run-json';
export type { OpenRun } from './open-run';
export {
  selectOnRun,
  selectRunFolder,
  type SelectRunFolderOptions,
  type SelectRunFolderResult,
} from './select-run-folder';
export {
  readSelectionFile,
  selectionLines,
  writeSelectionFile,
  type SelectionLine,
} from './selection-file';
export {
  DEBIAS_REPORT_FILE,
  debiasRunFolder,
  type DebiasRunFolderOptions,
  type DebiasRunFolderResult,
} from './debias-run-folder';
export {
  DISTILL_REPORT_FILE,
  distillRunFolder,
  writeDistillPairs,
  type DistillRunFolderOptions,
  type DistillRunFolderResult,
} from './distill-run-folder';
export {
  trainRunStage,
  trainStage1OnRun,
  trainStage2OnRun,
  type TrainRunStageOptions,
  type TrainRunStageResult,
} from './train-run-stage';

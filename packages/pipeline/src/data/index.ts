/**
 * Dataset loading: streaming CSV / JSONL parsers, column and grade mappings, the loader and presets.
 */
export {
  checkJsonlColumns,
  resolveCsvColumns,
  type ColumnContext,
  type ColumnMapping,
  type PairColumnMapping,
  type ColumnRef,
  type MappedField,
  type ResolvedColumns,
} from './column-mapping';
export { checkFileColumns, type CheckFileColumnsOptions } from './check-file-columns';
export {
  createCsvParser,
  parseCsv,
  readCsv,
  type CsvEvent,
  type CsvParser,
  type CsvParserOptions,
  type ReadCsvOptions,
} from './csv';
export { DataError, isDataError, type DataErrorCode, type DataErrorOptions } from './data-error';
export { formatDataIssue, type DataIssue, type DataIssueCode } from './data-issue';
export type { Dataset, DatasetFormat, DatasetSource, LabeledPair, UnlabeledPair } from './dataset';
export {
  createGradeMapper,
  parseDecimal,
  ratingToGradeAxis,
  thresholdGrade,
  type GradeMapper,
  type GradeMapping,
  type GradeResult,
  type ThresholdGradeMapping,
  type ValueGradeMapping,
} from './grade-mapping';
export {
  createJsonlParser,
  parseJsonl,
  readJsonl,
  type JsonlEvent,
  type JsonlParser,
  type JsonlParserOptions,
} from './jsonl';
export {
  loadDataset,
  loadPairs,
  type LoadDatasetOptions,
  type LoadPairsOptions,
  type OnDataError,
  type PairFile,
} from './load-dataset';
export {
  DATASET_PRESETS,
  getDatasetPreset,
  CROWDFLOWER_PRESET,
  HOMEDEPOT_PRESET,
  loadPreset,
  resolvePresetPath,
  type DatasetPreset,
  type LoadPresetOptions,
} from './presets';
export { readTextChunks, type ReadTextChunksOptions } from './read-text-chunks';
export { normalizeText, truncateText, type TruncatedText } from './text';

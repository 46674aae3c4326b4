/**
 * The annotation round trip: the selection queue exported for annotators (CSV, JSONL, Label Studio) and their
 * labels imported back, checked whole before use.
 */
export {
  annotationCsv,
  annotationJsonl,
  LABEL_STUDIO_CONTROL,
  labelStudioConfig,
  labelStudioTasks,
} from './annotation-export';
export {
  annotationTasks,
  gradeMapperOf,
  gradeNamesOf,
  type AnnotationTask,
} from './annotation-task';
export {
  labelsFormatOf,
  MAX_LABELS_FILE_BYTES,
  parseLabels,
  readLabelsFile,
  type ImportedLabels,
  type LabelsCheck,
  type LabelsFormat,
} from './import-labels';
export { isLabelsFileError, LabelsFileError, type LabelProblem } from './labels-error';

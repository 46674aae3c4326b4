/**
 * `@gradeshift/core`: platform-neutral grades, losses, metrics, the ONNX graph writer and the
 * `InferenceBackend` port. Runtimes plug in through `@gradeshift/core/node` and `@gradeshift/core/web`.
 */
export { CoreError, exhaustiveSwitchError, isCoreError, type CoreErrorCode, type CoreErrorOptions } from './errors';
export {
  createGradeScale,
  DEFAULT_GRADE_SCALE,
  expectedGrades,
  gradeCount,
  gradeIndex,
  gradeProbabilities,
  predictedGrades,
  rankByExpectedGrade,
  type CreateGradeScaleOptions,
  type Grade,
  type GradeScale,
  type RankOptions,
} from './grades/index';

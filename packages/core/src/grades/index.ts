export {
  createGradeScale,
  DEFAULT_GRADE_SCALE,
  gradeCount,
  gradeIndex,
  type CreateGradeScaleOptions,
  type Grade,
  type GradeScale,
} from './grade-scale';
export {
  expectedGrades,
  gradeProbabilities,
  predictedGrades,
  rankByExpectedGrade,
  type RankOptions,
} from './predict';

/**
 * A scale of K ordered relevance grades, lowest first, each with a name and a gain for ranking metrics.
 */
import { assertFiniteNumber } from '../math/check';

/** One grade of a {@link GradeScale}. */
export interface Grade {
  /** Machine name, e.g. `'weak'`. */
  readonly name: string;
  /** Gain used by graded ranking metrics (NDCG). */
  readonly gain: number;
}

/** An ordered list of at least two grades; index = the integer label. */
export interface GradeScale {
  readonly grades: readonly Grade[];
}

/** The default three-grade scale of DaRL: irrelevant < weak < strong, with linear gains 0, 1, 2. */
export const DEFAULT_GRADE_SCALE: GradeScale = Object.freeze({
  grades: Object.freeze([
    Object.freeze({ name: 'irrelevant', gain: 0 }),
    Object.freeze({ name: 'weak', gain: 1 }),
    Object.freeze({ name: 'strong', gain: 2 }),
  ]),
});

/** Options for {@link createGradeScale}. */
export interface CreateGradeScaleOptions {
  /** Gains per grade; by default the grade index (linear gain). @default [0, 1, …, K−1] */
  gains?: readonly number[];
}

/**
 * Builds a grade scale from names, lowest grade first.
 * @throws RangeError for fewer than two grades, duplicate names, or gains that are not non-decreasing.
 */
export function createGradeScale(
  names: readonly string[],
  options: CreateGradeScaleOptions = {},
): GradeScale {
  if (names.length < 2)
    throw new RangeError(`a grade scale needs at least 2 grades (got ${names.length})`);
  if (new Set(names).size !== names.length)
    throw new RangeError(`grade names must be unique (got ${names.join(', ')})`);
  const gains = options.gains ?? names.map((_, i) => i);
  if (gains.length !== names.length) {
    throw new RangeError(
      `gains must have one entry per grade (got ${gains.length} for ${names.length} grades)`,
    );
  }
  gains.forEach((g, i) => {
    assertFiniteNumber(g, `gains[${i}]`);
    if (i > 0 && g < gains[i - 1]!)
      throw new RangeError(`gains must be non-decreasing (gains[${i}] < gains[${i - 1}])`);
  });
  return { grades: names.map((name, i) => ({ name, gain: gains[i]! })) };
}

/** Number of grades K. */
export function gradeCount(scale: GradeScale): number {
  return scale.grades.length;
}

/** Index of the grade called `name`. @throws RangeError when the scale has no such grade. */
export function gradeIndex(scale: GradeScale, name: string): number {
  const i = scale.grades.findIndex((g) => g.name === name);
  if (i < 0)
    throw new RangeError(
      `unknown grade "${name}" (the scale has ${scale.grades.map((g) => g.name).join(', ')})`,
    );
  return i;
}

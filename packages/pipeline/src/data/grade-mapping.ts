/**
 * Grade mapping: from a raw label to a 0-based integer grade.
 *
 * - `thresholds` (numeric labels, e.g. a mean rating): with increasing edges e₀ < e₁ < … < e_{K−2}, the grade is
 *   the number of edges strictly below the rating, i.e. rating ≤ e₀ → 0, e₀ < rating ≤ e₁ → 1, …, rating > e_{K−2}
 *   → K−1. Comparisons are exact on the parsed doubles, so a file value written like an edge (`2.33`) falls on the
 *   lower side. Home Depot: edges [1.75, 2.33] give ≤ 1.75 irrelevant, 2–2.33 weak, ≥ 2.5 strong.
 * - `values` (discrete labels): one list of accepted values per grade, lowest grade first, compared after NFC
 *   normalisation, trimming and lower-casing; a value in no list is an `UNKNOWN_LABEL` issue.
 *
 * With a declared `range: [min, max]`, ratings outside it are `RATING_OUT_OF_RANGE` issues, and
 * {@link ratingToGradeAxis} maps a rating linearly onto the grade axis [0, K−1] for RMSE (Home Depot 1..3 → 0..2).
 */
import { createGradeScale, DEFAULT_GRADE_SCALE, type GradeScale } from '@gradeshift/core';

import type { DataIssueCode } from './data-issue';
import { excerpt } from './text';

/** Numeric labels cut by thresholds. */
export interface ThresholdGradeMapping {
  readonly kind: 'thresholds';
  /** Strictly increasing finite edges; K = edges.length + 1 grades. */
  readonly edges: readonly number[];
  /** Declared `[min, max]` of the ratings, for range checks and the grade-axis mapping. @default undefined (no check) */
  readonly range?: readonly [number, number];
  /** Grade names, lowest first. @default irrelevant/weak/strong for K = 3, else grade-0 … grade-(K−1) */
  readonly names?: readonly string[];
}

/** Discrete labels listed per grade. */
export interface ValueGradeMapping {
  readonly kind: 'values';
  /** Accepted values per grade, lowest grade first (case-insensitive). */
  readonly grades: readonly (readonly string[])[];
  /** Grade names, lowest first. @default irrelevant/weak/strong for K = 3, else grade-0 … grade-(K−1) */
  readonly names?: readonly string[];
}

/** How raw labels become grades. */
export type GradeMapping = ThresholdGradeMapping | ValueGradeMapping;

/** The outcome of mapping one label. `rating` is set for numeric (threshold) labels only. */
export type GradeResult =
  | { readonly ok: true; readonly grade: number; readonly rating?: number }
  | { readonly ok: false; readonly code: DataIssueCode; readonly reason: string };

/** A compiled grade mapping. */
export interface GradeMapper {
  readonly scale: GradeScale;
  readonly ratingRange?: readonly [number, number];
  /** The rating edges between grades (threshold mappings). */
  readonly ratingEdges?: readonly number[];
  /** Maps one raw label (already NFC-normalised and trimmed). */
  map(label: string): GradeResult;
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Parses a plain decimal number (no hex, no `Infinity`, no empty string); `undefined` otherwise. */
export function parseDecimal(text: string): number | undefined {
  const t = text.trim();
  if (!DECIMAL.test(t)) return undefined;
  const x = Number(t);
  return Number.isFinite(x) ? x : undefined;
}

/** The threshold rule: the number of edges strictly below `rating` (so `rating ≤ edges[0]` → 0). */
export function thresholdGrade(rating: number, edges: readonly number[]): number {
  let g = 0;
  for (const edge of edges) if (rating > edge) g++;
  return g;
}

/**
 * Maps a rating linearly from `range` onto the grade axis [0, k−1]: (rating − min) / (max − min) · (k − 1).
 * @example ratingToGradeAxis(2.5, [1, 3], 3) // 1.5
 * @throws RangeError for a range that is not finite and increasing, or k < 2
 */
export function ratingToGradeAxis(
  rating: number,
  range: readonly [number, number],
  k: number,
): number {
  const [min, max] = range;
  if (!(Number.isFinite(min) && Number.isFinite(max) && min < max)) {
    throw new RangeError(`range must be finite with min < max (got [${min}, ${max}])`);
  }
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`k must be an integer ≥ 2 (got ${k})`);
  return ((rating - min) / (max - min)) * (k - 1);
}

function scaleFor(k: number, names: readonly string[] | undefined): GradeScale {
  if (names !== undefined) {
    if (names.length !== k)
      throw new RangeError(
        `grades.names must have one name per grade (got ${names.length} for ${k} grades)`,
      );
    return createGradeScale(names);
  }
  return k === 3
    ? DEFAULT_GRADE_SCALE
    : createGradeScale(Array.from({ length: k }, (_, i) => `grade-${i}`));
}

function thresholdMapper(mapping: ThresholdGradeMapping): GradeMapper {
  const { edges, range } = mapping;
  if (edges.length === 0)
    throw new RangeError('grades.edges must hold at least one edge (two grades)');
  edges.forEach((e, i) => {
    if (!Number.isFinite(e)) throw new RangeError(`grades.edges[${i}] must be finite (got ${e})`);
    if (i > 0 && e <= (edges[i - 1] ?? -Infinity))
      throw new RangeError(`grades.edges must be strictly increasing (edges[${i}] = ${e})`);
  });
  if (range !== undefined) {
    const [min, max] = range;
    const first = edges[0] ?? min;
    const last = edges[edges.length - 1] ?? max;
    if (!(Number.isFinite(min) && Number.isFinite(max) && min <= first && last < max)) {
      throw new RangeError(
        `grades.range must be finite with min ≤ edges[0] and edges[last] < max (got [${min}, ${max}] for edges ${edges.join(', ')})`,
      );
    }
  }
  const scale = scaleFor(edges.length + 1, mapping.names);
  return {
    scale,
    ...(range === undefined ? {} : { ratingRange: range }),
    ratingEdges: [...edges],
    map(label: string): GradeResult {
      const rating = parseDecimal(label);
      if (rating === undefined)
        return {
          ok: false,
          code: 'BAD_RATING',
          reason: `label ${excerpt(label)} is not a finite decimal number`,
        };
      if (range !== undefined && (rating < range[0] || rating > range[1])) {
        return {
          ok: false,
          code: 'RATING_OUT_OF_RANGE',
          reason: `rating ${rating} is outside the declared range [${range[0]}, ${range[1]}]`,
        };
      }
      return { ok: true, grade: thresholdGrade(rating, edges), rating };
    },
  };
}

const valueKey = (v: string): string => v.normalize('NFC').trim().toLowerCase();

function valueMapper(mapping: ValueGradeMapping): GradeMapper {
  if (mapping.grades.length < 2)
    throw new RangeError(
      `grades.grades must list values for at least 2 grades (got ${mapping.grades.length})`,
    );
  const lookup = new Map<string, number>();
  mapping.grades.forEach((values, g) => {
    if (values.length === 0) throw new RangeError(`grades.grades[${g}] lists no values`);
    for (const v of values) {
      const key = valueKey(v);
      const other = lookup.get(key);
      if (other !== undefined && other !== g)
        throw new RangeError(`grade value "${v}" is listed for grades ${other} and ${g}`);
      lookup.set(key, g);
    }
  });
  const accepted = [...lookup.keys()];
  const shown =
    accepted
      .slice(0, 20)
      .map((v) => JSON.stringify(v))
      .join(', ') + (accepted.length > 20 ? ', …' : '');
  return {
    scale: scaleFor(mapping.grades.length, mapping.names),
    map(label: string): GradeResult {
      const grade = lookup.get(valueKey(label));
      if (grade === undefined)
        return {
          ok: false,
          code: 'UNKNOWN_LABEL',
          reason: `label ${excerpt(label)} is in no grade's value list (accepted: ${shown})`,
        };
      return { ok: true, grade };
    },
  };
}

/**
 * Compiles a grade mapping.
 * @throws RangeError for edges that are not finite and strictly increasing, a range that excludes the edges,
 *   fewer than two grades, a value listed for two grades, or names of the wrong count
 */
export function createGradeMapper(mapping: GradeMapping): GradeMapper {
  return mapping.kind === 'thresholds' ? thresholdMapper(mapping) : valueMapper(mapping);
}

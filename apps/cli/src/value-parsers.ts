/**
 * Parsers of option values: strict, so a typo never becomes a silent default. Each throws a `RangeError`
 * whose message completes the sentence "--<option> …" (`must be an integer ≥ 0 (got "x")`); the option
 * reader turns it into a usage error naming the option.
 */
import type { ColumnRef, ThresholdGradeMapping, ValueGradeMapping } from '@gradeshift/pipeline';

// Plain decimals only: no hex, no `Infinity`, no empty string (all of which `Number()` accepts).
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Bounds of a numeric option. */
export interface NumberBounds {
  /** Smallest allowed value. @default -Infinity */
  readonly min?: number;
  /** Largest allowed value. @default Infinity */
  readonly max?: number;
  /** Exclude `min` itself. @default false */
  readonly exclusiveMin?: boolean;
}

function describeBounds(bounds: NumberBounds): string {
  const parts: string[] = [];
  if (bounds.min !== undefined)
    parts.push(`${bounds.exclusiveMin === true ? '>' : '≥'} ${bounds.min}`);
  if (bounds.max !== undefined) parts.push(`≤ ${bounds.max}`);
  return parts.join(' and ');
}

function checkBounds(
  x: number,
  bounds: NumberBounds,
  what: { text: string; kind: string },
): number {
  const { text, kind } = what;
  const { min = -Infinity, max = Infinity, exclusiveMin = false } = bounds;
  if (x > max || (exclusiveMin ? x <= min : x < min)) {
    throw new RangeError(`must be ${kind} ${describeBounds(bounds)} (got "${text}")`);
  }
  return x;
}

/** A decimal number within bounds. */
export function parseNumber(text: string, bounds: NumberBounds = {}): number {
  const t = text.trim();
  if (!DECIMAL.test(t)) throw new RangeError(`must be a number (got "${text}")`);
  return checkBounds(Number(t), bounds, { text, kind: 'a number' });
}

/** An integer within bounds. */
export function parseInteger(text: string, bounds: NumberBounds = {}): number {
  const t = text.trim();
  if (!/^[+-]?\d+$/.test(t) || !Number.isSafeInteger(Number(t)))
    throw new RangeError(`must be an integer (got "${text}")`);
  return checkBounds(Number(t), bounds, { text, kind: 'an integer' });
}

/** A comma-separated list of non-empty, trimmed items. */
export function parseList(text: string): string[] {
  const items = text.split(',').map((s) => s.trim());
  if (items.some((s) => s === ''))
    throw new RangeError(`must be a comma-separated list without empty items (got "${text}")`);
  return items;
}

/** A comma-separated list of integers within bounds, without duplicates. */
export function parseIntegerList(text: string, bounds: NumberBounds = {}): number[] {
  const out = parseList(text).map((s) => parseInteger(s, bounds));
  if (new Set(out).size !== out.length)
    throw new RangeError(`must not repeat a value (got "${text}")`);
  return out;
}

/** One of a fixed set of words. */
export function parseChoice<TChoice extends string>(
  text: string,
  choices: readonly TChoice[],
): TChoice {
  const t = text.trim();
  const hit = choices.find((c) => c === t);
  if (hit === undefined)
    throw new RangeError(`must be one of ${choices.join(', ')} (got "${text}")`);
  return hit;
}

/** A column: digits only → 0-based index, anything else → header name. */
export function parseColumnRef(text: string): ColumnRef {
  const t = text.trim();
  if (t === '') throw new RangeError('must name a column (got an empty string)');
  return /^\d+$/.test(t) ? Number(t) : t;
}

/**
 * A declared label range `min,max` (`--range 1,3`).
 * @throws RangeError unless two increasing numbers
 */
export function parseRange(text: string): [number, number] {
  const range = parseList(text).map((s) => parseNumber(s));
  const [min, max] = range;
  if (range.length !== 2 || min === undefined || max === undefined || min >= max)
    throw new RangeError(`must be two increasing numbers min,max (got "${text}")`);
  return [min, max];
}

/**
 * A thresholds grade mapping from `--thresholds e1,e2,…` and an optional declared range.
 * @throws RangeError when the edges are not strictly increasing or fall outside the range
 */
export function parseThresholds(
  text: string,
  range?: readonly [number, number],
): ThresholdGradeMapping {
  const edges = parseList(text).map((s) => parseNumber(s));
  for (let i = 1; i < edges.length; i++) {
    if ((edges[i] ?? 0) <= (edges[i - 1] ?? 0))
      throw new RangeError(`must be strictly increasing (got "${text}")`);
  }
  if (range === undefined) return { kind: 'thresholds', edges };
  const [min, max] = range;
  if (edges.some((e) => e <= min || e >= max))
    throw new RangeError(`must lie inside --range ${min},${max} (got "${text}")`);
  return { kind: 'thresholds', edges, range: [min, max] };
}

/**
 * A values grade mapping from `value:grade` pairs; grades are ordered by first appearance (lowest first),
 * and a grade may collect several values (`no:irrelevant,0:irrelevant,yes:strong`).
 * @throws RangeError for a pair without `:`, a value listed twice, or fewer than two grades
 */
export function parseValueGrades(text: string): ValueGradeMapping {
  const names: string[] = [];
  const grades: string[][] = [];
  const seen = new Set<string>();
  for (const item of parseList(text)) {
    // The grade follows the last colon, so a value may itself contain colons.
    const at = item.lastIndexOf(':');
    const value = item.slice(0, at).trim();
    const name = item.slice(at + 1).trim();
    if (at < 0 || value === '' || name === '')
      throw new RangeError(`must be value:grade pairs (got "${item}" in "${text}")`);
    const key = value.normalize('NFC').toLowerCase();
    if (seen.has(key)) throw new RangeError(`lists the value "${value}" twice`);
    seen.add(key);
    let g = names.indexOf(name);
    if (g < 0) {
      g = names.length;
      names.push(name);
      grades.push([]);
    }
    grades[g]?.push(value);
  }
  if (names.length < 2) throw new RangeError(`must name at least two grades (got "${text}")`);
  return { kind: 'values', grades, names };
}

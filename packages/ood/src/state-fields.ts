/**
 * Checked reading of a parsed detector state: fields of an expected type, size and range, and the shared
 * Gaussian sub-states, every error an OodError `INVALID_STATE` naming the state path and what it expected.
 */
import { OodError } from './errors';
import type { AppliedShrinkage } from './mahalanobis/shrinkage';
import type { TiedGaussianState } from './mahalanobis/tied-gaussian';

/** A parsed JSON object. */
export type Fields = Record<string, unknown>;

/** The error for a bad field: `<where>: <what>`. */
export function invalid(where: string, what: string): OodError {
  return new OodError('INVALID_STATE', `${where}: ${what}`);
}

/** Whether a parsed JSON value is an object (not an array or null). */
export function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The reader {@link fieldReader} returns. */
export type FieldReader = ReturnType<typeof fieldReader>;

/** Reads the fields of one state object; every error names the state path and what it expected. */
export function fieldReader(obj: Fields, where: string) {
  return {
    integer(key: string, min: number): number {
      const v = obj[key];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
        throw invalid(where, `${key} must be an integer ≥ ${min} (got ${JSON.stringify(v)})`);
      return v;
    },
    number(key: string, check: (v: number) => boolean, expected: string): number {
      const v = obj[key];
      if (typeof v !== 'number' || !Number.isFinite(v) || !check(v))
        throw invalid(where, `${key} must be ${expected} (got ${JSON.stringify(v)})`);
      return v;
    },
    boolean(key: string): boolean {
      const v = obj[key];
      if (typeof v !== 'boolean')
        throw invalid(where, `${key} must be a boolean (got ${JSON.stringify(v)})`);
      return v;
    },
    numbers(key: string, length: number): number[] {
      const v = obj[key];
      if (!Array.isArray(v)) throw invalid(where, `${key} must be an array of ${length} numbers`);
      if (v.length !== length)
        throw invalid(where, `${key} must have ${length} numbers (got ${v.length})`);
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i];
        if (typeof x !== 'number' || !Number.isFinite(x))
          throw invalid(where, `${key}[${i}] must be a finite number (got ${JSON.stringify(x)})`);
      }
      return v as number[];
    },
  };
}

/** The `shrinkage` field of a Gaussian state. */
function readShrinkage(obj: Fields, where: string): AppliedShrinkage {
  const s = obj['shrinkage'];
  const at = `${where}.shrinkage`;
  if (!isRecord(s)) throw invalid(at, 'must be an object { method, … }');
  const read = fieldReader(s, at);
  switch (s['method']) {
    case 'none':
      return { method: 'none' };
    case 'ledoit-wolf':
      return {
        method: 'ledoit-wolf',
        coefficient: read.number('coefficient', (v) => v >= 0 && v <= 1, 'in [0, 1]'),
      };
    case 'ridge':
      return { method: 'ridge', lambda: read.number('lambda', (v) => v >= 0, 'a number ≥ 0') };
    default:
      throw invalid(
        at,
        `method must be 'none', 'ledoit-wolf' or 'ridge' (got ${JSON.stringify(s['method'])})`,
      );
  }
}

/** A tied-Gaussian sub-state: means (count × dim), whitening (dim × dim), shrinkage and jitter. */
export function readTiedGaussian(
  value: unknown,
  where: string,
  sizes: { count: number; dim: number },
): TiedGaussianState {
  if (!isRecord(value))
    throw invalid(where, 'must be an object { means, whitening, shrinkage, jitter }');
  const { count, dim } = sizes;
  const read = fieldReader(value, where);
  return {
    means: read.numbers('means', count * dim),
    whitening: read.numbers('whitening', dim * dim),
    shrinkage: readShrinkage(value, where),
    jitter: read.number('jitter', (v) => v >= 0, 'a number ≥ 0'),
  };
}

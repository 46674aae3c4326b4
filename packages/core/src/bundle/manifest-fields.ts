/**
 * Hand-written readers for untrusted JSON: each one checks a single field and, when it is wrong, throws a
 * CoreError whose message names the field's full path, what was expected and what was found
 * (`manifest.scorer.hidden1 must be a positive integer (got -1)`).
 * @internal
 */
import { CoreError } from '../errors';

/** A parsed JSON object. @internal */
export type JsonObject = Readonly<Record<string, unknown>>;

/** A short rendering of an offending value for error messages. @internal */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text =
    typeof value === 'number' && !Number.isFinite(value) ? String(value) : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** The error of a field that is not what it must be. @internal */
export function invalidField(path: string, expected: string, value: unknown): CoreError {
  return new CoreError('INVALID_ARGUMENT', `${path} must be ${expected} (got ${showValue(value)})`);
}

/** `true` for a plain JSON object (not an array, not null). @internal */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checked access to the fields of one JSON object at `path`. @internal */
export interface FieldReader {
  readonly path: string;
  /** The raw value of a field. */
  raw(key: string): unknown;
  /** A nested object, as a reader. */
  object(key: string): FieldReader;
  string(
    key: string,
    options?: { nonEmpty?: boolean; pattern?: RegExp; expected?: string },
  ): string;
  integer(key: string, min: number): number;
  number(key: string, check?: (value: number) => boolean, expected?: string): number;
  boolean(key: string): boolean;
}

/**
 * A reader for `value`, which must be an object.
 * @throws CoreError `INVALID_ARGUMENT` `${path} must be an object (got …)`
 * @internal
 */
export function readFields(value: unknown, path: string): FieldReader {
  if (!isJsonObject(value)) throw invalidField(path, 'an object', value);
  const obj = value;
  const at = (key: string): string => `${path}.${key}`;
  return {
    path,
    raw: (key) => obj[key],
    object: (key) => readFields(obj[key], at(key)),
    string(key, options = {}) {
      const v = obj[key];
      const { nonEmpty = true, pattern, expected } = options;
      const ok =
        typeof v === 'string' &&
        (!nonEmpty || v !== '') &&
        (pattern === undefined || pattern.test(v));
      if (!ok)
        throw invalidField(at(key), expected ?? (nonEmpty ? 'a non-empty string' : 'a string'), v);
      return v;
    },
    integer(key, min) {
      const v = obj[key];
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) {
        const expected =
          min === 1
            ? 'a positive integer'
            : min === 0
              ? 'a non-negative integer'
              : `an integer ≥ ${min}`;
        throw invalidField(at(key), expected, v);
      }
      return v;
    },
    number(key, check = () => true, expected = 'a finite number') {
      const v = obj[key];
      if (typeof v !== 'number' || !Number.isFinite(v) || !check(v))
        throw invalidField(at(key), expected, v);
      return v;
    },
    boolean(key) {
      const v = obj[key];
      if (typeof v !== 'boolean') throw invalidField(at(key), 'a boolean', v);
      return v;
    },
  };
}

/**
 * Checks that `value` is an array and reads each element with `item`.
 * @throws CoreError `INVALID_ARGUMENT` naming the array or the element
 * @internal
 */
export function readArray<T>(
  value: unknown,
  path: string,
  item: (element: unknown, elementPath: string) => T,
): T[] {
  if (!Array.isArray(value)) throw invalidField(path, 'an array', value);
  return value.map((element: unknown, i) => item(element, `${path}[${i}]`));
}

/**
 * Re-throws an error of a nested validator (e.g. `vocabularyFromJson`) as a CoreError naming the field.
 * @internal
 */
export function withFieldPath<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof CoreError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new CoreError('INVALID_ARGUMENT', `${path} is invalid: ${message}`, { cause: error });
  }
}

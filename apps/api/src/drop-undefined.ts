/**
 * zod gives optional fields as `T | undefined`; the libraries' option types are exact (`exactOptionalPropertyTypes`).
 * This drops the keys whose value is undefined, one level deep.
 */

/** `T` with `undefined` removed from every property (optional ones stay optional). */
export type Defined<T> = { [K in keyof T]: Exclude<T[K], undefined> };

/** A shallow copy of `value` without its undefined-valued keys. */
export function dropUndefined<T extends object>(value: T): Defined<T> {
  return Object.fromEntries(
    Object.entries(value).filter((entry) => entry[1] !== undefined),
  ) as Defined<T>;
}

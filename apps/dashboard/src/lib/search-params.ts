/** Reading a page's search parameters (server and client alike: no server-only imports here). */

/** The first value of a search parameter. */
export function param(
  params: Readonly<Record<string, string | string[] | undefined>>,
  name: string,
): string | undefined {
  const value = params[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}

/** Search parameters as Next passes them to a page. */
export type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * No answer a client can read names the server's folders. Paths inside a configured folder (data, runs, models,
 * the run store's folder, the repository) are shown relative to that folder; any other absolute path is cut to its
 * file name. Applied to every error message (trpc.ts) and to the answers that carry paths from the run store or a
 * job (runs.list, runs.get, jobs.*).
 */
import { basename, dirname, sep } from 'node:path';

import type { ApiConfig } from '../env';

/** Folders whose paths are shown relative to them, longest first. */
export type PathRoots = readonly string[];

/**
 * The configured folders of a configuration, longest first (so a nested folder wins over its parent).
 * @param config - the folders of the server's configuration
 * @param extra - more folders (the repository root)
 */
export function pathRoots(
  config: Pick<ApiConfig, 'dataDir' | 'runsDir' | 'modelsDir' | 'runStorePath'>,
  extra: readonly string[] = [],
): PathRoots {
  const roots = [config.dataDir, config.runsDir, config.modelsDir, dirname(config.runStorePath)];
  return [...new Set([...roots, ...extra])]
    .map((root) => (root.endsWith(sep) && root.length > 1 ? root.slice(0, -1) : root))
    .sort((a, b) => b.length - a.length);
}

// An absolute POSIX path: a slash after a start, space, quote, bracket or `=`, then non-space characters.
const ABSOLUTE = /(^|[\s"'`(=[,])(\/[^\s"'`)\],;]+)/g;

/**
 * A text with its server paths made relative to their folder, or cut to the file name.
 * @example publicText('/srv/data/a.csv:1: bad', ['/srv/data']) // 'a.csv:1: bad'
 */
export function publicText(text: string, roots: PathRoots): string {
  let out = text;
  for (const root of roots) {
    if (root.length <= 1) continue;
    out = out.split(`${root}${sep}`).join('').split(root).join('.');
  }
  return out.replace(ABSOLUTE, (_match, lead: string, path: string) => {
    const trail = /:\d+(?::\d+)?:?$/.exec(path)?.[0] ?? '';
    return `${lead}${basename(path.slice(0, path.length - trail.length))}${trail}`;
  });
}

/** A JSON-like value with {@link publicText} applied to every string in it (keys stay). */
export function publicValue<TValue>(value: TValue, roots: PathRoots): TValue {
  if (typeof value === 'string') return publicText(value, roots) as TValue;
  if (Array.isArray(value)) return value.map((v: unknown) => publicValue(v, roots)) as TValue;
  if (typeof value === 'object' && value !== null && !ArrayBuffer.isView(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = publicValue(v, roots);
    return out as TValue;
  }
  return value;
}

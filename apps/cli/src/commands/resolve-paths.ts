/**
 * Absolute paths for a command: everything on the command line resolves against the working directory, preset
 * defaults against the repository root, and a missing data file is reported before any work starts.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

import {
  defaultFar,
  getDatasetPreset,
  resolvePresetPath,
  type DataSource,
  type FarSource,
} from '@gradeshift/pipeline';

import { InputMissingError } from '../cli-errors';

/**
 * The data source with an absolute path, after checking that the file exists.
 * @param data - as parsed
 * @param roots - the working directory and the repository root
 * @throws InputMissingError naming the file and what to do
 */
export function resolveDataSource(
  data: DataSource,
  roots: { cwd: string; repoRoot: string },
): DataSource {
  if ('preset' in data) {
    const preset = getDatasetPreset(data.preset);
    const path =
      data.path === undefined
        ? resolvePresetPath(preset, roots.repoRoot)
        : resolve(roots.cwd, data.path);
    if (!existsSync(path)) {
      throw new InputMissingError('data file', {
        path,
        hint:
          data.path === undefined
            ? `the ${preset.name} preset reads ${preset.path} relative to the repository root (${roots.repoRoot}); put the file there or pass --data <file>`
            : 'check the path given to --data (relative paths resolve against the working directory)',
      });
    }
    return { preset: data.preset, path };
  }
  const path = resolve(roots.cwd, data.path);
  if (!existsSync(path)) {
    throw new InputMissingError('data file', {
      path,
      hint: 'check the path given to --data (relative paths resolve against the working directory)',
    });
  }
  return { ...data, path };
}

/**
 * An existing file or folder given on the command line, made absolute.
 * @throws InputMissingError when it does not exist
 */
export function requirePath(
  what: string,
  location: { path: string; cwd: string; hint: string },
): string {
  const path = resolve(location.cwd, location.path);
  if (!existsSync(path)) throw new InputMissingError(what, { path, hint: location.hint });
  return path;
}

/**
 * The far-OOD set with an absolute path (the data source's default when none was given), after checking that
 * its file exists; null for none.
 * @throws InputMissingError naming the file and what to do
 */
export function resolveFar(
  far: FarSource | null | undefined,
  data: DataSource,
  roots: { cwd: string; repoRoot: string },
): FarSource | null {
  const chosen = far === undefined ? defaultFar(data) : far;
  if (chosen === null) return null;
  const { source } = chosen;
  const path =
    'preset' in source && source.path === undefined
      ? resolvePresetPath(getDatasetPreset(source.preset), roots.repoRoot)
      : resolve(roots.cwd, source.path ?? '');
  if (!existsSync(path))
    throw new InputMissingError('far-OOD data file', {
      path,
      hint:
        far === undefined
          ? "this preset adds another retailer's traffic as far-OOD data from there; put the file there, pass --far-data <file> with --far <preset>, or run without it (--no-far)"
          : 'check the path given to --far-data (relative paths resolve against the working directory), or run without far-OOD data (--no-far)',
    });
  return { ...chosen, source: { ...source, path } as DataSource };
}

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
 * @param flags - how the file was given, for the messages: its option and what it is
 * @throws InputMissingError naming the file and what to do
 */
export function resolveDataSource(
  data: DataSource,
  roots: { cwd: string; repoRoot: string },
  flags: { option: string; what: string; otherwise?: string } = {
    option: 'data',
    what: 'data file',
  },
): DataSource {
  const given = `check the path given to --${flags.option} (relative paths resolve against the working directory)${flags.otherwise ?? ''}`;
  if ('preset' in data) {
    const preset = getDatasetPreset(data.preset);
    const path =
      data.path === undefined
        ? resolvePresetPath(preset, roots.repoRoot)
        : resolve(roots.cwd, data.path);
    if (!existsSync(path))
      throw new InputMissingError(flags.what, {
        path,
        hint:
          data.path === undefined
            ? `the ${preset.name} preset reads ${preset.path} relative to the repository root (${roots.repoRoot}); put the file there or pass --${flags.option} <file>${flags.otherwise ?? ''}`
            : given,
      });
    return { preset: data.preset, path };
  }
  const path = resolve(roots.cwd, data.path);
  if (!existsSync(path)) throw new InputMissingError(flags.what, { path, hint: given });
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
  const source = resolveDataSource(chosen.source, roots, {
    option: 'far-data',
    what: 'far-OOD data file',
    otherwise: ', or run without far-OOD data (--no-far)',
  });
  return { ...chosen, source };
}

/**
 * Paths given by clients resolve only inside a configured folder. A path is taken relative to the folder;
 * absolute paths, NUL bytes and `..` segments that leave the folder are refused before the file system is
 * touched, and the real path (every symlink followed) must still lie inside the folder's real path, so a link
 * inside the folder cannot point outside it. Callers open the returned real path, not the client's string.
 */
import { readdirSync, realpathSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

import { CodedError } from './coded-error';

/** Why a client path was refused. */
export type PathErrorCode = 'INVALID_PATH' | 'OUTSIDE_ROOT' | 'NOT_FOUND';

/** A client path that cannot be used; `message` names the field and never the server's folders. */
export class PathError extends CodedError<PathErrorCode> {
  constructor(code: PathErrorCode, message: string) {
    super('PathError', code, message);
  }
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** Options of {@link confinePath}. */
export interface ConfinePathOptions {
  /** The configured folder. */
  root: string;
  /** The field the path came from, for messages (e.g. `dataset.path`). */
  field: string;
}

/**
 * Resolves a client path inside `root`.
 * @param path - the path as the client gave it, relative to the root
 * @param options - the root and the field name used in messages
 * @returns the real absolute path, inside the real root
 * @throws PathError `INVALID_PATH` (empty, absolute, NUL byte), `OUTSIDE_ROOT` (`..` or a symlink leading out),
 * `NOT_FOUND` (no such file)
 * @example confinePath('homedepot/train.csv', { root: config.dataDir, field: 'dataset.path' })
 * @see https://owasp.org/www-community/attacks/Path_Traversal
 */
export function confinePath(path: string, options: ConfinePathOptions): string {
  const { root, field } = options;
  if (path.length === 0 || path.includes('\0'))
    throw new PathError('INVALID_PATH', `${field} must be a non-empty path without NUL bytes`);
  if (isAbsolute(path) || /^[a-zA-Z]:[\\/]/.test(path))
    throw new PathError(
      'INVALID_PATH',
      `${field} must be relative to the configured folder (got an absolute path)`,
    );
  const lexical = resolve(root, path);
  if (!isInside(resolve(root), lexical))
    throw new PathError('OUTSIDE_ROOT', `${field} leaves the configured folder`);
  let realRoot: string;
  let real: string;
  try {
    realRoot = realpathSync(root);
    real = realpathSync(lexical);
  } catch {
    throw new PathError('NOT_FOUND', `${field} "${path}" does not exist in the configured folder`);
  }
  if (!isInside(realRoot, real))
    throw new PathError(
      'OUTSIDE_ROOT',
      `${field} "${path}" resolves outside the configured folder (through a symbolic link)`,
    );
  return real;
}

/**
 * Resolves a client folder inside `root` whose every entry also resolves inside `root`, so a symbolic link inside
 * the folder (`models/x/model.onnx` → a file elsewhere) cannot bring in a file from outside.
 * @param path - the folder as the client gave it, relative to the root
 * @param options - the root and the field name used in messages
 * @returns the folder's real absolute path
 * @throws PathError as {@link confinePath}; `OUTSIDE_ROOT` naming the entry that leads out
 */
export function confineFolder(path: string, options: ConfinePathOptions): string {
  const dir = confinePath(path, options);
  const realRoot = realpathSync(options.root);
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return dir;
  }
  for (const name of names) {
    let real: string;
    try {
      real = realpathSync(join(dir, name));
    } catch {
      continue;
    }
    if (!isInside(realRoot, real))
      throw new PathError(
        'OUTSIDE_ROOT',
        `${options.field} "${path}" holds ${name}, a symbolic link leading outside the configured folder`,
      );
  }
  return dir;
}

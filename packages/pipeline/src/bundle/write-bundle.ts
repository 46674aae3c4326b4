/**
 * Writing a model bundle (a folder with model.onnx and manifest.json) atomically: both files go into a temporary
 * sibling folder and are fsynced, then the folder is renamed to its final name. A crash at any point leaves either
 * no bundle or the previous one under the final name, never a half-written one.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

import {
  BUNDLE_FILES,
  BUNDLE_FORMAT,
  completeBundleManifest,
  isCoreError,
  type BundleManifest,
  type BundleManifestDraft,
} from '@gradeshift/core';

import { BundleError } from './bundle-error';
import { sha256Hex } from '@gradeshift/core/node';

/** Options for {@link writeBundle}. */
export interface WriteBundleOptions {
  /** The bundle folder; an existing bundle there is replaced once the new one is complete. */
  dir: string;
  /** The ONNX bytes (`exportScorerOnnx`). */
  model: Uint8Array;
  /** The manifest without the model's checksum and size (`createBundleManifest`); they are filled in here. */
  manifest: BundleManifestDraft;
  /**
   * Called after each file is written and synced, with its name (tests use it to simulate a crash).
   * @default undefined
   * @internal
   */
  afterFile?: (file: string) => void;
}

/** What {@link writeBundle} wrote. */
export interface WrittenBundle {
  /** The absolute bundle folder. */
  readonly dir: string;
  /** The manifest as written (checksum and size included). */
  readonly manifest: BundleManifest;
}

function writeSynced(path: string, data: Uint8Array | string): void {
  const fd = openSync(path, 'wx');
  try {
    if (typeof data === 'string') writeSync(fd, data);
    else writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** fsync of a folder, so new entries and renames inside it survive a power loss (a no-op where unsupported). */
function syncDir(path: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms (Windows) cannot fsync a directory; the rename itself is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Refuses to replace anything but an empty folder or a gradeshift bundle (never delete a user's files). */
function assertReplaceable(dir: string): void {
  const refuse = (reason: string): never => {
    throw new BundleError(
      'NOT_A_BUNDLE',
      { path: dir, reason },
      { hint: 'choose another folder, or remove this one yourself if it is not needed' },
    );
  };
  if (!statSync(dir).isDirectory())
    refuse('exists and is not a folder; refusing to replace it with a bundle');
  const manifestPath = join(dir, BUNDLE_FILES.manifest);
  if (!existsSync(manifestPath)) {
    if (readdirSync(dir).length > 0)
      refuse('exists and is not a gradeshift bundle (no manifest.json); refusing to replace it');
    return;
  }
  let format: unknown;
  try {
    format = (JSON.parse(readFileSync(manifestPath, 'utf8')) as { format?: unknown }).format;
  } catch {
    // A damaged manifest of an earlier bundle: still ours if model.onnx sits beside it and nothing else.
    const entries = readdirSync(dir).sort().join(',');
    if (entries === [BUNDLE_FILES.manifest, BUNDLE_FILES.model].sort().join(',')) return;
    refuse('holds a manifest.json that is not valid JSON; refusing to replace it');
  }
  if (format !== BUNDLE_FORMAT)
    refuse(
      'holds a manifest.json that is not a gradeshift bundle manifest; refusing to replace it',
    );
}

/**
 * Puts a complete temporary folder (written and synced beside `dir`) in the place of `dir`: one rename when `dir` is
 * new; else the old folder steps aside only now, and comes back if the second rename fails. The parent folder is
 * synced, so the result survives a power loss.
 * @param temp - the written folder, in the same parent as `dir`
 * @param dir - where it goes
 * @internal
 */
export function moveFolderIntoPlace(temp: string, dir: string): void {
  const parent = dirname(dir);
  syncDir(temp);
  if (!existsSync(dir)) {
    renameSync(temp, dir);
    syncDir(parent);
    return;
  }
  const old = join(
    parent,
    `.${basename(dir)}.old-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  renameSync(dir, old);
  try {
    renameSync(temp, dir);
  } catch (error) {
    renameSync(old, dir);
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
  syncDir(parent);
  rmSync(old, { recursive: true, force: true });
}

/**
 * Writes a bundle: model.onnx and manifest.json (the draft completed with the model's sha256 and size, and
 * validated) into `<parent>/.<name>.tmp-*`, each file fsynced, then renamed to `dir`. An existing bundle at
 * `dir` is moved aside only once the new folder is complete, and deleted after the new one is in place.
 * @param options - folder, model bytes and manifest draft
 * @returns the folder and the manifest as written
 * @throws BundleError `INVALID_MANIFEST` for a draft that does not validate (nothing is written), `NOT_A_BUNDLE` when
 * `dir` exists and is neither empty nor a bundle; I/O errors of the file system (the temporary folder is removed)
 * @example writeBundle({ dir: 'runs/default/bundle', model: exportScorerOnnx({ params }), manifest: draft })
 * @see https://man7.org/linux/man-pages/man2/rename.2.html (rename is atomic within a file system)
 */
export function writeBundle(options: WriteBundleOptions): WrittenBundle {
  const dir = resolve(options.dir);
  const { model, afterFile } = options;
  let manifest: BundleManifest;
  try {
    manifest = completeBundleManifest(options.manifest, {
      sha256: sha256Hex(model),
      bytes: model.length,
    });
  } catch (error) {
    if (!isCoreError(error)) throw error;
    throw new BundleError(
      'INVALID_MANIFEST',
      { path: dir, reason: error.message },
      { cause: error, hint: 'fix the manifest draft; nothing was written' },
    );
  }
  if (existsSync(dir)) assertReplaceable(dir);
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const temp = join(parent, `.${basename(dir)}.tmp-${tag}`);
  mkdirSync(temp);
  try {
    writeSynced(join(temp, BUNDLE_FILES.model), model);
    afterFile?.(BUNDLE_FILES.model);
    writeSynced(join(temp, BUNDLE_FILES.manifest), `${JSON.stringify(manifest)}\n`);
    afterFile?.(BUNDLE_FILES.manifest);
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
  moveFolderIntoPlace(temp, dir);
  return { dir, manifest };
}

/**
 * Which kind of bundle a folder holds, told by its manifest's `format` without reading detector states: the
 * encoder and cross-encoder bundles' writers put the format tag first, so the manifest's first bytes name it;
 * any other manifest (e.g. a word-vector bundle's) is parsed whole.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';

const TAG = /^\s*\{\s*"format"\s*:\s*"([^"\\]*)"/;

/**
 * The `format` of a folder's `manifest.json`.
 * @param dir - the folder
 * @returns the format, or null without a manifest, a format or valid JSON
 */
export function manifestFormat(dir: string): string | null {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) return null;
  const head = Buffer.alloc(256);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    readSync(fd, head, 0, head.length, 0);
  } catch {
    // A manifest.json that is a folder or cannot be read: no format; the bundle reader then refuses it with a 4xx.
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  const tagged = TAG.exec(head.toString('utf8'));
  if (tagged !== null) return tagged[1] ?? null;
  try {
    const json: unknown = JSON.parse(readFileSync(path, 'utf8'));
    const format =
      typeof json === 'object' && json !== null ? (json as { format?: unknown }).format : null;
    return typeof format === 'string' ? format : null;
  } catch {
    return null;
  }
}

/**
 * The served model's bundle files for the Playground's in-browser scorer, read from `GRADESHIFT_BUNDLE_DIR` (see
 * src/env.ts): `manifest.json` and `model.onnx` of a word-vector bundle, and also `tokenizer.json`, `head.onnx`
 * and `term-statistics.json` of an encoder bundle. Only those names are served, streamed from disk. The browser
 * checks each model file against the manifest's sha256 (and keeps it under that hash in its Cache Storage), and
 * compares scores only when the manifest's model hash is the one the API reports.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import { DashboardEnvError, readEnv } from '../../../../env';

export const dynamic = 'force-dynamic';

const FILES: Readonly<Record<string, string>> = {
  'manifest.json': 'application/json',
  'model.onnx': 'application/octet-stream',
  'tokenizer.json': 'application/json',
  'head.onnx': 'application/octet-stream',
  'term-statistics.json': 'application/json',
};

export async function GET(
  request: Request,
  { params }: { params: Promise<{ file: string }> },
): Promise<Response> {
  const { file } = await params;
  const type = Object.hasOwn(FILES, file) ? FILES[file] : undefined;
  if (type === undefined) return new Response('not a bundle file', { status: 404 });
  let dir: string;
  try {
    dir = readEnv().bundleDir;
  } catch (error) {
    if (error instanceof DashboardEnvError) return new Response(error.message, { status: 500 });
    throw error;
  }
  const path = join(dir, file);
  let size: number;
  let mtime: number;
  try {
    const info = await stat(path);
    size = info.size;
    mtime = info.mtimeMs;
  } catch {
    return new Response(
      `no ${file} in ${dir}: set GRADESHIFT_BUNDLE_DIR to the bundle folder the API serves`,
      { status: 404 },
    );
  }
  const etag = `"${size.toString(16)}-${Math.round(mtime).toString(16)}"`;
  const headers = {
    'content-type': type,
    'content-length': String(size),
    // The browser may keep the files (~20 MB, ~90 MB for an encoder) but must ask again, so a new bundle is never
    // missed; the worker keeps the checked model files in Cache Storage by sha256 besides.
    'cache-control': 'no-cache',
    etag,
  };
  if (request.headers.get('if-none-match') === etag)
    return new Response(null, { status: 304, headers: { etag } });
  const body = Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
  return new Response(body, { headers });
}

/**
 * The served bundle's files for the Playground's worker, from `/playground/bundle/<file>`: streamed, with
 * progress as the bytes arrive (the MiniLM encoder alone is ~90 MB), and a file the manifest names with its
 * sha256 is checked against it and kept in the browser's Cache Storage under that hash, so a page reload or the
 * next visit reads it from disk and a changed bundle (another hash) is fetched again. Where Cache Storage or
 * `crypto.subtle` is missing (a page served over plain HTTP from another host), files are fetched every time and
 * not checked.
 */
import type { LoadProgress } from './inference-protocol';

/** Where the dashboard serves the bundle's files (`app/playground/bundle/[file]/route.ts`). */
export const BUNDLE_URL = '/playground/bundle';
const CACHE_NAME = 'gradeshift-bundle-files';

/** A fetched file and whether it came from the cache. */
export interface BundleFile {
  readonly bytes: Uint8Array;
  readonly cached: boolean;
}

/** Options of {@link fetchBundleFile}. */
export interface FetchBundleFileOptions {
  /** The manifest's sha256 of the file: checked, and the cache key. @default none (not cached, not checked) */
  readonly sha256?: string;
  /** Called as bytes arrive (at most every 1% of the file). */
  readonly onProgress?: (progress: LoadProgress) => void;
}

async function openCache(): Promise<Cache | null> {
  try {
    return typeof caches === 'undefined' ? null : await caches.open(CACHE_NAME);
  } catch {
    return null;
  }
}

/** The bytes' sha256 in hex, or null where the browser has no Web Crypto (an insecure origin). */
export async function sha256Hex(bytes: Uint8Array): Promise<string | null> {
  if (typeof crypto === 'undefined' || crypto.subtle === undefined) return null;
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Reads a response's body, reporting progress; the body is preallocated when the length is known. */
async function readBody(
  response: Response,
  file: string,
  onProgress: FetchBundleFileOptions['onProgress'],
): Promise<Uint8Array> {
  const header = Number(response.headers.get('content-length'));
  const total = Number.isSafeInteger(header) && header > 0 ? header : null;
  const reader = response.body?.getReader();
  if (reader === undefined) return new Uint8Array(await response.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  let reported = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    if (total === null || loaded - reported >= total / 100) {
      reported = loaded;
      onProgress?.({ file, loaded, total });
    }
  }
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  onProgress?.({ file, loaded, total: loaded });
  return bytes;
}

/** Keeps a checked file under its hash and drops the copies of the same file under older hashes. */
async function keep(cache: Cache, key: string, bytes: Uint8Array): Promise<void> {
  try {
    const path = new URL(key, location.href).pathname;
    for (const old of await cache.keys())
      if (new URL(old.url).pathname === path && old.url !== new URL(key, location.href).href)
        await cache.delete(old);
    await cache.put(key, new Response(bytes as Uint8Array<ArrayBuffer>));
  } catch {
    // A full or refused cache only means the next visit fetches the file again.
  }
}

/**
 * Fetches one file of the served bundle.
 * @param file - the file's name in the bundle folder
 * @param options - its sha256 and a progress callback
 * @returns the bytes and whether they came from the cache
 * @throws Error naming the URL and the server's answer for a failed request, or the two hashes for a file
 *   that is not the manifest's
 */
export async function fetchBundleFile(
  file: string,
  options: FetchBundleFileOptions = {},
): Promise<BundleFile> {
  const { sha256, onProgress } = options;
  const url = `${BUNDLE_URL}/${file}`;
  const key = sha256 === undefined ? null : `${url}?sha256=${sha256}`;
  const cache = key === null ? null : await openCache();
  const hit = key === null ? undefined : await cache?.match(key);
  if (hit !== undefined) {
    const bytes = new Uint8Array(await hit.arrayBuffer());
    onProgress?.({ file, loaded: bytes.byteLength, total: bytes.byteLength });
    return { bytes, cached: true };
  }
  const response = await fetch(url);
  if (!response.ok)
    throw new Error(`${url}: ${response.status} ${(await response.text()).slice(0, 300)}`);
  let received = 0;
  const bytes = await readBody(response, file, (progress) => {
    received = progress.loaded;
    onProgress?.(progress);
  }).catch((error: unknown) => {
    throw new Error(
      `${url}: the download stopped after ${received} bytes (${error instanceof Error ? error.message : String(error)}): check that the dashboard is running and try again`,
      { cause: error },
    );
  });
  const actual = sha256 === undefined ? null : await sha256Hex(bytes);
  if (actual !== null && actual !== sha256)
    throw new Error(
      `${url}: sha256 ${actual} differs from the manifest's ${sha256}: the bundle changed while loading; reload the page`,
    );
  if (cache !== null && key !== null && actual !== null) await keep(cache, key, bytes);
  return { bytes, cached: false };
}

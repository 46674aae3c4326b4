/**
 * The Node side every browser test shares: bundle a harness page with esbuild, serve it, onnxruntime-web's
 * WASM files and the test's own files (models, tokenizers) from 127.0.0.1, and open Debian's Chromium on it
 * through playwright-core, recording page errors and requests that found nothing.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';

import { build } from 'esbuild';
import { CHROMIUM_ARGS, CHROMIUM_MISSING, CHROMIUM_PATH } from '@gradeshift/vitest-config/chromium';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const ORT_DIST = dirname(
  createRequire(import.meta.url).resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'),
);
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
  '.json': 'application/json',
};

/** A file the server hands out: bytes in memory, or a path on disk read per request. */
export type ServedFile = Uint8Array | { readonly path: string };

/** What {@link openHarness} serves. */
export interface HarnessOptions {
  /** The page's script (a .ts file bundled for the browser). */
  readonly entry: string;
  /** Page title. */
  readonly title: string;
  /** Extra files by URL path (e.g. `/models/tiny.onnx`). */
  readonly files?: ReadonlyMap<string, ServedFile>;
}

/** A served page open in Chromium. */
export interface Harness {
  readonly page: Page;
  readonly origin: string;
  /** Paths requested that the server did not have. */
  readonly missing: string[];
  /** Uncaught page errors and console errors. */
  readonly pageErrors: string[];
  /** Closes the browser, the server and the profile folder, each step whatever the others did. */
  close(): Promise<void>;
}

/** Bundles the harness page in memory: output path → bytes. */
async function bundlePage(entry: string): Promise<Map<string, Uint8Array>> {
  const result = await build({
    entryPoints: { page: entry },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    splitting: true,
    outdir: '/harness',
    write: false,
    logLevel: 'silent',
  });
  if (result.errors.length > 0 || result.warnings.length > 0) {
    throw new Error(
      `esbuild: ${[...result.errors, ...result.warnings].map((m) => m.text).join('; ')}`,
    );
  }
  return new Map(result.outputFiles.map((f) => [f.path, f.contents]));
}

async function lookup(
  path: string,
  html: string,
  files: ReadonlyMap<string, ServedFile>,
): Promise<Uint8Array | string | undefined> {
  if (path === '/') return html;
  const file = files.get(path);
  if (file !== undefined) return file instanceof Uint8Array ? file : readFile(file.path);
  if (path.startsWith('/ort/')) {
    const onDisk = normalize(join(ORT_DIST, path.slice('/ort/'.length)));
    if (onDisk.startsWith(ORT_DIST) && existsSync(onDisk)) return readFile(onDisk);
  }
  return undefined;
}

/** Serves the page, the bundle, the ORT dist folder and the extra files; records requests that found nothing. */
async function serve(
  html: string,
  files: ReadonlyMap<string, ServedFile>,
  missing: string[],
): Promise<Server> {
  const server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      if (path === '/favicon.ico') {
        res.writeHead(204).end();
        return;
      }
      const body = await lookup(path, html, files);
      if (body === undefined) {
        missing.push(path);
        res.writeHead(404).end();
        return;
      }
      // Cross-origin isolation lets onnxruntime-web use WASM threads when the page asks for them.
      res.writeHead(200, {
        'Content-Type':
          CONTENT_TYPES[path === '/' ? '.html' : extname(path)] ?? 'application/octet-stream',
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
      });
      res.end(body);
    })().catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/**
 * Bundles and serves a harness page and opens Chromium on a blank tab (the test navigates to `origin`).
 * @throws Error when Chromium is missing (saying how to install it) or the page does not bundle.
 */
export async function openHarness(options: HarnessOptions): Promise<Harness> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(CHROMIUM_MISSING);
  const missing: string[] = [];
  const pageErrors: string[] = [];
  const files = new Map(options.files ?? []);
  for (const [path, bytes] of await bundlePage(options.entry)) files.set(path, bytes);
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${options.title}</title></head><body><h1>gradeshift · ${options.title}</h1><script type="module" src="/harness/page.js"></script></body></html>`;
  const server = await serve(html, files, missing);
  let context: BrowserContext | undefined;
  const profile = await mkdtemp(join(tmpdir(), 'gradeshift-chromium-'));
  const close = async () => {
    await context?.close().catch(() => undefined);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(profile, { recursive: true, force: true });
  };
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS],
    });
  } catch (error) {
    await close();
    throw error;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { page, origin, missing, pageErrors, close };
}

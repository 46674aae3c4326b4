/**
 * Browser smoke test of `@gradeshift/core/web` (conventions §4.3, runtime gate): bundle a harness page with
 * esbuild, serve it and onnxruntime-web's WASM files from 127.0.0.1, open it in Debian's Chromium through
 * playwright-core, run the tiny model there, and compare with onnxruntime-node within 1e-5.
 * Run from tests/: `npx vitest run e2e`.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createNodeBackend, createTensor } from '@gradeshift/core/node';
import { build } from 'esbuild';
import { CHROMIUM_ARGS, CHROMIUM_MISSING, CHROMIUM_PATH } from '@gradeshift/vitest-config/chromium';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildTinyModel, TINY, TINY_ROWS as ROWS, tinyFeatures } from './harness/tiny-model';

const HERE = dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = join(HERE, '..', 'artifacts');
const ORT_DIST = dirname(
  createRequire(import.meta.url).resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'),
);
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};
const INDEX_HTML =
  '<!doctype html><html><head><meta charset="utf-8"><title>gradeshift web inference</title></head><body><h1>gradeshift · @gradeshift/core/web</h1><script type="module" src="/harness/page.js"></script></body></html>';

/** Bundles the harness page in memory: output path → bytes. */
async function bundleHarness(): Promise<Map<string, Uint8Array>> {
  const result = await build({
    entryPoints: { page: join(HERE, 'harness', 'page.ts') },
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

/** Serves the page, the bundle and the ORT dist folder; records requests that found nothing. */
async function serve(bundle: Map<string, Uint8Array>, missing: string[]): Promise<Server> {
  const server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      let body: Uint8Array | string | undefined;
      if (path === '/') body = INDEX_HTML;
      else if (bundle.has(path)) body = bundle.get(path);
      else if (path.startsWith('/ort/')) {
        const file = normalize(join(ORT_DIST, path.slice('/ort/'.length)));
        if (file.startsWith(ORT_DIST) && existsSync(file)) body = await readFile(file);
      }
      if (path === '/favicon.ico') {
        res.writeHead(204).end();
        return;
      }
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

/** Reference outputs from onnxruntime-node for the same model and rows. */
async function nodeReference(): Promise<{ logits: number[]; probs: number[] }> {
  const session = await createNodeBackend({ intraOpNumThreads: 1 }).createSession(buildTinyModel());
  try {
    const out = await session.run({
      features: createTensor('float32', tinyFeatures(ROWS), [ROWS, TINY.d]),
    });
    return {
      logits: Array.from(out['logits']!.data as Float32Array),
      probs: Array.from(out['probs']!.data as Float32Array),
    };
  } finally {
    await session.dispose();
  }
}

describe('@gradeshift/core/web in Chromium', () => {
  const missing: string[] = [];
  const pageErrors: string[] = [];
  let server: Server | undefined;
  let context: BrowserContext | undefined;
  let profile: string | undefined;
  let page: Page;
  let origin: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM_PATH)) {
      throw new Error(CHROMIUM_MISSING);
    }
    server = await serve(await bundleHarness(), missing);
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    profile = await mkdtemp(join(tmpdir(), 'gradeshift-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  });

  afterAll(async () => {
    // Each step runs even if an earlier one failed, so no browser or server outlives the test.
    await context?.close().catch(() => undefined);
    await new Promise<void>((resolve) =>
      server === undefined ? resolve() : server.close(() => resolve()),
    );
    if (profile !== undefined) await rm(profile, { recursive: true, force: true });
  });

  it('runs the tiny model with onnxruntime-web and matches onnxruntime-node within 1e-5', async () => {
    const reference = await nodeReference();
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => window.harnessResult !== undefined, undefined, {
      timeout: 20_000,
    });
    const result = (await page.evaluate(() => window.harnessResult))!;
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'web-inference.png') });

    expect(result.error).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(result.backend).toBe('onnxruntime-web/wasm');
    expect(result.logits).toBeDeepCloseTo(reference.logits, { abs: 1e-5, rel: 0 });
    expect(result.probs).toBeDeepCloseTo(reference.probs, { abs: 1e-5, rel: 0 });
    // Eight overlapping runs on one session all succeed and agree with the single run.
    expect(result.concurrentProbs).toBeDeepCloseTo(reference.probs, { abs: 1e-5, rel: 0 });
    expect(result.batchedProbs).toBeDeepCloseTo(reference.probs, { abs: 1e-5, rel: 0 });
    expect(await page.textContent('#result')).toContain(
      `onnxruntime-web/wasm: probs (${ROWS} × ${TINY.k})`,
    );
    expect(missing).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

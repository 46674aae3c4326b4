/**
 * Browser smoke test of `@gradeshift/core/web` (conventions §4.3, runtime gate): bundle a harness page with
 * esbuild, serve it and onnxruntime-web's WASM files from 127.0.0.1, open it in Debian's Chromium through
 * playwright-core (harness/serve.ts), run the tiny model there, and compare with onnxruntime-node within 1e-5.
 * Run from tests/: `npx vitest run e2e`.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createNodeBackend, createTensor } from '@gradeshift/core/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openHarness, type Harness } from './harness/serve';
import { buildTinyModel, TINY, TINY_ROWS as ROWS, tinyFeatures } from './harness/tiny-model';

const HERE = dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = join(HERE, '..', 'artifacts');

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
  let harness: Harness | undefined;
  let page: Harness['page'];

  beforeAll(async () => {
    harness = await openHarness({
      entry: join(HERE, 'harness', 'page.ts'),
      title: '@gradeshift/core/web',
    });
    page = harness.page;
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('runs the tiny model with onnxruntime-web and matches onnxruntime-node within 1e-5', async () => {
    const reference = await nodeReference();
    await page.goto(`${harness!.origin}/`);
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
    expect(harness!.missing).toEqual([]);
    expect(harness!.pageErrors).toEqual([]);
  });
});

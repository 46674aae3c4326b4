/**
 * The Playground scoring an encoder bundle in Chromium: the dashboard serves the tiny BERT-shaped encoder bundle
 * (`writeTinyEncoderBundle`: fixture encoder, committed WordPiece tokenizer, head.onnx, the decision rule and seven
 * OOD scores fitted on a made-up ID validation) while the API serves a word-vector test bundle. The browser
 * tokenizes, runs the encoder and the head with onnxruntime-web and must give `gradeshift score`'s answer
 * (`scoreEncoderBundlePairs`, onnxruntime-node, in this process): every probability, expected grade and OOD score
 * within the Playground's tolerance (max scaled difference < 1e-4, `compareScores`), the same decided grades, the
 * same OOD flags and ID percentiles; the rule is named above the browser's table, and the page says the API scored another model
 * instead of comparing the two, with no axe-core violation. A reload reads the model files from Cache Storage; a head.onnx changed after
 * export is refused with both hashes. When the API serves the same encoder bundle (matched by manifest.json's
 * sha256), the page compares the browser's scores with the API's as it does for a word-vector bundle, and they
 * agree within the tolerance with no grade differing. When a real encoder bundle is at GRADESHIFT_E2E_ENCODER_BUNDLE (default
 * runs/minilm/bundle, `gradeshift encoder`), it is scored too, with its ~90 MB model's load progress shown.
 * The largest differences go to tests/artifacts/playground-encoder-parity.json.
 */
import { existsSync } from 'node:fs';
import { appendFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { scoreEncoderBundlePairs } from '@gradeshift/pipeline';
import { writeTinyEncoderBundle } from '@gradeshift/pipeline/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { writeTestBundle } from '../../api/src/testing/create-test-bundle';
import { axeViolations, describeViolations } from './harness/axe';
import { launchBrowser } from './harness/browser';
import {
  browserRows,
  expectApiAgrees,
  expectParity,
  nodeRows,
  PARITY_INPUT,
  scoreInBrowser as scoreInPlayground,
  writeParityArtifact,
} from './harness/playground-parity';
import { ARTIFACTS, startSession, type DashboardSession } from './harness/session';
import { REPO_ROOT } from './harness/small-run';

const REAL_BUNDLE =
  process.env['GRADESHIFT_E2E_ENCODER_BUNDLE'] ?? join(REPO_ROOT, 'runs', 'minilm', 'bundle');
const PARITY_FILE = join(ARTIFACTS, 'playground-encoder-parity.json');
/** Largest scaled browser − Node difference per bundle, and the real bundle's load and scoring status. */
const parity: Record<string, number | string> = {};

afterAll(() => writeParityArtifact(PARITY_FILE, parity));

const INPUT = PARITY_INPUT;
const scoreInBrowser = (page: Page, origin: string) => scoreInPlayground(page, origin, INPUT);
/** Browser vs `gradeshift score` (`scoreEncoderBundlePairs`); returns the largest scaled difference. */
const parityOf = async (page: Page, bundle: string) =>
  expectParity(await browserRows(page), await nodeRows(scoreEncoderBundlePairs, bundle, INPUT));

describe('the Playground scores an encoder bundle in Chromium', () => {
  let dir: string;
  let bundle: string;
  let session: DashboardSession | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gradeshift-playground-encoder-'));
    bundle = (await writeTinyEncoderBundle(join(dir, 'tiny'))).dir;
    const api = await writeTestBundle({ dir: join(dir, 'api-bundle'), seed: 1 });
    await mkdir(join(dir, 'runs'), { recursive: true });
    session = await startSession(join(dir, 'runs'), api.dir, bundle);
  });

  afterAll(async () => {
    await session?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("gives gradeshift score's grades, OOD scores and flags, with the rule named", async () => {
    const { page, pageErrors, web } = session!;
    await scoreInBrowser(page, web.url);
    parity['tiny'] = await parityOf(page, bundle);
    const flagged = (await browserRows(page)).flagged;
    // The far items are flagged by the content KNN, the item equal to the query is not: the flags carry signal.
    expect(flagged.slice(3, 6).every((f) => f.includes('content_knn'))).toBe(true);
    expect(flagged[6]).not.toContain('content_knn');
    const section = page.locator('[data-browser-state="done"]');
    expect(await section.locator('p[data-decision]').getAttribute('data-decision')).toBe(
      'ordinal-thresholds',
    );
    expect(await section.locator('p[data-decision]').textContent()).toMatch(
      /Predicted uses the ordinal cut points rule/,
    );
    // The API serves a word-vector bundle: the page says so rather than comparing two models.
    expect(await section.locator('[data-compared="false"]').count()).toBe(1);
    expect(await section.locator('[role="alert"]').textContent()).toMatch(
      /an encoder bundle\) is not the model the API scored with/,
    );
    const violations = await axeViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'playground-encoder.png'), fullPage: true });

    // A reload loads the checked model files from Cache Storage and scores alike.
    await scoreInBrowser(page, web.url);
    await parityOf(page, bundle);
    expect(await section.locator('[data-compared]').textContent()).toMatch(
      /model\.onnx, tokenizer\.json, head\.onnx, term-statistics\.json from this browser's cache/,
    );
    expect(pageErrors).toEqual([]);
  }, 300_000);

  it('refuses a head.onnx changed after export, naming both hashes', async () => {
    // A fresh profile: nothing cached, so the changed file is fetched and checked.
    const fresh = await launchBrowser();
    try {
      await appendFile(join(bundle, 'head.onnx'), new Uint8Array([0]));
      const page = await fresh.context.newPage();
      await scoreInBrowser(page, session!.web.url);
      const alert = page.locator('[data-browser-state="error"] [role="alert"]');
      await alert.waitFor({ timeout: 120_000 });
      expect(await alert.textContent()).toMatch(
        /\/playground\/bundle\/head\.onnx: sha256 [0-9a-f]{64} differs from the manifest's [0-9a-f]{64}: the bundle changed while loading; reload the page/,
      );
      // The button stays, so a fixed bundle can be loaded again.
      expect(await page.getByRole('button', { name: 'Score in this browser' }).count()).toBe(1);
    } finally {
      await fresh.close();
    }
  }, 180_000);
});

describe('the Playground compares with the API serving the same encoder bundle', () => {
  let dir: string;
  let bundle: string;
  let session: DashboardSession | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gradeshift-playground-encoder-api-'));
    bundle = (await writeTinyEncoderBundle(join(dir, 'tiny'))).dir;
    await mkdir(join(dir, 'runs'), { recursive: true });
    session = await startSession(join(dir, 'runs'), bundle, bundle);
  });

  afterAll(async () => {
    await session?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("compares the browser's scores with the API's, which agree", async () => {
    const { page, pageErrors, web } = session!;
    await scoreInBrowser(page, web.url);
    await parityOf(page, bundle);
    await expectApiAgrees(page);
    expect(pageErrors).toEqual([]);
  }, 300_000);
});

describe.skipIf(!existsSync(join(REAL_BUNDLE, 'manifest.json')))(
  'the Playground scores a real encoder bundle in Chromium',
  () => {
    let dir: string;
    let session: DashboardSession | undefined;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'gradeshift-playground-minilm-'));
      const api = await writeTestBundle({ dir: join(dir, 'api-bundle'), seed: 1 });
      await mkdir(join(dir, 'runs'), { recursive: true });
      session = await startSession(join(dir, 'runs'), api.dir, REAL_BUNDLE);
    });

    afterAll(async () => {
      await session?.stop();
      await rm(dir, { recursive: true, force: true });
    });

    it("loads the ~90 MB model with progress and gives gradeshift score's answer", async () => {
      const { page, pageErrors, web } = session!;
      const search = new URLSearchParams({ query: INPUT.query, items: INPUT.items.join('\n') });
      await page.goto(`${web.url}/playground?${search.toString()}`);
      await page.locator('[data-browser-state="idle"][data-ready="yes"]').waitFor();
      // Every file name the progress bar shows while loading.
      await page.evaluate(() => {
        const seen = new Set<string>();
        (window as unknown as { seenFiles: Set<string> }).seenFiles = seen;
        new MutationObserver(() => {
          for (const el of document.querySelectorAll('[data-loading-file]'))
            seen.add(el.getAttribute('data-loading-file') ?? '');
        }).observe(document.body, { subtree: true, childList: true, attributes: true });
      });
      await page.getByRole('button', { name: 'Score in this browser' }).click();
      parity['real'] = await parityOf(page, REAL_BUNDLE);
      const seen = await page.evaluate(() => [
        ...(window as unknown as { seenFiles: Set<string> }).seenFiles,
      ]);
      expect(seen).toContain('model.onnx');
      parity['realStatus'] =
        (await page.locator('[data-browser-state] [data-compared]').textContent()) ?? '';
      expect(pageErrors).toEqual([]);
    }, 600_000);
  },
);

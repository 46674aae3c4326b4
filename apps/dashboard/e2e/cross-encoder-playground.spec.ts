/**
 * The Playground scoring a cross-encoder bundle in Chromium: the dashboard serves the bundle that
 * `evaluate --cross-encoder … --bundle-out` wrote for the tiny BERT-shaped cross-encoder
 * (`writeTinyCrossEncoderBundle`: fixture model with a 3-grade head on its pooled output and id2label in reverse grade order,
 * the committed WordPiece tokenizer, the rule and five OOD scores fitted on a made-up reference) while the API
 * serves a word-vector test bundle. The browser tokenizes the pairs, runs the model with onnxruntime-web and must
 * give `gradeshift score`'s answer (`scoreCrossEncoderBundlePairs`, onnxruntime-node, in this process): every
 * probability, expected grade and OOD score within the Playground's tolerance (max scaled difference < 1e-4,
 * `compareScores`), the same decided grades, OOD flags and ID percentiles; the rule is named above the browser's
 * table, with no axe-core violation. A reload reads the model files from Cache Storage; a tokenizer.json changed
 * after export is refused with both hashes. When the API serves the same cross-encoder bundle (matched by
 * manifest.json's sha256), the page compares the browser's scores with the API's and they agree within the
 * tolerance with no grade differing. The untrained MiniLM cross-encoder (models/cross-encoder-untrained,
 * `npm run models:cross-encoder-untrained`, or GRADESHIFT_CROSS_ENCODER_DIR) is bundled and scored too when
 * present. The largest differences go to tests/artifacts/playground-cross-encoder-parity.json.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { scoreCrossEncoderBundlePairs } from '@gradeshift/pipeline';
import {
  writeTinyCrossEncoderBundle,
  type TinyCrossEncoderBundle,
} from '@gradeshift/pipeline/testing';
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

const MINILM = resolve(
  process.env['GRADESHIFT_CROSS_ENCODER_DIR'] ?? join(REPO_ROOT, 'models/cross-encoder-untrained'),
);
const MINILM_PRESENT = existsSync(join(MINILM, 'model.onnx'));
const PARITY_FILE = join(ARTIFACTS, 'playground-cross-encoder-parity.json');
/** Largest scaled browser − Node difference per bundle. */
const parity: Record<string, number | string> = {};

afterAll(() => writeParityArtifact(PARITY_FILE, parity));

const INPUT = PARITY_INPUT;
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const scoreInBrowser = (page: Page, origin: string) => scoreInPlayground(page, origin, INPUT);
/** Browser vs `gradeshift score`; returns the largest scaled difference. */
const parityOf = async (page: Page, bundle: string) =>
  expectParity(
    await browserRows(page),
    await nodeRows(scoreCrossEncoderBundlePairs, bundle, INPUT),
  );

/**
 * A session whose Playground serves a cross-encoder bundle (written by `write`) and whose API serves a word-vector
 * bundle, or the same cross-encoder bundle with `api: 'same'`.
 */
function servedBundle(
  name: string,
  write: (dir: string) => Promise<TinyCrossEncoderBundle>,
  api: 'word-vector' | 'same' = 'word-vector',
) {
  const state: { dir: string; bundle?: TinyCrossEncoderBundle; session?: DashboardSession } = {
    dir: '',
  };
  beforeAll(async () => {
    state.dir = await mkdtemp(join(tmpdir(), `gradeshift-playground-${name}-`));
    state.bundle = await write(join(state.dir, name));
    const served =
      api === 'same'
        ? state.bundle.dir
        : (await writeTestBundle({ dir: join(state.dir, 'api-bundle'), seed: 1 })).dir;
    await mkdir(join(state.dir, 'runs'), { recursive: true });
    state.session = await startSession(join(state.dir, 'runs'), served, state.bundle.dir);
  });
  afterAll(async () => {
    await state.session?.stop();
    await rm(state.dir, { recursive: true, force: true });
  });
  return state;
}

describe('the Playground scores a cross-encoder bundle in Chromium', () => {
  const state = servedBundle('tiny-ce', (dir) => writeTinyCrossEncoderBundle(dir));

  it("gives gradeshift score's grades, OOD scores and flags, with the rule named", async () => {
    const { page, pageErrors, web } = state.session!;
    const { dir: bundle, manifest } = state.bundle!;
    await scoreInBrowser(page, web.url);
    parity['tiny'] = await parityOf(page, bundle);
    const section = page.locator('[data-browser-state="done"]');
    expect(await section.locator('p[data-decision]').getAttribute('data-decision')).toBe(
      manifest.decision.kind,
    );
    // Every OOD score of the manifest is shown per row.
    const { rows } = await browserRows(page);
    expect(Object.keys(rows[0]?.ood ?? {}).sort()).toEqual(Object.keys(manifest.ood).sort());
    // The API serves a word-vector bundle: the page says so rather than comparing two models.
    expect(await section.locator('[data-compared="false"]').count()).toBe(1);
    expect(await section.locator('[role="alert"]').textContent()).toMatch(
      new RegExp(
        `model ${sha256(join(bundle, 'manifest.json')).slice(0, 12)}, a cross-encoder bundle\\) is not the model`,
      ),
    );
    const violations = await axeViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    await page.screenshot({
      path: join(ARTIFACTS, 'playground-cross-encoder.png'),
      fullPage: true,
    });

    // A reload loads the checked model files from Cache Storage and scores alike.
    await scoreInBrowser(page, web.url);
    await parityOf(page, bundle);
    expect(await section.locator('[data-compared]').textContent()).toMatch(
      /model\.onnx, tokenizer\.json from this browser's cache/,
    );
    expect(pageErrors).toEqual([]);
  }, 300_000);

  it('refuses a tokenizer.json changed after export, naming both hashes', async () => {
    // A fresh profile: nothing cached, so the changed file is fetched and checked.
    const fresh = await launchBrowser();
    try {
      await appendFile(join(state.bundle!.dir, 'tokenizer.json'), ' ');
      const page = await fresh.context.newPage();
      await scoreInBrowser(page, state.session!.web.url);
      const alert = page.locator('[data-browser-state="error"] [role="alert"]');
      await alert.waitFor({ timeout: 120_000 });
      expect(await alert.textContent()).toMatch(
        /\/playground\/bundle\/tokenizer\.json: sha256 [0-9a-f]{64} differs from the manifest's [0-9a-f]{64}/,
      );
    } finally {
      await fresh.close();
    }
  }, 180_000);
});

describe('the Playground compares with the API serving the same cross-encoder bundle', () => {
  const state = servedBundle('tiny-ce-api', (dir) => writeTinyCrossEncoderBundle(dir), 'same');

  it("compares the browser's scores with the API's, which agree", async () => {
    const { page, pageErrors, web } = state.session!;
    await scoreInBrowser(page, web.url);
    await parityOf(page, state.bundle!.dir);
    await expectApiAgrees(page);
    expect(pageErrors).toEqual([]);
  }, 300_000);
});

describe.skipIf(!MINILM_PRESENT)(
  `the Playground scores the untrained MiniLM cross-encoder's bundle in Chromium${MINILM_PRESENT ? '' : ` (skipped: ${MINILM} is absent; run npm run models:cross-encoder-untrained)`}`,
  () => {
    const state = servedBundle('minilm-ce', (dir) =>
      writeTinyCrossEncoderBundle(dir, { model: MINILM }),
    );

    it("loads the ~90 MB model and gives gradeshift score's answer", async () => {
      const { page, pageErrors, web } = state.session!;
      expect(state.bundle!.manifest.backbone.outputs).toEqual({
        logits: 'logits',
        count: 3,
        hidden: 'last_hidden_state',
      });
      await scoreInBrowser(page, web.url);
      parity['minilm'] = await parityOf(page, state.bundle!.dir);
      expect(pageErrors).toEqual([]);
    }, 600_000);
  },
);

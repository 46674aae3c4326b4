/**
 * The encoder bundle scored the way the dashboard's Playground scores it in the browser, here on onnxruntime-node:
 * the manifest parsed from its text (`parseEncoderBundleManifest`, `checkEncoderBundleDecisions` with
 * `loadBundleDetectors` on the default TypeScript gemm), the tokenizer built from the text of tokenizer.json
 * (`tokenizerFromJson`), the encoder and the head as sessions from their bytes, and core's
 * `scoreEncoderBundleHead` + `encoderBundleOutputs`. It must give `gradeshift score`'s answer
 * (`scoreEncoderBundlePairs`, onnxruntime's gemm for the KNN banks): the same probabilities and expected grades
 * to the bit (the same onnxruntime runs), the same decided grades and flags, OOD scores within 1e-9 (the KNN
 * banks' products on another gemm). The bundle is the tiny BERT-shaped one (`writeTinyEncoderBundle`).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  checkEncoderBundleDecisions,
  createTextEncoder,
  encoderBundleOutputs,
  parseEncoderBundleManifest,
  scoreEncoderBundleHead,
  termStatisticsFromJson,
  tokenizerFromJson,
} from '@gradeshift/core';
import { createNodeBackend } from '@gradeshift/core/node';
import { loadBundleDetectors } from '@gradeshift/ood';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { UnlabeledPair } from '../data/dataset';
import { scoreEncoderBundlePairs } from './score-encoder-bundle';
import { writeTinyEncoderBundle } from './tiny-encoder-bundle';

/** ID-like pairs, far pairs (text the reference never saw), a repeated text and an empty item. */
const PAIRS: UnlabeledPair[] = [
  ['cordless drill', 'drill 18 v battery'],
  ['cordless drill', 'drill bit'],
  ['cordless drill', 'tile grout'],
  ['quantum flux', 'zyx 9000 kvq'],
  ['quantum flux', 'ææ øø ßß'],
  ['quantum flux', '€€€ 12345 ///'],
  ['lamp', 'floor lamp brass'],
  ['lamp', 'lamp'],
  ['lamp', ''],
].map(([query, item], i) => ({ id: String(i + 1), line: i + 2, query: query!, item: item! }));

let dir: string;
let bundle: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gradeshift-encoder-browser-path-'));
  bundle = (await writeTinyEncoderBundle(dir)).dir;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The Playground worker's composition, on onnxruntime-node. */
async function scoreAsTheBrowser(pairs: readonly UnlabeledPair[]) {
  const text = (file: string) => readFileSync(join(bundle, file), 'utf8');
  const manifest = parseEncoderBundleManifest(JSON.parse(text('manifest.json')), 'manifest.json');
  const decisions = checkEncoderBundleDecisions(manifest, 'manifest.json', (ood) =>
    loadBundleDetectors(ood),
  );
  const backend = createNodeBackend({ intraOpNumThreads: 1 });
  const bytes = (file: string) => new Uint8Array(readFileSync(join(bundle, file)));
  const encoderSession = await backend.createSession(bytes(manifest.backbone.model.file));
  const head = await backend.createSession(bytes(manifest.head.file));
  try {
    const encoder = createTextEncoder(
      encoderSession,
      tokenizerFromJson(text(manifest.backbone.tokenizer.file)),
      { maxLength: manifest.backbone.maxLength },
    );
    const statistics = manifest.head.termStatistics;
    const scores = await scoreEncoderBundleHead(pairs, {
      manifest,
      embed: (texts) => encoder.embed(texts),
      head,
      termStatistics:
        statistics === null ? null : termStatisticsFromJson(JSON.parse(text(statistics.file))),
    });
    return await encoderBundleOutputs(scores, decisions);
  } finally {
    await encoderSession.dispose();
    await head.dispose();
  }
}

describe('the encoder bundle on the browser’s path', () => {
  it('gives gradeshift score’s probabilities, grades, OOD scores and flags', async () => {
    const node = await scoreEncoderBundlePairs(bundle, PAIRS);
    const browser = await scoreAsTheBrowser(PAIRS);
    expect(Array.from(browser.probs)).toEqual(Array.from(node.probs));
    expect(Array.from(browser.expected)).toEqual(Array.from(node.expected));
    expect(Array.from(browser.predicted)).toEqual(Array.from(node.predicted));
    expect([...browser.ood.keys()]).toEqual([...node.ood.keys()]);
    expect(browser.ood.size).toBe(7);
    for (const [name, want] of node.ood) {
      const got = browser.ood.get(name)!;
      expect(Array.from(got.score), name).toBeDeepCloseTo(Array.from(want.score), {
        abs: 1e-9,
        rel: 1e-9,
      });
      expect(Array.from(got.percentile), name).toEqual(Array.from(want.percentile));
      expect(Array.from(got.flag), name).toEqual(Array.from(want.flag));
      expect(got.threshold).toBe(want.threshold);
    }
    // The far pairs are flagged by the content KNN and the ID-like ones are not: the flags carry signal.
    const flags = Array.from(node.ood.get('content_knn')!.flag);
    expect(flags.slice(3, 6)).toEqual([1, 1, 1]);
    expect(flags.slice(0, 3)).toContain(0);
  });

  it('scores no pairs as no rows', async () => {
    const browser = await scoreAsTheBrowser([]);
    expect(browser.probs.length).toBe(0);
    expect(browser.predicted.length).toBe(0);
    expect(browser.ood.size).toBe(0);
  });
});

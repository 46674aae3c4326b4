import { readFileSync } from 'node:fs';

import { matrixFromRows } from '@gradeshift/core/math';
import { describe, expect, it } from 'vitest';

import type { OodDetector } from './detector';
import { fitEnergy } from './energy/energy-detector';
import { isOodError, type OodErrorCode } from './errors';
import { fitKnn } from './knn/fit-knn';
import { loadDetector } from './load-detector';
import { fitMaxLogit } from './logit-scores/max-logit';
import { fitMsp } from './logit-scores/msp';
import { fitMahalanobis } from './mahalanobis/fit-mahalanobis';
import { fitRelativeMahalanobis } from './relative-mahalanobis/fit-relative-mahalanobis';

interface Golden {
  train: number[][];
  labels: number[];
  queries: number[][];
  logits: number[][];
}
const golden = JSON.parse(
  readFileSync(new URL('../../../tests/fixtures/golden/detectors.json', import.meta.url), 'utf8'),
) as Golden;
const features = matrixFromRows(golden.train);
const queries = matrixFromRows(golden.queries);
const logits = matrixFromRows(golden.logits);
const { labels } = golden;

const fitters: [string, () => Promise<OodDetector>][] = [
  ['mahalanobis (ledoit-wolf)', () => fitMahalanobis({ features, labels })],
  [
    'mahalanobis (none, jittered)',
    () =>
      fitMahalanobis(
        { features: matrixFromRows(golden.train.map((r) => [...r, r[0]!, r[1]!])), labels },
        { shrinkage: 'none', normalize: false },
      ),
  ],
  [
    'relative-mahalanobis',
    () => fitRelativeMahalanobis({ features, labels }, { shrinkage: { ridge: 0.01 } }),
  ],
  ['energy', () => fitEnergy({ logits }, { temperature: 2.5 })],
  ['msp', () => fitMsp({ logits })],
  ['max-logit', () => fitMaxLogit({ logits })],
  ['knn', () => fitKnn({ features }, { k: 4, sampleRatio: 0.5, seed: 3 })],
];

function inputFor(detector: OodDetector, extraColumns: number) {
  if (detector.needs === 'logits') return { logits };
  return {
    features:
      extraColumns === 0
        ? queries
        : matrixFromRows(golden.queries.map((r) => [...r, r[0]!, r[1]!])),
  };
}

function expectOodError(run: () => unknown, code: OodErrorCode, message: RegExp): void {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  expect(isOodError(error, code)).toBe(true);
  expect(String(error)).toMatch(message);
}

describe('loadDetector round trip', () => {
  for (const [name, fit] of fitters) {
    it(`${name}: toJSON → JSON.stringify → JSON.parse → loadDetector scores identically`, async () => {
      const detector = await fit();
      const extra = name.includes('jittered') ? 2 : 0;
      const state: unknown = JSON.parse(JSON.stringify(detector.toJSON()));
      const loaded = loadDetector(state);
      expect(loaded.kind).toBe(detector.kind);
      expect(loaded.needs).toBe(detector.needs);
      expect(await loaded.score(inputFor(loaded, extra))).toEqual(
        await detector.score(inputFor(detector, extra)),
      );
      expect(loaded.toJSON()).toEqual(detector.toJSON());
    });
  }
});

describe('loadDetector rejects bad states', () => {
  it('a wrong version is VERSION_MISMATCH naming both versions', async () => {
    const state = { ...(await fitMahalanobis({ features, labels })).toJSON(), version: 2 };
    expectOodError(
      () => loadDetector(state),
      'VERSION_MISMATCH',
      /mahalanobis state version 2 .*version 1/,
    );
    expectOodError(
      () => loadDetector({ kind: 'msp', numClasses: 3 }),
      'VERSION_MISMATCH',
      /msp state version undefined/,
    );
  });

  it('an unknown kind or a non-object is INVALID_STATE', () => {
    expectOodError(
      () => loadDetector({ kind: 'odin', version: 1 }),
      'INVALID_STATE',
      /unknown kind "odin"/,
    );
    expectOodError(() => loadDetector(null), 'INVALID_STATE', /must be an object/);
    expectOodError(() => loadDetector([1, 2]), 'INVALID_STATE', /must be an object/);
  });

  it('truncated or corrupted arrays are INVALID_STATE naming the field and the sizes', async () => {
    const md = (await fitMahalanobis({ features, labels })).toJSON();
    expectOodError(
      () => loadDetector({ ...md, whitening: md.whitening.slice(0, -1) }),
      'INVALID_STATE',
      /whitening must have 25 numbers \(got 24\)/,
    );
    expectOodError(
      () => loadDetector({ ...md, means: md.means.slice(0, 10) }),
      'INVALID_STATE',
      /means must have 15 numbers \(got 10\)/,
    );
    expectOodError(() => loadDetector({ ...md, dim: 4 }), 'INVALID_STATE', /must have 12 numbers/);
    expectOodError(
      () => loadDetector({ ...md, means: [...md.means.slice(0, -1), null] }),
      'INVALID_STATE',
      /means\[14\] must be a finite number \(got null\)/,
    );
    expectOodError(
      () => loadDetector({ ...md, shrinkage: { method: 'oas' } }),
      'INVALID_STATE',
      /shrinkage: method must be/,
    );
    expectOodError(
      () => loadDetector({ ...md, normalize: 'yes' }),
      'INVALID_STATE',
      /normalize must be a boolean/,
    );
    const rmd = (await fitRelativeMahalanobis({ features, labels })).toJSON();
    const background = { ...rmd.background, means: [] };
    expectOodError(
      () => loadDetector({ ...rmd, background }),
      'INVALID_STATE',
      /background: means must have 5 numbers \(got 0\)/,
    );
    const knn = (await fitKnn({ features }, { k: 4 })).toJSON();
    expectOodError(
      () => loadDetector({ ...knn, bank: knn.bank.slice(0, 100) }),
      'INVALID_STATE',
      /bank must have 300 numbers \(got 100\)/,
    );
    expectOodError(
      () => loadDetector({ ...knn, k: 61 }),
      'INVALID_STATE',
      /k \(61\) exceeds bankSize \(60\)/,
    );
    expectOodError(
      () => loadDetector({ kind: 'energy', version: 1, temperature: 0, numClasses: 3 }),
      'INVALID_STATE',
      /temperature must be a number > 0/,
    );
  });
});

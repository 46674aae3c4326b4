import { readFileSync } from 'node:fs';

import { jsGemm, matrixFromRows, type Gemm } from '@gradeshift/core/math';
import { describe, expect, it } from 'vitest';

import { loadBundleDetectors } from './bundle-detectors';
import { isOodError } from './errors';
import { fitKnn } from './knn/fit-knn';
import { loadDetector } from './load-detector';
import { fitMahalanobis } from './mahalanobis/fit-mahalanobis';

const golden = JSON.parse(
  readFileSync(new URL('../../../tests/fixtures/golden/detectors.json', import.meta.url), 'utf8'),
) as { train: number[][]; labels: number[]; queries: number[][]; logits: number[][] };
const features = matrixFromRows(golden.train);
const queries = matrixFromRows(golden.queries);
const logits = matrixFromRows(golden.logits);

async function manifestOod() {
  const knn = (await fitKnn({ features }, { k: 4, sampleRatio: 0.5, seed: 3 })).toJSON();
  const maha = (await fitMahalanobis({ features, labels: golden.labels })).toJSON();
  return {
    knn: { source: { kind: 'detector', state: knn } },
    mahalanobis: { source: { kind: 'detector', state: maha } },
    energy: { source: { kind: 'graph', output: 'ood_energy' } },
    fused: { source: { kind: 'fused', of: ['knn', 'energy'] } },
  };
}

describe('loadBundleDetectors', () => {
  it('restores every detector-state score, skips graph and fused ones, and scores as loadDetector does', async () => {
    const ood = await manifestOod();
    const detectors = loadBundleDetectors(ood);
    expect(Object.keys(detectors).sort()).toEqual(['knn', 'mahalanobis']);
    for (const name of ['knn', 'mahalanobis'] as const) {
      const direct = await loadDetector(ood[name].source.state).score({
        features: queries,
        logits,
      });
      expect(await detectors[name]!.score({ features: queries, logits })).toEqual(direct);
    }
  });

  it('keeps only the named scores', async () => {
    expect(
      Object.keys(loadBundleDetectors(await manifestOod(), { names: ['knn', 'energy'] })),
    ).toEqual(['knn']);
  });

  it('passes its compute options to every score call', async () => {
    let calls = 0;
    const counting: Gemm = {
      name: 'counting',
      gemm: (a, b, options) => {
        calls++;
        return jsGemm.gemm(a, b, options);
      },
    };
    const detectors = loadBundleDetectors(await manifestOod(), {
      names: ['knn'],
      computeOptions: { gemm: counting },
    });
    await detectors['knn']!.score({ features: queries });
    expect(calls).toBeGreaterThan(0);
  });

  it('names the score whose state does not load', async () => {
    const ood = await manifestOod();
    const broken = {
      ...ood,
      knn: { source: { kind: 'detector', state: { kind: 'knn', version: 1 } } },
    };
    let caught: unknown;
    try {
      loadBundleDetectors(broken);
    } catch (error) {
      caught = error;
    }
    expect(isOodError(caught)).toBe(true);
    expect((caught as Error).message).toMatch(/^ood\.knn\.source\.state does not load \(/);
  });
});

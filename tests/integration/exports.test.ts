/**
 * Runtime gate (conventions §4.3): every public subpath imports cleanly in Node, resolves through the package
 * `exports` maps, and exposes its main names. The web entry is imported too: it must load in Node without
 * pulling in onnxruntime-web, since it has no import-time side effects.
 */
import { createRequire } from 'node:module';

import { describe, expect, it } from 'vitest';

/** Subpath → names that must be exported as functions (or classes / frozen objects where noted). */
const MAIN_NAMES: Readonly<Record<string, readonly string[]>> = {
  '@gradeshift/core': [
    'CoreError',
    'isCoreError',
    'expectedGrades',
    'predictedGrades',
    'rankByExpectedGrade',
    'softmaxCrossEntropy',
    'runBatched',
    'createTensor',
    'encodeOnnxModel',
    'onnxNode',
    'onnxTensor',
    'createSubwordTokenizer',
    'createTextEncoder',
  ],
  '@gradeshift/core/math': [
    'gemmSync',
    'jsGemm',
    'softmax',
    'logSumExp',
    'cholesky',
    'covariance',
    'createRng',
    'argsort',
    'assertMatrix',
  ],
  '@gradeshift/core/node': [
    'createNodeBackend',
    'loadModelFile',
    'loadTokenizerFile',
    'tokenizerFromJson',
    'createOrtGemm',
    'terminateOutsideNative',
    'resolveExecutionProviders',
    'runBatched',
    'createTensor',
    'encodeOnnxModel',
  ],
  '@gradeshift/core/web': [
    'createWebBackend',
    'createRunQueue',
    'tokenizerFromJson',
    'createTextEncoder',
    'createCrossEncoder',
    'runBatched',
    'createTensor',
    'encodeOnnxModel',
  ],
  '@gradeshift/core/testing': ['randomScorerParams', 'smallVocabulary', 'createSmallBundle'],
  '@gradeshift/ood': [
    'OodError',
    'isOodError',
    'fitMahalanobis',
    'createMahalanobisDetector',
    'fitEnergy',
    'fitKnn',
    'loadDetector',
    'evaluateOod',
    'thresholdAtTpr',
  ],
};

function loadedRuntimes(): string[] {
  const cache =
    (createRequire(import.meta.url)('node:module') as { _cache?: Record<string, unknown> })
      ._cache ?? {};
  return Object.keys(cache).filter((path) => /onnxruntime-(node|web)/.test(path));
}

describe('public entry points', () => {
  it.each(Object.entries(MAIN_NAMES))(
    '%s imports cleanly and exposes its main names',
    async (specifier, names) => {
      const mod = (await import(specifier)) as Record<string, unknown>;
      const missing = names.filter(
        (name) => typeof mod[name] !== 'function' && typeof mod[name] !== 'object',
      );
      expect(missing, `${specifier} is missing exports`).toEqual([]);
      const undefinedExports = Object.entries(mod)
        .filter(([, value]) => value === undefined)
        .map(([key]) => key);
      expect(undefinedExports, `${specifier} has undefined exports`).toEqual([]);
    },
  );

  it('loads no ONNX runtime until a backend is used', async () => {
    await Promise.all(Object.keys(MAIN_NAMES).map((specifier) => import(specifier)));
    expect(loadedRuntimes()).toEqual([]);
  });

  it('keeps the platform entries apart from the neutral root', async () => {
    const root = (await import('@gradeshift/core')) as Record<string, unknown>;
    for (const name of ['createNodeBackend', 'createOrtGemm', 'loadModelFile', 'createWebBackend'])
      expect(root).not.toHaveProperty(name);
    const web = (await import('@gradeshift/core/web')) as Record<string, unknown>;
    expect(web).not.toHaveProperty('createNodeBackend');
    // Shared helpers are the same objects whichever entry they come through.
    const node = (await import('@gradeshift/core/node')) as Record<string, unknown>;
    expect(node['runBatched']).toBe(web['runBatched']);
  });
});

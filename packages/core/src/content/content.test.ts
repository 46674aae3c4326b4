/**
 * The content space: the surprisal table from ID-train document frequencies (hand-worked), the TypeScript
 * reference on hand-built pairs, and the exported graph's `content`, `ood_surprisal` and
 * `ood_content_mahalanobis` outputs in onnxruntime-node against that reference.
 */
import { afterAll, describe, expect, it } from 'vitest';

import { SCORER_ONNX_INPUTS } from '../bundle/onnx-names';
import { scorerBatchFeeds } from '../bundle/batch-feeds';
import { exportScorerOnnx } from '../bundle/export-scorer-onnx';
import {
  SMALL_BUNDLE_CONFIG,
  smallMahalanobis,
  smallParams,
  smallVocabulary,
} from '../bundle/test-fixtures';
import { buildTermStatistics } from '../features/term-statistics';
import { createRng } from '../math/prng';
import { createNodeBackend } from '../node/create-node-backend';
import { createPairFeaturizer } from '../scorer/featurize-pairs';
import { CONTENT_ONNX_OUTPUTS } from './content-graph';
import { computeContentFeatures, contentDim } from './content-features';
import { buildSurprisalTable, tokenSurprisal } from './surprisal-table';

const backend = createNodeBackend({ intraOpNumThreads: 1 });
const sessions: { dispose(): Promise<void> }[] = [];
afterAll(async () => {
  for (const s of sessions) await s.dispose();
});

// Four ID-train texts: "steel" in 3, "angle" in 2, "bracket" in 1; every other word unseen.
const STATISTICS = buildTermStatistics([
  ['steel', 'angle'],
  ['steel', 'angle', 'bracket'],
  ['steel'],
  ['paint'],
]);

const PAIRS = [
  { query: 'angle bracket', item: 'steel angle bracket' },
  { query: 'rain shower head', item: 'white rain shower head 8 inch chrome with valve kit' },
  { query: 'brakcet', item: 'galvanized bracket' },
  { query: '', item: 'steel angle' },
  { query: 'deck paint', item: '' },
  { query: '--', item: '??' },
];

describe('buildSurprisalTable', () => {
  it('is ln((N + 1)/(df + 1)) per word, the unseen value for unknown rows and buckets, 0 for padding', () => {
    const vocabulary = smallVocabulary();
    const table = buildSurprisalTable({ vocabulary, statistics: STATISTICS });
    expect(table.length).toBe(vocabulary.embeddingRows);
    // Hand-worked: N = 4 documents.
    expect(table[vocabulary.idOf('steel')]).toBeCloseTo(Math.log(5 / 4), 6);
    expect(table[vocabulary.idOf('angle')]).toBeCloseTo(Math.log(5 / 3), 6);
    expect(table[vocabulary.idOf('bracket')]).toBeCloseTo(Math.log(5 / 2), 6);
    expect(table[vocabulary.idOf('white')]).toBeCloseTo(Math.log(5), 6);
    expect(table[1]).toBeCloseTo(Math.log(5), 6);
    expect(table[vocabulary.size + 7]).toBeCloseTo(Math.log(5), 6);
    expect(table[0]).toBe(0);
    expect(tokenSurprisal(0, 99)).toBeCloseTo(Math.log(100), 12);
  });

  it('refuses statistics without documents', () => {
    expect(() =>
      buildSurprisalTable({ vocabulary: smallVocabulary(), statistics: buildTermStatistics([]) }),
    ).toThrow(/documents must be > 0/);
  });
});

describe('computeContentFeatures', () => {
  const vocabulary = smallVocabulary();
  const params = smallParams(5, vocabulary);
  const surprisal = buildSurprisalTable({ vocabulary, statistics: STATISTICS });
  const featurizer = createPairFeaturizer({ vocabulary, config: SMALL_BUNDLE_CONFIG });
  const model = { config: SMALL_BUNDLE_CONFIG, embeddings: params.embeddings, surprisal };

  it('pools unit directions and the mean item surprisal (hand-worked pair)', () => {
    const { content, surprisal: s } = computeContentFeatures(
      featurizer.featurize([{ query: 'steel', item: 'angle bracket' }]),
      model,
    );
    const d = SMALL_BUNDLE_CONFIG.embeddingDim;
    expect(content.cols).toBe(contentDim(SMALL_BUNDLE_CONFIG));
    const row = (id: number) => Array.from(params.embeddings.data.subarray(id * d, (id + 1) * d));
    const unit = (v: number[]) => {
      const n = Math.sqrt(v.reduce((a, x) => a + x * x, 0));
      return v.map((x) => x / (n + 1e-8));
    };
    const steel = row(vocabulary.idOf('steel'));
    const mean = row(vocabulary.idOf('angle')).map(
      (x, j) => (x + (row(vocabulary.idOf('bracket'))[j] ?? 0)) / 2,
    );
    expect(Array.from(content.data.subarray(0, d))).toBeDeepCloseTo(unit(steel), { abs: 1e-6 });
    expect(Array.from(content.data.subarray(d, 2 * d))).toBeDeepCloseTo(unit(mean), { abs: 1e-6 });
    expect(s[0]).toBeCloseTo((Math.log(5 / 3) + Math.log(5 / 2)) / 2, 6);
  });

  it('gives an empty side a zero direction and zero surprisal; unknown words the unseen value', () => {
    const { content, surprisal: s } = computeContentFeatures(
      featurizer.featurize([
        { query: 'deck', item: '' },
        { query: 'x', item: 'galvanized zinc' },
      ]),
      model,
    );
    const d = SMALL_BUNDLE_CONFIG.embeddingDim;
    expect(Array.from(content.data.subarray(d, 2 * d))).toEqual(new Array<number>(d).fill(0));
    expect(s[0]).toBe(0);
    expect(s[1]).toBeCloseTo(Math.log(5), 6);
  });
});

describe('content outputs of the exported graph in onnxruntime-node', () => {
  it.each([1, 2, 3])(
    'match computeContentFeatures and the Mahalanobis formula (seed %i)',
    async (seed) => {
      const vocabulary = smallVocabulary();
      const params = smallParams(seed, vocabulary);
      const surprisal = buildSurprisalTable({ vocabulary, statistics: STATISTICS });
      const width = contentDim(SMALL_BUNDLE_CONFIG);
      const base = smallMahalanobis(seed + 20, true);
      const rng = createRng(seed);
      const mahalanobis = {
        dim: width,
        numClasses: 1,
        normalize: seed !== 2,
        means: Float64Array.from({ length: width }, () => 0.2 * rng.normal()),
        whitening: Float64Array.from({ length: width * width }, (_, i) =>
          i % (width + 1) === 0 ? 1 + (base.whitening[0] ?? 0) * 0.1 : 0.05 * rng.normal(),
        ),
      };
      const session = await backend.createSession(
        exportScorerOnnx({ params, content: { surprisal, mahalanobis } }),
      );
      sessions.push(session);
      // Every content output but the KNN score, which needs a KNN state (tested in the pipeline's knn-graph-parity),
      // and the pair surprisal, which needs a pair weight table (pair-surprisal.test.ts).
      const { knn, pairSurprisal, ...asked } = CONTENT_ONNX_OUTPUTS;
      expect(session.outputNames).toEqual(expect.arrayContaining(Object.values(asked)));
      expect(session.outputNames).not.toContain(knn);
      expect(session.outputNames).not.toContain(pairSurprisal);
      const batch = createPairFeaturizer({ vocabulary, config: SMALL_BUNDLE_CONFIG }).featurize(
        PAIRS,
      );
      const out = await session.run(
        scorerBatchFeeds(batch, { config: SMALL_BUNDLE_CONFIG, inputs: SCORER_ONNX_INPUTS }),
      );
      const ref = computeContentFeatures(batch, {
        config: SMALL_BUNDLE_CONFIG,
        embeddings: params.embeddings,
        surprisal,
      });
      const tol = { abs: 1e-5, rel: 1e-5 };
      expect(Array.from(out[CONTENT_ONNX_OUTPUTS.content]?.data as Float32Array)).toBeDeepCloseTo(
        Array.from(ref.content.data),
        tol,
      );
      expect(Array.from(out[CONTENT_ONNX_OUTPUTS.surprisal]?.data as Float32Array)).toBeDeepCloseTo(
        Array.from(ref.surprisal),
        tol,
      );
      const expected = PAIRS.map((_, i) => {
        const x = Array.from(ref.content.data.subarray(i * width, (i + 1) * width));
        const n = Math.sqrt(x.reduce((a, v) => a + v * v, 0));
        const h = mahalanobis.normalize ? x.map((v) => v / (n + 1e-10)) : x;
        let dist = 0;
        for (let r = 0; r < width; r++) {
          let z = 0;
          for (let j = 0; j < width; j++)
            z +=
              (mahalanobis.whitening[r * width + j] ?? 0) *
              ((h[j] ?? 0) - (mahalanobis.means[j] ?? 0));
          dist += z * z;
        }
        return dist;
      });
      expect(
        Array.from(out[CONTENT_ONNX_OUTPUTS.mahalanobis]?.data as Float32Array),
      ).toBeDeepCloseTo(expected, { abs: 1e-4, rel: 1e-4 });
    },
  );

  it('refuses a surprisal table of the wrong length', () => {
    const vocabulary = smallVocabulary();
    const params = smallParams(1, vocabulary);
    expect(() => exportScorerOnnx({ params, content: { surprisal: new Float32Array(3) } })).toThrow(
      /one value per embedding row/,
    );
  });
});

/**
 * The pair surprisal (`ood_pair_surprisal`): the pair weight table (number and unit words out), the TypeScript
 * reference on a hand-worked pair, and the exported graph's output in onnxruntime-node against the reference.
 */
import { afterAll, describe, expect, it } from 'vitest';

import { scorerBatchFeeds } from '../bundle/batch-feeds';
import { exportScorerOnnx } from '../bundle/export-scorer-onnx';
import { SCORER_ONNX_INPUTS } from '../bundle/onnx-names';
import { SMALL_BUNDLE_CONFIG, smallParams } from '../bundle/test-fixtures';
import { buildTermStatistics } from '../features/term-statistics';
import { createVocabulary } from '../features/vocabulary';
import { createNodeBackend } from '../node/create-node-backend';
import { createPairFeaturizer } from '../scorer/featurize-pairs';
import { CONTENT_ONNX_OUTPUTS } from './content-graph';
import { computeContentFeatures } from './content-features';
import { buildPairWeightTable, buildSurprisalTable } from './surprisal-table';

const backend = createNodeBackend({ intraOpNumThreads: 1 });
const sessions: { dispose(): Promise<void> }[] = [];
afterAll(async () => {
  for (const s of sessions) await s.dispose();
});

const vocabulary = createVocabulary({
  tokens: [
    '<pad>',
    '<unk>',
    'angle',
    'bracket',
    'steel',
    'shower',
    'head',
    'inch',
    '8',
    '3/4',
    '2.5',
  ],
  subwords: { buckets: 32, minN: 3, maxN: 5 },
});
// Four ID-train texts: N = 4; "steel" in 3, "angle" in 2, "bracket" in 1, "8" and "inch" in 1; others unseen.
const STATISTICS = buildTermStatistics([
  ['steel', 'angle'],
  ['steel', 'angle', 'bracket'],
  ['steel', '8', 'inch'],
  ['paint'],
]);
const surprisal = buildSurprisalTable({ vocabulary, statistics: STATISTICS });
const pairWeights = buildPairWeightTable(vocabulary);
const featurizer = createPairFeaturizer({ vocabulary, config: SMALL_BUNDLE_CONFIG });

const PAIRS = [
  { query: 'steel bracket', item: 'angle bracket 8 inch' },
  { query: '12', item: '8 inch' },
  { query: 'galvanized bracket', item: '' },
  { query: '', item: '' },
  {
    query: 'rain shower head 3/4 in.',
    item: 'white rain shower head 2.5 gpm chrome with valve kit',
  },
  { query: 'brakcet', item: 'steel angle 3/4 inch x 8 ft' },
];

describe('buildPairWeightTable', () => {
  it('is 0 for padding, number tokens and unit words, 1 for other words, <unk> and sub-word buckets', () => {
    expect(pairWeights.length).toBe(vocabulary.embeddingRows);
    for (const t of ['8', '3/4', '2.5', 'inch']) expect(pairWeights[vocabulary.idOf(t)]).toBe(0);
    for (const t of ['angle', 'bracket', 'steel', 'shower', 'head'])
      expect(pairWeights[vocabulary.idOf(t)]).toBe(1);
    expect(pairWeights[0]).toBe(0);
    expect(pairWeights[1]).toBe(1);
    expect(pairWeights[vocabulary.size + 5]).toBe(1);
  });
});

describe('computeContentFeatures: pair surprisal', () => {
  const params = smallParams(3, vocabulary);
  const model = { config: SMALL_BUNDLE_CONFIG, embeddings: params.embeddings, surprisal };

  it("is the mean surprisal of both sides' topic words (hand-worked)", () => {
    const out = computeContentFeatures(featurizer.featurize(PAIRS.slice(0, 4)), {
      ...model,
      pairWeights,
    });
    const s = out.pairSurprisal ?? new Float64Array(0);
    const [steel, angle, bracket, unseen] = [5 / 4, 5 / 3, 5 / 2, 5].map(Math.log) as [
      number,
      number,
      number,
      number,
    ];
    // steel, bracket | angle, bracket (8 and inch left out): four topic words.
    expect(s[0]).toBeCloseTo((steel + bracket + angle + bracket) / 4, 6);
    // The item surprisal keeps 8 and inch (df 1 each: ln(5/2)).
    expect(out.surprisal[0]).toBeCloseTo((angle + bracket + 2 * Math.log(5 / 2)) / 4, 6);
    // Only numbers and units ("12" is an unknown word: a sub-word bucket, which keeps weight 1 and the unseen value).
    expect(s[1]).toBeCloseTo(unseen, 6);
    // An unknown word, a known word, an empty item.
    expect(s[2]).toBeCloseTo((unseen + bracket) / 2, 6);
    expect(s[3]).toBe(0);
  });

  it('is absent without a weight table and refuses one of the wrong length', () => {
    const batch = featurizer.featurize(PAIRS);
    expect(computeContentFeatures(batch, model).pairSurprisal).toBeUndefined();
    expect(() =>
      computeContentFeatures(batch, { ...model, pairWeights: new Float32Array(3) }),
    ).toThrow(/pairWeights must have one value per embedding row/);
  });
});

describe('ood_pair_surprisal in onnxruntime-node', () => {
  it.each([1, 2, 3])('matches computeContentFeatures (seed %i)', async (seed) => {
    const params = smallParams(seed, vocabulary);
    const session = await backend.createSession(
      exportScorerOnnx({ params, content: { surprisal, pairWeights } }),
    );
    sessions.push(session);
    const batch = featurizer.featurize(PAIRS);
    const out = await session.run(
      scorerBatchFeeds(batch, { config: SMALL_BUNDLE_CONFIG, inputs: SCORER_ONNX_INPUTS }),
    );
    const ref = computeContentFeatures(batch, {
      config: SMALL_BUNDLE_CONFIG,
      embeddings: params.embeddings,
      surprisal,
      pairWeights,
    });
    const tol = { abs: 1e-5, rel: 1e-5 };
    expect(
      Array.from(out[CONTENT_ONNX_OUTPUTS.pairSurprisal]?.data as Float32Array),
    ).toBeDeepCloseTo(Array.from(ref.pairSurprisal ?? []), tol);
    expect(Array.from(out[CONTENT_ONNX_OUTPUTS.surprisal]?.data as Float32Array)).toBeDeepCloseTo(
      Array.from(ref.surprisal),
      tol,
    );
  });

  it('has no pair output without a weight table, and refuses a table of the wrong length', async () => {
    const params = smallParams(1, vocabulary);
    const session = await backend.createSession(
      exportScorerOnnx({ params, content: { surprisal } }),
    );
    sessions.push(session);
    expect(session.outputNames).toContain(CONTENT_ONNX_OUTPUTS.surprisal);
    expect(session.outputNames).not.toContain(CONTENT_ONNX_OUTPUTS.pairSurprisal);
    expect(() =>
      exportScorerOnnx({ params, content: { surprisal, pairWeights: new Float32Array(3) } }),
    ).toThrow(/content.pairWeights must have one value per embedding row/);
  });
});

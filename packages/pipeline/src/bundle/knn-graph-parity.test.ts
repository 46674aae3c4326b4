/**
 * The KNN scores inside the exported graph (`ood_knn` on the feature output, `ood_content_knn` on the content rows;
 * onnxruntime-node, float32) against `@gradeshift/ood`'s KNN detector in float64 (itself checked against
 * `sklearn.neighbors.NearestNeighbors` in packages/ood/src/knn/fit-knn.test.ts): max |ONNX − detector| ≤ 1e-5,
 * including rows that are in the bank (distance to themselves 0, so the k-th neighbour is the (k − 1)-th other) and
 * rows that share a query (the content KNN takes the query half's bank product once per distinct query).
 */
import { afterAll, describe, expect, it } from 'vitest';

import {
  CONTENT_ONNX_OUTPUTS,
  computeContentFeatures,
  exportScorerOnnx,
  forwardScorer,
  SCORER_ONNX_INPUTS,
  SCORER_ONNX_OOD_OUTPUTS,
  scorerBatchFeeds,
  type InferenceSessionLike,
} from '@gradeshift/core';
import { createNodeBackend } from '@gradeshift/core/node';
import { fitKnn } from '@gradeshift/ood';

import { createParityCase, DEFAULT_SIZES, DEFAULT_TABLE_ROWS, maxAbsDiff } from './parity-cases';

const backend = createNodeBackend({ intraOpNumThreads: 1 });
const sessions: InferenceSessionLike[] = [];
afterAll(async () => {
  for (const s of sessions) await s.dispose();
});

async function knnDiffs(
  seed: number,
  options: { k: number; sampleRatio: number; large: boolean },
): Promise<{ knn: number; content: number; rows: number }> {
  const parity = await createParityCase(seed, {
    normalize: true,
    pairs: 120,
    ...(options.large ? { config: DEFAULT_SIZES, rows: DEFAULT_TABLE_ROWS } : {}),
  });
  const { params } = parity;
  // Rows 0, 3, 6, … share one query (as the items of one request do), so the content KNN's per-query product is
  // taken once for them and once for each other row.
  const { maxQueryTokens: lq, slots } = params.config;
  const width = lq * slots;
  const batch = {
    ...parity.batch,
    queryIds: parity.batch.queryIds.slice(),
    queryWeights: parity.batch.queryWeights.slice(),
  };
  for (let row = 3; row < batch.size; row += 3) {
    batch.queryIds.copyWithin(row * width, 0, width);
    batch.queryWeights.copyWithin(row * width, 0, width);
  }
  const { features } = await forwardScorer(params, batch);
  const surprisal = new Float32Array(params.embeddings.dims[0]).fill(1);
  const { content } = computeContentFeatures(batch, {
    config: params.config,
    embeddings: params.embeddings,
    surprisal,
  });
  // Banks drawn from the scored rows themselves: some rows find themselves at distance 0.
  const fit = { k: options.k, sampleRatio: options.sampleRatio, seed };
  const knn = await fitKnn({ features }, fit);
  const contentKnn = await fitKnn({ features: content }, fit);
  const session = await backend.createSession(
    exportScorerOnnx({
      params,
      knn: knn.toJSON(),
      content: { surprisal, knn: contentKnn.toJSON() },
    }),
  );
  sessions.push(session);
  const out = await session.run(
    scorerBatchFeeds(batch, { config: params.config, inputs: SCORER_ONNX_INPUTS }),
  );
  const graph = (name: string): Float32Array => {
    const data = out[name]?.data;
    if (!(data instanceof Float32Array)) throw new Error(`no float32 output ${name}`);
    return data;
  };
  return {
    knn: maxAbsDiff(graph(SCORER_ONNX_OOD_OUTPUTS.knn), await knn.score({ features })),
    content: maxAbsDiff(
      graph(CONTENT_ONNX_OUTPUTS.knn),
      await contentKnn.score({ features: content }),
    ),
    rows: batch.size,
  };
}

describe('KNN in the exported graph vs the @gradeshift/ood detector', () => {
  it.each([
    [31, 1, 1],
    [32, 3, 0.5],
    [33, 10, 0.9],
  ])('agrees within 1e-5 on a random small config (seed %i, k %i)', async (seed, k, ratio) => {
    const diffs = await knnDiffs(seed, { k, sampleRatio: ratio, large: false });
    expect(diffs.rows).toBe(120);
    expect(diffs.knn).toBeLessThanOrEqual(1e-5);
    expect(diffs.content).toBeLessThanOrEqual(1e-5);
  });

  it('agrees within 1e-5 at the default sizes (k 10)', async () => {
    const diffs = await knnDiffs(34, { k: 10, sampleRatio: 0.8, large: true });
    expect(diffs.knn).toBeLessThanOrEqual(1e-5);
    expect(diffs.content).toBeLessThanOrEqual(1e-5);
  }, 60_000);

  it('refuses a bank whose width is not the rows it reads', async () => {
    const parity = await createParityCase(35, { normalize: true });
    const { features } = await forwardScorer(parity.params, parity.batch);
    const state = (await fitKnn({ features }, { k: 2 })).toJSON();
    expect(() =>
      exportScorerOnnx({ params: parity.params, knn: { ...state, dim: state.dim + 1 } }),
    ).toThrow(/knn.dim must be the scorer's hidden2/);
    expect(() => exportScorerOnnx({ params: parity.params, knn: { ...state, k: 0 } })).toThrow(
      /knn.k must be an integer/,
    );
  });
});

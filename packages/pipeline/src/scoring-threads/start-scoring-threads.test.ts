import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createPairFeaturizer, forwardScorer } from '@gradeshift/core';
import { fitKnn } from '@gradeshift/ood';

import { calibrateOodScore } from '../bundle/calibrate-ood-score';
import { createSmallBundle, SMALL_CONFIG } from '../bundle/test-fixtures';
import { writeBundle } from '../bundle/write-bundle';
import type { ProgressEvent } from '../stages/progress';
import { scoreBundlePairs } from '../pipeline/score-bundle-pairs';
import { startScoringThreads } from './start-scoring-threads';

const QUERIES = ['angle bracket', 'deck paint', 'shower head', 'steel angle'];
const TITLES = [
  'Simpson steel angle bracket',
  'rain shower head 8 inch',
  'white deck paint',
  'deck over',
  'galvanized brakcet',
  '',
];
/** 48 pairs, queries interleaved so each chunk of 5 holds pairs of several queries. */
const PAIRS = TITLES.flatMap((item, t) =>
  [0, 1, 2, 3, 4, 5, 6, 7].map((j) => ({
    id: `${t}-${j}`,
    line: t * 8 + j + 2,
    query: QUERIES[(t + j) % QUERIES.length] ?? '',
    item: j < 4 ? item : `${item} ${j}`,
  })),
);

// Each test boots worker threads that load onnxruntime: seconds on a busy 2-core machine.
describe('scoring threads', { timeout: 30_000 }, () => {
  let root: string;
  let dir: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'gradeshift-threads-'));
    // The small bundle with the energy score in the graph and a KNN score outside it.
    const small = createSmallBundle(3);
    const featurizer = createPairFeaturizer({ vocabulary: small.vocabulary, config: SMALL_CONFIG });
    const { features } = await forwardScorer(
      small.params,
      featurizer.featurize(TITLES.map((item) => ({ query: 'angle bracket', item }))),
    );
    const knn = await fitKnn({ features }, { k: 2 });
    const knnScore = calibrateOodScore({
      source: { kind: 'detector', reads: 'features', state: { ...knn.toJSON() } },
      heldOutIdScores: await knn.score({ features }),
      settings: { k: 2 },
    });
    dir = writeBundle({
      dir: join(root, 'bundle'),
      model: small.model,
      manifest: { ...small.draft, ood: { ...small.draft.ood, knn: knnScore } },
    }).dir;
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('gives exactly the scores, ranks and progress events of the calling thread', async () => {
    const events: ProgressEvent[][] = [[], []];
    const single = await scoreBundlePairs(dir, PAIRS, {
      threads: 0,
      progressEvery: 5,
      progress: (e) => events[0]?.push(e),
    });
    const threaded = await scoreBundlePairs(dir, PAIRS, {
      threads: 2,
      progressEvery: 5,
      progress: (e) => events[1]?.push(e),
    });
    expect(threaded).toEqual(single);
    expect([...threaded.ood.keys()]).toEqual(['energy', 'knn']);
    // One event per chunk of 5 (the last of 3), in input order however the threads finish.
    expect(events[1]).toEqual(events[0]);
    expect(events[1]?.map((e) => e.done)).toEqual([5, 10, 15, 20, 25, 30, 35, 40, 45, 48]);
  });

  it('uses started threads as they are, again and again', async () => {
    const single = await scoreBundlePairs(dir, PAIRS, { threads: 0, progressEvery: 7 });
    const pool = await startScoringThreads({ dir, threads: 2 });
    try {
      expect(pool.manifest.grades.map((g) => g.name)).toEqual(single.grades);
      for (let pass = 0; pass < 2; pass++)
        expect(await scoreBundlePairs(pool, PAIRS, { progressEvery: 7 })).toEqual(single);
    } finally {
      await pool.close();
    }
    await expect(pool.scoreBatch(0, PAIRS.slice(0, 1))).rejects.toThrow(
      'the scoring threads were closed',
    );
  });

  it('names the thread and the pairs when a thread fails on a chunk, and ends the threads', async () => {
    const bad = PAIRS.map((p, i) => (i === 12 ? { ...p, item: 7 as unknown as string } : p));
    const pool = await startScoringThreads({ dir, threads: 2 });
    try {
      // Chunks of 5: pair 12 is the third pair of chunk 2, which goes to thread 0.
      await expect(scoreBundlePairs(pool, bad, { progressEvery: 5 })).rejects.toThrow(
        'scoring thread 0: pairs[2].item must be a string (got number) (pairs 10–14 of the input, counted from 0)',
      );
    } finally {
      await pool.close();
    }
    await expect(scoreBundlePairs(dir, bad, { threads: 2, progressEvery: 5 })).rejects.toThrow(
      /^scoring thread 0: pairs\[2\]\.item must be a string/,
    );
  });

  it('reports a bundle that does not load as the BundleError of the calling thread, another failure naming the thread', async () => {
    await expect(
      startScoringThreads({ dir: join(root, 'missing'), threads: 2 }),
    ).rejects.toMatchObject({ name: 'BundleError', code: 'NOT_FOUND' });
    // Any other load failure names the thread and the folder, and keeps its name.
    await expect(startScoringThreads({ dir, threads: 2, batchSize: 0 })).rejects.toMatchObject({
      name: 'RangeError',
      message: `scoring thread 0 could not load ${dir}: options.batchSize must be a positive integer (got 0)`,
    });
    await expect(startScoringThreads({ dir, threads: 0 })).rejects.toThrow(
      'threads must be a positive integer (got 0)',
    );
  });
});

/**
 * @file A scoring thread of {@link startScoringThreads}: loads the bundle of its `workerData` with every check
 * (`loadBundleScorer`), onnxruntime on one core without spinning, and scores the chunks it is sent, one at a time.
 * Its own featuriser memo keeps the texts of the chunks it has scored.
 */
import { parentPort, workerData } from 'node:worker_threads';

import { createNodeBackend, createOrtGemm } from '@gradeshift/core/node';

import { loadBundleScorer, type LoadedBundleScorer } from '../bundle/load-bundle-scorer';
import {
  toThreadError,
  transferList,
  type ThreadReply,
  type ThreadRequest,
  type ThreadSetup,
} from './thread-messages';

const port = parentPort;
if (port === null) throw new Error('scoring-thread.ts runs only as a worker thread');
const setup = workerData as ThreadSetup;
const reply = (message: ThreadReply, transfer: ArrayBuffer[] = []) =>
  port.postMessage(message, transfer);

async function load(): Promise<LoadedBundleScorer> {
  const backendOptions = { intraOpNumThreads: setup.ortThreads, allowSpinning: false };
  // The outside detectors' products (KNN bank) run in onnxruntime, as on the calling thread.
  const gemm = createOrtGemm({ dtype: 'float32', backendOptions });
  return loadBundleScorer(setup.dir, {
    backend: createNodeBackend(backendOptions),
    computeOptions: { gemm },
    ...(setup.batchSize === undefined ? {} : { batchSize: setup.batchSize }),
    ...(setup.oodScores === undefined ? {} : { oodScores: setup.oodScores }),
  });
}

try {
  const loaded = await load();
  const { manifest } = loaded.scorer;
  const scorer = loaded.scorer;
  port.on('message', (request: ThreadRequest | 'close') => {
    if (request === 'close') {
      // Release the session, then let the thread end by itself.
      void loaded.dispose().finally(() => port.close());
      return;
    }
    // Chunks are scored in arrival order: the next starts when this one has answered.
    const pairs = request.queries.map((query, i) => ({ query, item: request.items[i] ?? '' }));
    scorer.scoreBatch(pairs).then(
      (scores) => reply({ type: 'scores', id: request.id, scores }, transferList(scores)),
      (error: unknown) => reply({ type: 'failed', id: request.id, error: toThreadError(error) }),
    );
  });
  reply({
    type: 'ready',
    sha256: manifest.model.sha256,
    ...(setup.sendManifest ? { manifest } : {}),
  });
} catch (error) {
  reply({ type: 'load-failed', error: toThreadError(error) });
}

/**
 * Browser side of tests/e2e/web-inference.spec.ts: loads `@gradeshift/core/web`, runs the tiny model with
 * onnxruntime-web (WASM) three ways (one run, concurrent per-row runs through the session's queue, and
 * runBatched), renders the result for the screenshot and publishes it on `window.harnessResult`.
 */
import { createTensor, createWebBackend, runBatched, type TensorLike } from '@gradeshift/core/web';

import { buildTinyModel, TINY, TINY_ROWS as ROWS, tinyFeatures } from './tiny-model';

/** What the page reports back to the test. */
export interface HarnessResult {
  ok: boolean;
  error?: string;
  backend?: string;
  logits?: number[];
  probs?: number[];
  concurrentProbs?: number[];
  batchedProbs?: number[];
}

declare global {
  interface Window {
    harnessResult?: HarnessResult;
  }
}

function floats(tensor: TensorLike | undefined): number[] {
  if (tensor === undefined) throw new Error('missing output');
  return Array.from(tensor.data as Float32Array);
}

async function main(): Promise<HarnessResult> {
  const params = new URLSearchParams(location.search);
  const backend = createWebBackend({
    wasmPaths: `${location.origin}/ort/`,
    numThreads: Number(params.get('threads') ?? '1'),
  });
  const session = await backend.createSession(buildTinyModel());
  const x = tinyFeatures(ROWS);
  const { d } = TINY;
  const single = await session.run({ features: createTensor('float32', x, [ROWS, d]) });
  // Overlapping runs on one session, as a UI issuing a run per keystroke produces. The WASM build tolerates them
  // today; WebGPU/async builds reject them ("Session already started"), which the session's run queue prevents.
  const perRow = await Promise.all(
    Array.from({ length: ROWS }, (_, i) =>
      session.run({ features: createTensor('float32', x.slice(i * d, (i + 1) * d), [1, d]) }, [
        'probs',
      ]),
    ),
  );
  const batched = await runBatched(
    session,
    { features: createTensor('float32', x, [ROWS, d]) },
    { batchSize: 3, outputNames: ['probs'] },
  );
  await session.dispose();
  return {
    ok: true,
    backend: backend.name,
    logits: floats(single['logits']),
    probs: floats(single['probs']),
    concurrentProbs: perRow.flatMap((out) => floats(out['probs'])),
    batchedProbs: floats(batched['probs']),
  };
}

function render(result: HarnessResult): void {
  const pre = document.createElement('pre');
  pre.id = 'result';
  const probs = result.probs ?? [];
  const rows = Array.from({ length: probs.length / TINY.k }, (_, i) =>
    probs
      .slice(i * TINY.k, (i + 1) * TINY.k)
      .map((p) => p.toFixed(5))
      .join('  '),
  );
  pre.textContent = result.ok
    ? [`${result.backend ?? ''}: probs (${ROWS} × ${TINY.k})`, ...rows].join('\n')
    : `error: ${result.error ?? ''}`;
  document.body.append(pre);
}

main()
  .catch((error: unknown): HarnessResult => ({
    ok: false,
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  }))
  .then((result) => {
    render(result);
    window.harnessResult = result;
  })
  .catch(() => undefined);

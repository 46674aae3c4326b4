// Child process of native-guard.test.ts: starts the worker and terminates it mid-run, ROUNDS times, either plainly
// (`worker.terminate()`) or through the guard; prints "survived" when the process is still alive at the end.
import { Worker } from 'node:worker_threads';

import { register } from 'tsx/esm/api';

register();
const { createNativeGuard, terminateOutsideNative } = await import('../native-guard.ts');
const mode = process.argv[2];
const rounds = Number(process.argv[3] ?? 20);
for (let i = 0; i < rounds; i++) {
  const guard = mode === 'guarded' ? createNativeGuard() : undefined;
  const worker = new Worker(new URL('./native-guard-worker.mjs', import.meta.url), {
    workerData: { guard },
  });
  await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
  if (mode === 'guarded') await terminateOutsideNative(worker, guard);
  else await worker.terminate();
}
process.stdout.write('survived\n');

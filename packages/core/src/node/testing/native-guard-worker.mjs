// Worker of native-guard.test.ts: multiplies 384 × 384 matrices in onnxruntime-node without pause, so the thread is
// inside native code nearly all the time, and says so after the first product.
import { parentPort, workerData } from 'node:worker_threads';

import { register } from 'tsx/esm/api';

register();
const { createOrtGemm, installNativeGuard } = await import('../index.ts');
installNativeGuard(workerData.guard);
const gemm = createOrtGemm({ dtype: 'float32', backendOptions: { intraOpNumThreads: 1 } });
const n = 384;
const a = { rows: n, cols: n, data: new Float32Array(n * n).fill(0.5) };
let first = true;
try {
  for (;;) {
    await gemm.gemm(a, a);
    if (first) parentPort.postMessage('running');
    first = false;
  }
} catch {
  // The host is stopping the thread (guarded): the product refused to start; the thread ends by itself.
}

/**
 * Loads a bundle folder on onnxruntime-node, outside detectors (KNN) multiplying through onnxruntime's Gemm too:
 * the loader of the HTTP thread when it scores itself, and of every job thread. An encoder or cross-encoder bundle
 * loads as `gradeshift score` opens it (`loadTransformerBundleScorer`).
 */
import { createNodeBackend, createOrtGemm } from '@gradeshift/core/node';
import {
  loadBundleScorer,
  loadTransformerBundleScorer,
  transformerBundleKind,
} from '@gradeshift/pipeline';

import type { LoadModel } from '../models/model-registry';

/** onnxruntime settings of a loader. */
export interface NodeModelSettings {
  /** Pairs per ONNX run. */
  readonly batchSize: number;
  /** onnxruntime threads inside one run. */
  readonly ortThreads: number;
}

/**
 * A loader of bundles on onnxruntime-node, and how to release its Gemm session.
 * @param settings - batch size and onnxruntime threads
 */
export function nodeModelLoader(settings: NodeModelSettings): {
  load: LoadModel;
  dispose: () => Promise<void>;
} {
  const backendOptions = { intraOpNumThreads: settings.ortThreads, allowSpinning: false };
  const backend = createNodeBackend(backendOptions);
  // float64 keeps the KNN scores equal to the pipeline's; ~20x faster than the JavaScript product for a 4096 bank.
  const gemm = createOrtGemm({ dtype: 'float64', backendOptions });
  return {
    load: (dir) =>
      transformerBundleKind(dir) !== null
        ? loadTransformerBundleScorer(dir, { threads: settings.ortThreads, gemm })
        : loadBundleScorer(dir, {
            backend,
            batchSize: settings.batchSize,
            computeOptions: { gemm },
          }),
    dispose: () => gemm.dispose(),
  };
}

/**
 * Exports a trained scorer graph again with the current graph code, from the initializers graph_dump.py wrote:
 * the same weights, banks and tables, so two layouts of the graph can be compared on the real model
 * (bench/graph-cost.ts). From tests/:
 *
 *   node --import tsx bench/graph-rebuild.ts <dump dir> <bundle folder> <out model.onnx>
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  exportScorerOnnx,
  parseManifest,
  type ExportScorerOnnxOptions,
  type MahalanobisGraphState,
} from '@gradeshift/core';

type KnnGraphState = NonNullable<ExportScorerOnnxOptions['knn']>;

interface DumpIndex {
  initializers: Record<string, { dtype: 'float32' | 'int64'; dims: number[] }>;
  metadata: Record<string, string>;
}

/** Reads the dumped initializers of a scorer graph. */
function readDump(dir: string): {
  floats: (name: string) => Float32Array;
  has: (name: string) => boolean;
  dims: (name: string) => number[];
  int: (name: string) => number;
  metadata: Record<string, string>;
} {
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as DumpIndex;
  const bytes = (name: string): Buffer => {
    if (index.initializers[name] === undefined) throw new Error(`${dir}: no initializer ${name}`);
    return readFileSync(join(dir, `${name}.bin`));
  };
  return {
    floats: (name) => {
      const b = bytes(name);
      return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    },
    has: (name) => index.initializers[name] !== undefined,
    dims: (name) => index.initializers[name]?.dims ?? [],
    int: (name) => Number(bytes(name).readBigInt64LE(0)),
    metadata: index.metadata,
  };
}

type Dump = ReturnType<typeof readDump>;

/** A Mahalanobis state from `<p>_means` and `<p>_whitening_t` (stored transposed in the graph). */
function mahalanobis(dump: Dump, p: string): MahalanobisGraphState {
  const [numClasses = 0, dim = 0] = dump.dims(`${p}_means`);
  const t = dump.floats(`${p}_whitening_t`);
  const whitening = new Float64Array(dim * dim);
  for (let r = 0; r < dim; r++)
    for (let c = 0; c < dim; c++) whitening[r * dim + c] = t[c * dim + r] ?? 0;
  return {
    dim,
    numClasses,
    normalize: dump.has(`${p}_norm_epsilon`),
    means: dump.floats(`${p}_means`),
    whitening,
  };
}

/** A KNN state from `<p>_bank`, or from its two column halves (`<p>_bank_first`, `<p>_bank_second[_bias]`). */
function knn(dump: Dump, p: string): KnnGraphState {
  const k = dump.int(`${p}_k`);
  if (dump.has(`${p}_bank`)) {
    const [bankSize = 0, dim = 0] = dump.dims(`${p}_bank`);
    return { dim, k, bankSize, bank: dump.floats(`${p}_bank`) };
  }
  const [bankSize = 0, h = 0] = dump.dims(`${p}_bank_first`);
  // The item half is stored alone, or (since the ranking Gemm) with −‖b‖²/2 as an extra last column.
  const biased = dump.has(`${p}_bank_second_bias`);
  const secondName = biased ? `${p}_bank_second_bias` : `${p}_bank_second`;
  const [, stored = 0] = dump.dims(secondName);
  const w = biased ? stored - 1 : stored;
  const first = dump.floats(`${p}_bank_first`);
  const second = dump.floats(secondName);
  const bank = new Float32Array(bankSize * (h + w));
  for (let j = 0; j < bankSize; j++) {
    bank.set(first.subarray(j * h, (j + 1) * h), j * (h + w));
    bank.set(second.subarray(j * stored, j * stored + w), j * (h + w) + h);
  }
  return { dim: h + w, k, bankSize, bank };
}

const [dumpDir, bundle, out] = process.argv.slice(2);
if (dumpDir === undefined || bundle === undefined || out === undefined)
  throw new Error('usage: graph-rebuild.ts <dump dir> <bundle folder> <out model.onnx>');
const dump = readDump(dumpDir);
const manifest = parseManifest(JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8')));
const config = manifest.scorer;
const tensor = (name: string, dims: number[]) => ({
  dims,
  data: Float64Array.from(dump.floats(name)),
});
const [rows = 0, width = 0] = dump.dims('embeddings');
const options: ExportScorerOnnxOptions = {
  params: {
    config,
    embeddings: { dims: [rows, width], data: dump.floats('embeddings') },
    gateW: tensor('gate_w', [config.embeddingDim]),
    gateMatch: tensor('gate_match', []),
    gateBias: tensor('gate_bias', []),
    P: tensor('projection', dump.dims('projection')),
    W1: tensor('w1', dump.dims('w1')),
    b1: tensor('b1', dump.dims('b1')),
    W2: tensor('w2', dump.dims('w2')),
    b2: tensor('b2', dump.dims('b2')),
    W3: tensor('w3', dump.dims('w3')),
    b3: tensor('b3', dump.dims('b3')),
  },
  metadata: dump.metadata,
  ...(dump.has('maha_means') ? { mahalanobis: mahalanobis(dump, 'maha') } : {}),
  ...(dump.has('energy_temperature')
    ? { energy: { temperature: dump.floats('energy_temperature')[0] ?? 1 } }
    : {}),
  ...(dump.has('knn_k') ? { knn: knn(dump, 'knn') } : {}),
  ...(dump.has('surprisal_table')
    ? {
        content: {
          surprisal: dump.floats('surprisal_table'),
          ...(dump.has('pair_weight_table')
            ? { pairWeights: dump.floats('pair_weight_table') }
            : {}),
          ...(dump.has('content_maha_means')
            ? { mahalanobis: mahalanobis(dump, 'content_maha') }
            : {}),
          ...(dump.has('content_knn_k') ? { knn: knn(dump, 'content_knn') } : {}),
        },
      }
    : {}),
};
writeFileSync(`${out}.tmp`, exportScorerOnnx(options));
renameSync(`${out}.tmp`, out);
console.log(`wrote ${out}`);

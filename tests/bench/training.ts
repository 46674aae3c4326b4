/**
 * Training-speed benchmark: the scorer trained in TypeScript (built-in loops, and onnxruntime's Gemm behind the
 * port) against the same network in PyTorch on CPU, on the same frozen inputs of the Home Depot ID training split.
 *
 *   npm run bench -- training
 *
 * Both sides: cross-entropy, AdamW (lr 2e-3, decay 0.01), clipping at norm 1, batch 256, the same epochs, no
 * validation pass; the median epoch time is reported.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { initParams, softmaxCrossEntropy, trainScorer, type FrozenBatch } from '@gradeshift/core';
import { createRng } from '@gradeshift/core/math';
import { createOrtGemm } from '@gradeshift/core/node';
import { defaultShift, loadPreset, prepareData } from '@gradeshift/pipeline';

import { median, printTable, type BenchRow } from './report';

const EPOCHS = 4;

function dump(dir: string, frozen: FrozenBatch, labels: Int32Array): void {
  const { config, batch } = frozen;
  const { maxQueryTokens: lq, embeddingDim: d, lexicalDim: f } = config;
  const n = batch.size;
  const qtok = new Float32Array(n * lq * d);
  const qmask = new Float32Array(n * lq);
  const maxsim = new Float32Array(n * lq);
  for (let p = 0; p < n; p++) {
    for (let j = frozen.tokenStart[p]!; j < frozen.tokenStart[p + 1]!; j++) {
      const pos = frozen.tokenPosition[j]!;
      const row = frozen.tokenRow[j]!;
      qtok.set(frozen.tokenVectors.subarray(row * d, (row + 1) * d), (p * lq + pos) * d);
      qmask[p * lq + pos] = 1;
      maxsim[p * lq + pos] = frozen.tokenMaxSim[j]!;
    }
  }
  const files: [string, ArrayBufferView][] = [
    ['qtok', qtok],
    ['qmask', qmask],
    ['maxsim', maxsim],
    ['item', frozen.itemPooled],
    ['summaries', Float32Array.from(frozen.matchSummaries)],
    ['lexical', batch.lexical],
    ['labels', BigInt64Array.from(labels, (y) => BigInt(y))],
  ];
  for (const [name, data] of files)
    writeFileSync(
      join(dir, `${name}.bin`),
      new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    );
  writeFileSync(
    join(dir, 'meta.json'),
    JSON.stringify({
      n,
      lq,
      d,
      f,
      dp: config.projectionDim,
      h1: config.hidden1,
      h2: config.hidden2,
      epochs: EPOCHS,
      batch: 256,
    }),
  );
}

/** Runs the training benchmark. */
export async function runTrainingBench(options: {
  repeats: number;
  log: (line: string) => void;
}): Promise<BenchRow[]> {
  const { log } = options;
  const repoRoot = resolve(import.meta.dirname, '../..');
  const dir = mkdtempSync(join(tmpdir(), 'gradeshift-train-bench-'));
  try {
    log('preparing the Home Depot ID training split…');
    const dataset = await loadPreset('homedepot', { repoRoot });
    const data = await prepareData({
      dataset,
      splits: { shift: defaultShift({ preset: 'homedepot' }) },
      cacheDir: join(repoRoot, 'runs', '.cache', 'embeddings'),
    });
    const frozen = data.idTrain.frozen;
    dump(dir, frozen, data.idTrain.labels);
    const peers = ['1', '2'].map((threads) => {
      log(`running PyTorch (${frozen.batch.size} pairs, ${EPOCHS} epochs, ${threads} thread(s))…`);
      const peer = spawnSync(
        '/usr/bin/python3',
        [join(import.meta.dirname, 'training_peer.py'), dir, threads],
        { encoding: 'utf8' },
      );
      if (peer.status !== 0)
        throw new Error(
          `the PyTorch peer failed (apt-get install -y python3-torch):\n${peer.stderr}`,
        );
      const py = JSON.parse(peer.stdout) as {
        epoch_seconds: number[];
        threads: number;
        torch: string;
      };
      return {
        ms: median(py.epoch_seconds) * 1000,
        label: `PyTorch ${py.torch} CPU, ${py.threads} thread(s)`,
      };
    });
    const rows: BenchRow[] = [];
    const loss = (z: Parameters<typeof softmaxCrossEntropy>[0], y: ArrayLike<number>) =>
      softmaxCrossEntropy(z, Int32Array.from(y));
    const variants: [string, ReturnType<typeof createOrtGemm> | undefined][] = [
      [
        'ort gemm (1 thread)',
        createOrtGemm({ dtype: 'float64', backendOptions: { intraOpNumThreads: 1 } }),
      ],
      ['built-in loops', undefined],
    ];
    for (const [name, gemm] of variants) {
      log(`training in TypeScript (${name})…`);
      const times: number[] = [];
      await trainScorer({
        params: initParams(data.config, data.embeddings, createRng(0)),
        train: { batch: frozen, labels: data.idTrain.labels },
        loss,
        epochs: EPOCHS,
        learningRate: 2e-3,
        batchSize: 256,
        ...(gemm === undefined ? {} : { gemm }),
        onEpoch: (e) => times.push(e.seconds * 1000),
      });
      await gemm?.dispose();
      for (const peer of peers) {
        rows.push({
          task: `scorer epoch, ${frozen.batch.size} pairs, batch 256`,
          variant: name,
          ms: median(times),
          peerMs: peer.ms,
          peer: peer.label,
        });
      }
    }
    printTable(rows, log);
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

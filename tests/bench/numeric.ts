/**
 * Numeric-kernel benchmark: the same work in gradeshift (TypeScript, with onnxruntime's MLAS behind the Gemm
 * port) and in NumPy / scikit-learn, on the same data, in one run.
 *
 *   npm run bench -- numeric            (from the repository root)
 *
 * Tasks (issue sizes): Mahalanobis fit on 100k × 128 features with 3 classes; scoring 1M samples; AUROC on 1M
 * scores; KNN (k = 50) of 10k queries against a 50k × 128 bank. Reports the median of `repeats` runs after a warm-up.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { auroc } from '@gradeshift/core';
import { createRng, jsGemm, type Gemm, type MatrixLike } from '@gradeshift/core/math';
import { createOrtGemm } from '@gradeshift/core/node';
import { fitKnn, fitMahalanobis } from '@gradeshift/ood';

import { median, printTable, type BenchRow } from './report';

const SIZES = {
  fitRows: 100_000,
  dim: 128,
  classes: 3,
  scoreRows: 1_000_000,
  aurocRows: 1_000_000,
  bankRows: 50_000,
  queryRows: 10_000,
  k: 50,
};

function blobs(rows: number, seed: number, shift = 0): { x: Float32Array; y: Int32Array } {
  const rng = createRng(seed);
  const { dim, classes } = SIZES;
  const centres = Array.from({ length: classes }, () =>
    Float64Array.from({ length: dim }, () => rng.normal()),
  );
  const x = new Float32Array(rows * dim);
  const y = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const c = rng.int(classes);
    y[i] = c;
    const centre = centres[c]!;
    for (let j = 0; j < dim; j++) x[i * dim + j] = centre[j]! + shift + rng.normal();
  }
  return { x, y };
}

async function timeIt<T>(fn: () => Promise<T>, repeats: number): Promise<{ ms: number; value: T }> {
  let value = await fn(); // warm-up (session creation, JIT)
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    value = await fn();
    times.push(performance.now() - t0);
  }
  return { ms: median(times), value };
}

function matrix(data: Float32Array, cols: number): MatrixLike {
  return { rows: data.length / cols, cols, data };
}

/** Runs the numeric benchmark and returns its rows. */
export async function runNumericBench(options: {
  repeats: number;
  log: (line: string) => void;
}): Promise<BenchRow[]> {
  const { repeats, log } = options;
  const dir = mkdtempSync(join(tmpdir(), 'gradeshift-bench-'));
  try {
    log('generating data (seeded)…');
    const fit = blobs(SIZES.fitRows, 1);
    const score = blobs(SIZES.scoreRows, 2, 0.05);
    const aucRng = createRng(3);
    const aucLabels = new Int32Array(SIZES.aurocRows);
    const aucScores = new Float64Array(SIZES.aurocRows);
    for (let i = 0; i < SIZES.aurocRows; i++) {
      aucLabels[i] = aucRng.next() < 0.3 ? 1 : 0;
      // Rounded to 3 decimals so there are many ties, as real model scores have.
      aucScores[i] = Math.round((aucRng.normal() + aucLabels[i]! * 0.8) * 1000) / 1000;
    }
    const bank = blobs(SIZES.bankRows, 4);
    const queries = blobs(SIZES.queryRows, 5, 0.1);
    const files: Record<string, { file: string; dtype: string; shape: number[] }> = {};
    const put = (name: string, data: Float32Array | Float64Array | Int32Array, shape: number[]) => {
      const dtype =
        data instanceof Float32Array ? '<f4' : data instanceof Float64Array ? '<f8' : '<i4';
      writeFileSync(
        join(dir, `${name}.bin`),
        new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      );
      files[name] = { file: `${name}.bin`, dtype, shape };
    };
    put('fit_x', fit.x, [SIZES.fitRows, SIZES.dim]);
    put('fit_y', fit.y, [SIZES.fitRows]);
    put('score_x', score.x, [SIZES.scoreRows, SIZES.dim]);
    put('auroc_scores', aucScores, [SIZES.aurocRows]);
    put('auroc_labels', aucLabels, [SIZES.aurocRows]);
    put('knn_bank', bank.x, [SIZES.bankRows, SIZES.dim]);
    put('knn_queries', queries.x, [SIZES.queryRows, SIZES.dim]);
    writeFileSync(join(dir, 'meta.json'), JSON.stringify({ ...files, knn_k: SIZES.k, repeats }));

    log('running the NumPy / scikit-learn peer…');
    const peer = spawnSync(
      '/usr/bin/python3',
      [join(import.meta.dirname, 'numeric_peer.py'), dir],
      { encoding: 'utf8', maxBuffer: 1 << 24 },
    );
    if (peer.status !== 0) {
      throw new Error(
        `the Python peer failed (is python3-sklearn installed? apt-get install -y python3-sklearn):\n${peer.stderr}`,
      );
    }
    const py = JSON.parse(peer.stdout) as Record<string, number>;

    const ort64 = createOrtGemm({ dtype: 'float64' });
    const ort32 = createOrtGemm({ dtype: 'float32' });
    const rows: BenchRow[] = [];
    try {
      const fitInput = { features: matrix(fit.x, SIZES.dim), labels: fit.y };
      const gemms: [string, Gemm][] = [
        ['ort float64', ort64],
        ['js', jsGemm],
      ];
      let detector: Awaited<ReturnType<typeof fitMahalanobis>> | undefined;
      for (const [name, gemm] of gemms) {
        log(`mahalanobis fit (${name})…`);
        const r = await timeIt(
          () => fitMahalanobis(fitInput, { gemm }),
          name === 'js' ? 1 : repeats,
        );
        detector ??= r.value;
        rows.push({
          task: 'Mahalanobis fit, 100k × 128, 3 classes',
          variant: `gemm: ${name}`,
          ms: r.ms,
          peerMs: py['mahalanobis_fit']!,
          peer: 'numpy + sklearn LedoitWolf',
        });
      }
      log('mahalanobis score 1M (ort float32)…');
      const scoreInput = { features: matrix(score.x, SIZES.dim) };
      const s = await timeIt(() => detector!.score(scoreInput, { gemm: ort32 }), repeats);
      rows.push({
        task: 'Mahalanobis score, 1M × 128',
        variant: 'gemm: ort float32',
        ms: s.ms,
        peerMs: py['mahalanobis_score_1m']!,
        peer: 'numpy float32',
      });

      log('auroc 1M…');
      const a = await timeIt(() => Promise.resolve(auroc(aucScores, aucLabels)), repeats);
      if (Math.abs(a.value - py['auroc_value']!) > 1e-9)
        throw new Error(`AUROC disagrees: ${a.value} vs sklearn ${py['auroc_value']}`);
      rows.push({
        task: 'AUROC, 1M scores with ties',
        variant: 'core auroc',
        ms: a.ms,
        peerMs: py['auroc_1m']!,
        peer: 'sklearn roc_auc_score',
      });

      log('knn 10k × 50k (ort float32)…');
      const bankInput = { features: matrix(bank.x, SIZES.dim) };
      const queryInput = { features: matrix(queries.x, SIZES.dim) };
      const knn = await timeIt(
        async () => {
          const det = await fitKnn(bankInput, { k: SIZES.k, gemm: ort32 });
          return det.score(queryInput, { gemm: ort32 });
        },
        Math.max(1, repeats - 1),
      );
      let meanKth = 0;
      for (const v of knn.value) meanKth += v / knn.value.length;
      if (Math.abs(meanKth - py['knn_kth_mean']!) > 1e-3)
        throw new Error(
          `KNN disagrees: mean k-th distance ${meanKth} vs sklearn ${py['knn_kth_mean']}`,
        );
      rows.push({
        task: 'KNN k=50, 10k queries × 50k bank',
        variant: 'gemm: ort float32',
        ms: knn.ms,
        peerMs: py['knn_50k_10k']!,
        peer: 'sklearn NearestNeighbors(brute)',
      });
    } finally {
      await ort64.dispose();
      await ort32.dispose();
    }
    printTable(rows, log);
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

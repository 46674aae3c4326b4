/**
 * Transformer inference speed: all-MiniLM-L6-v2 (models/minilm, `npm run models:minilm`) embedding the
 * same texts in onnxruntime-node with the TypeScript tokenizer against Python onnxruntime with the Rust
 * `tokenizers` (`tests/bench/transformer_peer.py`, run in .venv-models), same model file, texts,
 * truncation (128), batch size (32, texts sorted by length) and intra-op thread count; tokenization is
 * inside the timed loop on both sides. Quality first (`transformer-quality.ts`: the default scorer and the MiniLM
 * encoder backbone on ID test, far-OOD test and shift detection). The sides alternate, one timed pass each per repeat (the peer
 * process warms up on the same texts first), so both meet the same machine load. Target: ratio ≤ 1.0.
 *
 *   npm run bench -- transformer
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { createTextEncoder } from '@gradeshift/core';
import { createNodeBackend, loadTokenizerFile } from '@gradeshift/core/node';
import { loadPreset } from '@gradeshift/pipeline';

import { median, printTable, type BenchRow } from './report';
import { runTransformerQuality } from './transformer-quality';

const TEXTS = 1000;
const MAX_LENGTH = 128;
const BATCH_SIZE = 32;

/** Distinct queries and titles in file order, the first `TEXTS`. */
async function benchTexts(repoRoot: string): Promise<string[]> {
  const dataset = await loadPreset('homedepot', { repoRoot });
  const texts = new Set<string>();
  for (const pair of dataset.pairs) {
    texts.add(pair.query).add(pair.item);
    if (texts.size >= TEXTS) break;
  }
  return [...texts].slice(0, TEXTS);
}

/** One timed pass of the Python peer (after its own warm-up pass), in ms. */
function runPeer(python: string, dir: string, threads: number): number {
  const peer = spawnSync(python, [join(import.meta.dirname, 'transformer_peer.py'), dir], {
    encoding: 'utf8',
    env: { ...process.env, RAYON_NUM_THREADS: String(threads) },
  });
  if (peer.status !== 0) throw new Error(`the Python peer failed:\n${peer.stderr}`);
  const result = JSON.parse(peer.stdout.trim().split('\n').at(-1) ?? '{}') as { ms: number };
  return result.ms;
}

/** Largest absolute difference between our embeddings and the peer's float32 file. */
function maxDifference(ours: Float32Array, path: string): number {
  const bytes = readFileSync(path);
  const theirs = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  if (theirs.length !== ours.length)
    throw new Error(`the peer wrote ${theirs.length} values, expected ${ours.length}`);
  let diff = 0;
  for (let i = 0; i < ours.length; i++) diff = Math.max(diff, Math.abs(ours[i]! - theirs[i]!));
  return diff;
}

/** Runs the transformer benchmark. */
export async function runTransformerBench(options: {
  repeats: number;
  log: (line: string) => void;
}): Promise<BenchRow[]> {
  const { log, repeats } = options;
  const repoRoot = resolve(import.meta.dirname, '../..');
  // TRANSFORMER_BENCH_ONLY=speed or =quality runs one section (the quality section trains the students).
  const only = process.env['TRANSFORMER_BENCH_ONLY'];
  if (only !== 'speed') {
    log('Quality (ID test, far-OOD test, shift detection by feature space):');
    await runTransformerQuality({ repoRoot, log });
  }
  if (only === 'quality') return [];
  log('Speed:');
  const model = join(repoRoot, 'models/minilm');
  const python = join(repoRoot, '.venv-models/bin/python');
  if (!existsSync(join(model, 'model.onnx')) || !existsSync(python)) {
    log('models/minilm or .venv-models is missing: run `npm run models:minilm` first');
    return [];
  }
  const texts = await benchTexts(repoRoot);
  const tokenizer = await loadTokenizerFile(join(model, 'tokenizer.json'));
  const dir = mkdtempSync(join(tmpdir(), 'gradeshift-transformer-bench-'));
  const rows: BenchRow[] = [];
  try {
    for (const threads of [1, 2]) {
      log(`MiniLM, ${texts.length} texts, ${threads} thread(s), ${repeats} alternating runs…`);
      const backend = createNodeBackend({ intraOpNumThreads: threads, interOpNumThreads: 1 });
      const session = await backend.createSessionFromFile(join(model, 'model.onnx'));
      const encoder = createTextEncoder(session, tokenizer, {
        maxLength: MAX_LENGTH,
        batchSize: BATCH_SIZE,
      });
      await encoder.embed(texts); // warm-up
      const job = { model, texts, threads, maxLength: MAX_LENGTH, batchSize: BATCH_SIZE };
      writeFileSync(join(dir, 'texts.json'), JSON.stringify(job));
      const times: number[] = [];
      const peerTimes: number[] = [];
      let ours: Float32Array = new Float32Array(0);
      // Alternate the two sides so that both see the same (shared, changing) machine load.
      for (let r = 0; r < repeats; r++) {
        const start = performance.now();
        ours = (await encoder.embed(texts)).data;
        times.push(performance.now() - start);
        peerTimes.push(runPeer(python, dir, threads));
      }
      await session.dispose();
      const diff = maxDifference(ours, join(dir, 'embeddings.bin'));
      log(`… max |embedding difference| ${diff.toExponential(2)} over ${texts.length} × 384`);
      rows.push({
        task: `MiniLM embed ${texts.length} texts, max 128 tokens, batch 32, ${threads} thread(s), tokenization included`,
        variant: 'onnxruntime-node + @huggingface/tokenizers',
        ms: median(times),
        peerMs: median(peerTimes),
        peer: 'Python onnxruntime + tokenizers (Rust)',
      });
    }
    printTable(rows, log);
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

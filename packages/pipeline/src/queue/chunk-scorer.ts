/**
 * @file What a worker process keeps between chunk jobs: the input file's pairs (read once per file and checked
 * against the producer's sha256) and the opened bundle (one onnxruntime session on the calling thread, or one per
 * scoring thread), so each chunk costs its scoring and its output only.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { UnlabeledPair } from '../data/dataset';
import { loadPairs } from '../data/load-dataset';
import { openPairScorer, type OpenedPairScorer } from '../pipeline/open-pair-scorer';
import { scoreBundlePairs, topGradeProbs } from '../pipeline/score-bundle-pairs';
import { scoredRowParts } from '../pipeline/score-file';
import { writeChunkFile, type ChunkRow } from './chunk-file';
import type { ChunkJobData, ChunkJobResult, ChunkLoadOptions } from './chunk-job';

/** sha256 of a bundle folder's manifest.json and model.onnx, in that order. */
export function bundleSha256(modelDir: string): string {
  const hash = createHash('sha256');
  for (const name of ['manifest.json', 'model.onnx'])
    hash.update(readFileSync(join(modelDir, name)));
  return hash.digest('hex');
}

/** A job the worker must not retry: the shared folder holds other bytes than the producer saw. */
export class ChunkInputError extends Error {
  override readonly name = 'ChunkInputError';
}

/** Scores chunk jobs, keeping the last input and bundle open. */
export interface ChunkScorer {
  /** Scores one chunk and writes its output file. */
  score(job: { id: string; data: ChunkJobData }): Promise<ChunkJobResult>;
  /** Releases the bundle's session or threads. */
  close(): Promise<void>;
}

/**
 * Creates a chunk scorer.
 * @param threads - scoring threads (one onnxruntime session each); 0 scores on the calling thread
 */
export function createChunkScorer(threads: number): ChunkScorer {
  let input: { key: string; pairs: readonly UnlabeledPair[] } | undefined;
  let model: { key: string; opened: OpenedPairScorer } | undefined;

  const pairsOf = async (path: string, sha256: string, load: ChunkLoadOptions) => {
    const key = `${path}\n${sha256}\n${JSON.stringify(load)}`;
    if (input?.key === key) return input.pairs;
    input = undefined;
    const file = await loadPairs(path, load);
    if (file.source.sha256 !== sha256)
      throw new ChunkInputError(
        `${path} changed since the producer read it (sha256 ${file.source.sha256}, expected ${sha256})`,
      );
    input = { key, pairs: file.pairs };
    return file.pairs;
  };

  const modelOf = async (dir: string, sha256: string) => {
    const key = `${dir}\n${sha256}`;
    if (model?.key === key) return model.opened;
    await model?.opened.close();
    model = undefined;
    const found = bundleSha256(dir);
    if (found !== sha256)
      throw new ChunkInputError(
        `${dir} holds another bundle (sha256 ${found}, expected ${sha256})`,
      );
    const opened = await openPairScorer(dir, {
      pairs: Number.MAX_SAFE_INTEGER,
      chunk: 8192,
      threads,
    });
    model = { key, opened };
    return opened;
  };

  return {
    async score({ id, data }) {
      const pairs = await pairsOf(data.input, data.inputSha256, data.load);
      if (data.end > pairs.length || data.start < 0 || data.start >= data.end)
        throw new ChunkInputError(`pairs ${data.start}–${data.end} are not in ${data.input}`);
      const opened = await modelOf(data.modelDir, data.modelSha256);
      const slice = pairs.slice(data.start, data.end);
      const scored = await scoreBundlePairs(opened.model, slice);
      const top = topGradeProbs(scored.probs, scored.grades.length);
      function* rows(): Generator<ChunkRow> {
        for (let i = 0; i < slice.length; i++) {
          const pair = slice[i];
          if (pair === undefined) continue;
          const { head, tail } = scoredRowParts(pair, scored, i);
          yield { expected: scored.expected[i] ?? 0, top: top[i] ?? 0, head, tail };
        }
      }
      return writeChunkFile(data.partsDir, id, rows());
    },
    async close() {
      await model?.opened.close();
      model = undefined;
      input = undefined;
    },
  };
}

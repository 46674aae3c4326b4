/**
 * @file What a worker does with a chunk job: it reads the chunk's byte range of the input alone (checked against
 * the producer's sha256 of those bytes, and its pair count), scores it with the bundle it keeps open between jobs
 * (one onnxruntime session on the calling thread, or one per scoring thread), and writes the chunk's output. A
 * worker holds one chunk's pairs at a time, whatever the size of the file.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { readPairFile } from '../data/load-dataset';
import { openPairScorer, type OpenedPairScorer } from '../pipeline/open-pair-scorer';
import { scoreBundlePairs, topGradeProbs, type ScoredPairs } from '../pipeline/score-bundle-pairs';
import { scoredRowParts } from '../pipeline/score-file';
import { writeChunkFile, type ChunkRow } from './chunk-file';
import type { ChunkJobData, ChunkJobResult } from './chunk-job';

/** sha256 of a bundle folder's manifest.json and model.onnx, in that order. */
export function bundleSha256(modelDir: string): string {
  const hash = createHash('sha256');
  for (const name of ['manifest.json', 'model.onnx'])
    hash.update(readFileSync(join(modelDir, name)));
  return hash.digest('hex');
}

/**
 * Distinct texts a worker's featuriser memoises (per scoring thread): the memo holds about 6 KB per text and pair
 * (measured with the default bundle), so the default 200,000 would let a worker that meets many distinct texts
 * grow past 1 GB; 8,192 keeps it near 50 MB, and the texts recurring within a chunk still hit it.
 */
export const WORKER_MEMO_SIZE = 8192;

/** A job the worker must not retry: the shared folder holds other bytes than the producer saw. */
export class ChunkInputError extends Error {
  override readonly name = 'ChunkInputError';
}

/**
 * Reads a chunk's pairs from its byte range of the input.
 * @throws ChunkInputError when the range's bytes are not those the producer hashed, or hold another number of pairs
 */
export async function readChunkPairs(data: ChunkJobData) {
  const range = { start: data.byteStart, end: data.byteEnd };
  const file = await readPairFile(
    data.input,
    { ...data.load, onError: 'skip' },
    {
      collect: { skipLines: new Set(data.skipLines) },
      read: {
        chunkBytes: 1 << 16,
        range,
        firstLine: data.firstLine,
        ...(data.header === undefined ? {} : { headerFields: data.header }),
      },
    },
  ).catch((error: unknown) => {
    throw new ChunkInputError(
      `${data.input}: bytes ${range.start}–${range.end} are unreadable: ${error instanceof Error ? error.message : String(error)}`,
    );
  });
  if (file.source.sha256 !== data.sha256)
    throw new ChunkInputError(
      `${data.input} changed since the producer read it (bytes ${range.start}–${range.end}: sha256 ${file.source.sha256}, expected ${data.sha256})`,
    );
  if (file.pairs.length !== data.end - data.start)
    throw new ChunkInputError(
      `${data.input}: bytes ${range.start}–${range.end} hold ${file.pairs.length} pairs, the producer counted ${data.end - data.start}`,
    );
  return file.pairs;
}

/**
 * Pair `i`'s exact values for an evaluation: its grade probabilities, then each OOD score's score and percentile
 * (in the order of the row's `ood`), as JSON (shortest round-trip decimals, so parsed back to the same bits).
 */
export function exactValues(scored: ScoredPairs, i: number): string {
  const k = scored.grades.length;
  const values = Array.from(scored.probs.subarray(i * k, (i + 1) * k));
  for (const o of scored.ood.values()) values.push(o.score[i] ?? 0, o.percentile[i] ?? 0);
  return JSON.stringify(values);
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
  let model: { key: string; opened: OpenedPairScorer } | undefined;

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
      memoSize: WORKER_MEMO_SIZE,
      // One intra-op thread per session that never spins, as in the single process's scoring threads: with
      // onnxruntime's default (a spinning thread per core), one worker held both cores and a second one on the
      // same machine only took time from it.
      ortThreads: 1,
    });
    model = { key, opened };
    return opened;
  };

  return {
    async score({ id, data }) {
      const slice = await readChunkPairs(data);
      const opened = await modelOf(data.modelDir, data.modelSha256);
      const scored = await scoreBundlePairs(opened.model, slice);
      const top = topGradeProbs(scored.probs, scored.grades.length);
      const exact = data.exactValues === true;
      function* rows(): Generator<ChunkRow> {
        for (let i = 0; i < slice.length; i++) {
          const pair = slice[i];
          if (pair === undefined) continue;
          const { head, tail } = scoredRowParts(pair, scored, i);
          const [expected, t] = [scored.expected[i] ?? 0, top[i] ?? 0];
          const row = { expected, top: t, query: pair.query, head, tail };
          yield exact ? { ...row, exact: exactValues(scored, i) } : row;
        }
      }
      return writeChunkFile(data.partsDir, id, rows());
    },
    async close() {
      await model?.opened.close();
      model = undefined;
    },
  };
}

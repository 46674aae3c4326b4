/**
 * @file `gradeshift score --queue`: the producer. It streams the pairs file once (checking every row, keeping
 * none) and cuts it into chunk jobs that name the shared file, a byte range and its sha256, waits for the workers
 * with progress (rows, chunks), and merges the chunks' outputs into the same bytes as the single-process
 * `scoreFile`. Its memory does not grow with the file's pairs (beyond the ids seen, when an id column is mapped).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { Queue, QueueEvents } from 'bullmq';

import type { ScoreFileOptions } from '../pipeline/score-file';
import {
  checkChunkPairs,
  chunkJobId,
  DEFAULT_CHUNK_PAIRS,
  type ChunkJobData,
  type ChunkJobResult,
  type ChunkRange,
} from './chunk-job';
import { bundleSha256 } from './chunk-scorer';
import { cutPairFile } from './cut-pair-file';
import { mergeChunks } from './merge-chunks';
import { CHUNK_ATTEMPTS, openRedis, SCORE_QUEUE_NAME } from './queue-settings';
import { waitForChunks } from './wait-for-chunks';

/** Options of {@link queueScoreFile}. */
export interface QueueScoreFileOptions extends Omit<ScoreFileOptions, 'threads'> {
  /** `redis://host:port[/db]`. */
  readonly url: string;
  /** Pairs per chunk job, a multiple of 128. @default 16384 */
  readonly chunkPairs?: number;
  /** Where chunk outputs go (a folder every worker can write). @default `<out>.parts` beside the output */
  readonly partsDir?: string;
  /** Aborting removes the chunks not yet taken and rejects; the parts folder is left. */
  readonly signal?: AbortSignal;
}

/** What {@link queueScoreFile} reports. */
export interface QueueScoreFileResult {
  readonly pairs: number;
  readonly skipped: number;
  readonly chunks: number;
  /** Wall time from the first job queued to the last chunk back, in ms. */
  readonly queuedMs: number;
}

/** Adds the chunk jobs, waits for them and merges their outputs. */
async function runChunks(
  options: QueueScoreFileOptions,
  on: { queue: Queue<ChunkJobData, ChunkJobResult>; events: QueueEvents },
  plan: {
    runId: string;
    shared: Omit<ChunkJobData, keyof ChunkRange>;
    chunks: readonly ChunkRange[];
    pairs: number;
  },
): Promise<{ chunks: number; queuedMs: number }> {
  const { runId, shared, chunks } = plan;
  const { queue, events } = on;
  const ids = chunks.map((_, i) => chunkJobId(runId, i));
  const { progress } = options;
  try {
    await events.waitUntilReady();
    const t0 = performance.now();
    const waiting = waitForChunks({ queue, events, ids, chunks, progress, signal: options.signal });
    await queue.addBulk(
      chunks.map((range, i) => ({
        name: 'chunk',
        data: { ...shared, ...range },
        opts: {
          jobId: ids[i] ?? '',
          attempts: CHUNK_ATTEMPTS,
          backoff: { type: 'fixed', delay: 1000 },
          removeOnComplete: { age: 3600 },
          removeOnFail: { age: 24 * 3600 },
        },
      })),
    );
    const results = await waiting;
    const queuedMs = performance.now() - t0;
    const merging = { stage: 'merge', message: 'merging chunks in input order', total: 1 };
    progress?.({ ...merging, done: 0 });
    mergeChunks({
      partsDir: shared.partsDir,
      chunks: results,
      pairs: plan.pairs,
      out: options.out,
    });
    progress?.({ ...merging, done: 1 });
    return { chunks: chunks.length, queuedMs };
  } catch (error) {
    // The chunks nobody has taken yet are removed; those in hand finish into the parts folder, which is left.
    if (options.signal?.aborted === true)
      await Promise.all(ids.map((id) => queue.remove(id).catch(() => 0)));
    throw error;
  }
}

/**
 * Scores a pairs file on the queue's workers.
 * @param options - bundle, file and mapping, output, queue URL, chunk size
 * @throws DataError for a bad file (with its line, before anything is queued); Error when Redis cannot be
 * reached or a chunk fails for good (naming its pairs)
 */
export async function queueScoreFile(
  options: QueueScoreFileOptions,
): Promise<QueueScoreFileResult> {
  if (typeof options.out !== 'string' && options.partsDir === undefined)
    throw new TypeError(
      'scoring on a queue to a stream needs partsDir (a folder the workers share)',
    );
  const chunkPairs = checkChunkPairs(options.chunkPairs ?? DEFAULT_CHUNK_PAIRS);
  const connection = await openRedis(options.url);
  const { progress } = options;
  const queue = new Queue<ChunkJobData, ChunkJobResult>(SCORE_QUEUE_NAME, { connection });
  const eventsConnection = connection.duplicate();
  const events = new QueueEvents(SCORE_QUEUE_NAME, { connection: eventsConnection });
  try {
    const { onProgress: _progress, label: _label, ...load } = options.load;
    const file = await cutPairFile(options.path, load, {
      chunkPairs,
      ...(progress === undefined
        ? {}
        : {
            onProgress: (rows) => progress({ stage: 'load', message: 'reading rows', done: rows }),
          }),
    });
    const runId = `${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
    const partsRoot = options.partsDir ?? `${options.out as string}.parts`;
    const partsDir = join(partsRoot, runId);
    mkdirSync(partsDir, { recursive: true });
    const shared = {
      input: options.path,
      inputSha256: file.source.sha256,
      ...(file.header === undefined ? {} : { header: file.header }),
      load,
      modelDir: options.modelDir,
      modelSha256: bundleSha256(options.modelDir),
      partsDir,
    };
    const run = await runChunks(
      options,
      { queue, events },
      { runId, shared, chunks: file.chunks, pairs: file.pairs },
    );
    rmSync(partsDir, { recursive: true, force: true });
    // The parts folder goes too once no other scoring run uses it.
    if (readdirSync(partsRoot).length === 0) rmdirSync(partsRoot);
    return { pairs: file.pairs, skipped: file.issues.length, ...run };
  } finally {
    await events.close();
    await queue.close();
    // BullMQ leaves connections it was given open: without these the process would not end.
    await eventsConnection.quit().catch(() => undefined);
    await connection.quit().catch(() => undefined);
  }
}

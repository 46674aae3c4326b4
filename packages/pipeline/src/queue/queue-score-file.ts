/**
 * @file `gradeshift score --queue`: the producer. It streams the pairs file once (checking every row, keeping
 * none) and cuts it into chunk jobs that name the shared file, a byte range and its sha256, waits for the workers
 * with progress (rows, chunks), and merges the chunks' outputs into the same bytes as the single-process
 * `scoreFile`. Its memory does not grow with the file's pairs (beyond the ids seen, when an id column is mapped).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { Queue, QueueEvents } from 'bullmq';

import type { ScoreFileOptions } from '../pipeline/score-file';
import { abortingProgress } from '../pipeline/evaluate-bundle';
import type { ProgressSink } from '../stages/progress';
import {
  checkChunkPairs,
  chunkJobId,
  DEFAULT_CHUNK_PAIRS,
  type ChunkJobData,
  type ChunkLoadOptions,
  type ChunkJobResult,
  type ChunkRange,
} from './chunk-job';
import { bundleSha256 } from './chunk-scorer';
import { cutPairFile, type CutOptions, type CutPairFile } from './cut-pair-file';
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

/** What the workers returned for a run's chunks, still in its parts folder. */
export interface QueuedChunks {
  /** The run's parts folder (removed once the body of {@link runOnQueue} returns). */
  readonly partsDir: string;
  /** Each chunk's result, in input order. */
  readonly results: readonly ChunkJobResult[];
  /** Wall time from the first job queued to the last chunk back, in ms. */
  readonly queuedMs: number;
}

/** Options of {@link runOnQueue}: the file, how it is read and cut, the bundle, the queue and its folder. */
export interface QueueRunOptions {
  readonly url: string;
  readonly modelDir: string;
  readonly path: string;
  /** How the workers read the file (as `gradeshift score` reads it). */
  readonly load: ChunkLoadOptions;
  /** Pairs per chunk job, a multiple of 128. @default 16384 */
  readonly chunkPairs?: number;
  /** The folder the run's parts folder goes in (shared with the workers); removed when left empty. */
  readonly partsRoot: string;
  /** The producer's pass reads the labels too (an evaluation). */
  readonly labels?: CutOptions['labels'];
  /** Each chunk's output carries its pairs' exact probabilities and OOD values (an evaluation). */
  readonly exactValues?: boolean;
  readonly progress?: ProgressSink | undefined;
  /** Aborting removes the chunks not yet taken and rejects; the parts folder is left. */
  readonly signal?: AbortSignal | undefined;
}

/** The chunk jobs of one run, queued; resolves with their results once every chunk is back. */
async function queueChunks(
  on: { queue: Queue<ChunkJobData, ChunkJobResult>; events: QueueEvents },
  plan: {
    runId: string;
    shared: Omit<ChunkJobData, keyof ChunkRange>;
    chunks: readonly ChunkRange[];
  },
  options: Pick<QueueRunOptions, 'progress' | 'signal'>,
): Promise<QueuedChunks> {
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
    return { partsDir: shared.partsDir, results, queuedMs: performance.now() - t0 };
  } catch (error) {
    // The chunks nobody has taken yet are removed; those in hand finish into the parts folder, which is left.
    if (options.signal?.aborted === true)
      await Promise.all(ids.map((id) => queue.remove(id).catch(() => 0)));
    throw error;
  }
}

/**
 * A file scored on the queue's workers: it is read and checked once (nothing queued if it is bad), then `body`
 * runs with what that pass found and a function that queues the chunks and waits for them; the chunks' outputs
 * are removed once `body` returns (left when it throws).
 * @param options - the file, bundle, queue, chunk size and parts folder
 * @param body - gets the cut file and `queued()`, and reads the chunks' outputs (merge, evaluation…)
 * @throws DataError for a bad file (with its line, before anything is queued); Error when Redis cannot be
 * reached or a chunk fails for good (naming its pairs); whatever `body` throws
 */
export async function runOnQueue<T>(
  options: QueueRunOptions,
  body: (file: CutPairFile, queued: () => Promise<QueuedChunks>) => Promise<T>,
): Promise<T> {
  const chunkPairs = checkChunkPairs(options.chunkPairs ?? DEFAULT_CHUNK_PAIRS);
  const connection = await openRedis(options.url);
  const { load, partsRoot } = options;
  // Ctrl-C stops the producer's read of the file too, not only the waiting for chunks.
  const progress = abortingProgress(options.progress, options.signal);
  const queue = new Queue<ChunkJobData, ChunkJobResult>(SCORE_QUEUE_NAME, { connection });
  const eventsConnection = connection.duplicate();
  const events = new QueueEvents(SCORE_QUEUE_NAME, { connection: eventsConnection });
  try {
    const file = await cutPairFile(options.path, load, {
      chunkPairs,
      ...(options.labels === undefined ? {} : { labels: options.labels }),
      ...(progress === undefined
        ? {}
        : {
            onProgress: (rows) => progress({ stage: 'load', message: 'reading rows', done: rows }),
          }),
    });
    options.signal?.throwIfAborted();
    const runId = `${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
    const partsDir = join(partsRoot, runId);
    const shared = {
      input: options.path,
      inputSha256: file.source.sha256,
      ...(file.header === undefined ? {} : { header: file.header }),
      load,
      modelDir: options.modelDir,
      modelSha256: bundleSha256(options.modelDir),
      partsDir,
      ...(options.exactValues === true ? { exactValues: true } : {}),
    };
    const result = await body(file, () => {
      options.signal?.throwIfAborted();
      mkdirSync(partsDir, { recursive: true });
      return queueChunks({ queue, events }, { runId, shared, chunks: file.chunks }, options);
    });
    rmSync(partsDir, { recursive: true, force: true });
    // The parts folder goes too once no other scoring run uses it.
    if (existsSync(partsRoot) && readdirSync(partsRoot).length === 0) rmdirSync(partsRoot);
    return result;
  } finally {
    await events.close();
    await queue.close();
    // BullMQ leaves connections it was given open: without these the process would not end.
    await eventsConnection.quit().catch(() => undefined);
    await connection.quit().catch(() => undefined);
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
  const { onProgress: _progress, label: _label, ...load } = options.load;
  const { progress } = options;
  return runOnQueue(
    {
      ...options,
      load,
      partsRoot: options.partsDir ?? `${options.out as string}.parts`,
    },
    async (file, queued) => {
      const { partsDir, results, queuedMs } = await queued();
      const merging = { stage: 'merge', message: 'merging chunks in input order', total: 1 };
      progress?.({ ...merging, done: 0 });
      mergeChunks({ partsDir, chunks: results, pairs: file.pairs, out: options.out });
      progress?.({ ...merging, done: 1 });
      return { pairs: file.pairs, skipped: file.issues.length, chunks: results.length, queuedMs };
    },
  );
}

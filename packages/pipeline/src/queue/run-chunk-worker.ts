/**
 * @file `gradeshift worker`: takes chunk jobs from the queue one at a time until its signal aborts, then
 * finishes the chunk in hand (its lock kept), closes the bundle and returns. Any number of these processes, on
 * any machine that reaches Redis and the shared folder, share the work.
 */
import { UnrecoverableError, Worker, type Job } from 'bullmq';

import type { ChunkJobData, ChunkJobResult } from './chunk-job';
import { ChunkInputError, createChunkScorer } from './chunk-scorer';
import {
  DEFAULT_QUEUE_TIMING,
  MAX_STALLED_COUNT,
  openRedis,
  SCORE_QUEUE_NAME,
  type QueueTiming,
} from './queue-settings';

/** One line of the worker's log. */
export interface ChunkLogEvent {
  readonly jobId: string;
  readonly start: number;
  readonly end: number;
  /** Wall time of the chunk, in ms. */
  readonly ms: number;
  /** Set when the chunk failed. */
  readonly error?: string;
}

/** Options of {@link runChunkWorker}. */
export interface RunChunkWorkerOptions {
  /** `redis://host:port[/db]`. */
  readonly url: string;
  /** Scoring threads, one onnxruntime session each; 0 scores on the calling thread. @default 0 */
  readonly threads?: number;
  /** Lock and stalled-check timing. @default DEFAULT_QUEUE_TIMING */
  readonly timing?: QueueTiming;
  /** Aborting stops taking jobs; the chunk in hand is finished first. */
  readonly signal: AbortSignal;
  /** Called once the worker is connected and waiting for jobs. */
  readonly onReady?: () => void;
  /** Called when a chunk is taken. */
  readonly onStart?: (event: Omit<ChunkLogEvent, 'ms'>) => void;
  /** Called after each chunk. */
  readonly onChunk?: (event: ChunkLogEvent) => void;
  /** Called with the queue connection's errors (Redis gone away…); the worker reconnects by itself. */
  readonly onError?: (message: string) => void;
}

/**
 * Runs a worker until `signal` aborts.
 * @returns the chunks this worker completed
 * @throws Error when Redis cannot be reached
 */
export async function runChunkWorker(options: RunChunkWorkerOptions): Promise<{ chunks: number }> {
  const timing = options.timing ?? DEFAULT_QUEUE_TIMING;
  const connection = await openRedis(options.url);
  const scorer = createChunkScorer(options.threads ?? 0);
  let chunks = 0;
  const processor = async (job: Job<ChunkJobData, ChunkJobResult>): Promise<ChunkJobResult> => {
    const t0 = performance.now();
    const id = job.id ?? '';
    const log = { jobId: id, start: job.data.start, end: job.data.end };
    options.onStart?.(log);
    try {
      const result = await scorer.score({ id, data: job.data });
      chunks++;
      options.onChunk?.({ ...log, ms: performance.now() - t0 });
      return result;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      options.onChunk?.({ ...log, ms: performance.now() - t0, error: message });
      if (error instanceof ChunkInputError) throw new UnrecoverableError(message);
      throw error;
    }
  };
  const worker = new Worker<ChunkJobData, ChunkJobResult>(SCORE_QUEUE_NAME, processor, {
    connection,
    concurrency: 1,
    lockDuration: timing.lockMs,
    stalledInterval: timing.stalledMs,
    maxStalledCount: MAX_STALLED_COUNT,
    autorun: false,
  });
  worker.on('error', (error) => options.onError?.(error.message));
  const stopped = new Promise<void>((resolve) => {
    const stop = () => void worker.close().then(resolve, resolve);
    if (options.signal.aborted) stop();
    else options.signal.addEventListener('abort', stop, { once: true });
  });
  try {
    await worker.waitUntilReady();
    options.onReady?.();
    void worker.run().catch(() => undefined);
    await stopped;
  } finally {
    await scorer.close();
    await connection.quit().catch(() => undefined);
  }
  return { chunks };
}

/**
 * @file The queue behind distributed scoring: one BullMQ queue on Redis, named here, with the job and lock
 * settings both sides share. A chunk job is held under a lock the worker renews every `lockMs / 2`; a worker
 * killed with `kill -9` stops renewing, and the next stalled-job check (every `stalledMs`, run by any live
 * worker) puts the chunk back on the queue for another worker, at most `maxStalledCount` times.
 * @see https://docs.bullmq.io/guide/workers/stalled-jobs
 */
import { Redis } from 'ioredis';

/** The queue's name in Redis (keys `bull:gradeshift-score:*`). */
export const SCORE_QUEUE_NAME = 'gradeshift-score';

/** Lock and stalled-check timing of a worker. */
export interface QueueTiming {
  /** How long a chunk's lock lasts without renewal, in ms. @default 30000 */
  readonly lockMs: number;
  /** How often a worker looks for chunks whose lock expired, in ms. @default 15000 */
  readonly stalledMs: number;
}

/** The defaults: a killed worker's chunk is back on the queue within lockMs + stalledMs (45 s). */
export const DEFAULT_QUEUE_TIMING: QueueTiming = Object.freeze({
  lockMs: 30_000,
  stalledMs: 15_000,
});

/** Times a chunk may lose its worker before it fails for good. */
export const MAX_STALLED_COUNT = 3;
/** Attempts of a chunk whose scoring throws (e.g. a shared folder briefly unreadable). */
export const CHUNK_ATTEMPTS = 3;

/** @throws TypeError for a URL that is not `redis:` or `rediss:` */
function checkUrl(url: string): void {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new TypeError(`--queue must be a redis:// URL (got "${url}")`);
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:')
    throw new TypeError(`--queue must be a redis:// URL (got "${url}")`);
}

/**
 * Connects to Redis for BullMQ, after checking within `timeoutMs` that the server answers; the connection
 * returned reconnects on its own when the server goes away for a while.
 * @param url - `redis://[user:password@]host:port[/db]`
 * @throws TypeError for a URL that is not `redis:` or `rediss:`; Error naming the URL when Redis cannot be reached
 */
export async function openRedis(url: string, timeoutMs = 5000): Promise<Redis> {
  checkUrl(url);
  const probe = new Redis(url, {
    lazyConnect: true,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
  });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new Error(`cannot reach Redis at ${url} (${why}); is redis-server running?`, { cause });
  } finally {
    probe.disconnect();
  }
  // BullMQ's blocking commands need maxRetriesPerRequest: null.
  return new Redis(url, { maxRetriesPerRequest: null });
}

/**
 * @file The producer's wait: chunk completions come as queue events, and a poll of the chunks still pending
 * (every {@link POLL_MS}) catches any event missed while the connection was down; a chunk that fails for good
 * ends the wait with its reason.
 */
import { Job, type Queue, type QueueEvents } from 'bullmq';

import type { ProgressSink } from '../stages/progress';
import type { ChunkJobData, ChunkJobResult } from './chunk-job';

/** How often the pending chunks are polled, in ms. */
const POLL_MS = 2000;
/** Pending chunks looked at per poll. */
const POLL_BATCH = 200;

/** Options of {@link waitForChunks}. */
export interface WaitForChunksOptions {
  readonly queue: Queue<ChunkJobData, ChunkJobResult>;
  readonly events: QueueEvents;
  /** Job ids in input order. */
  readonly ids: readonly string[];
  /** Each chunk's range, in the same order. */
  readonly chunks: readonly { start: number; end: number }[];
  readonly progress?: ProgressSink | undefined;
  readonly signal?: AbortSignal | undefined;
}

function parseResult(value: unknown): ChunkJobResult {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  const r = parsed as Partial<ChunkJobResult> | null;
  if (
    r === null ||
    typeof r.file !== 'string' ||
    typeof r.sha256 !== 'string' ||
    typeof r.pairs !== 'number'
  )
    throw new Error(`a chunk job returned ${JSON.stringify(value)}, not a chunk result`);
  return r as ChunkJobResult;
}

/**
 * Waits until every chunk is done.
 * @returns each chunk's result, in input order
 * @throws Error when a chunk fails for good or disappears from the queue, or when `signal` aborts
 */
export function waitForChunks(options: WaitForChunksOptions): Promise<ChunkJobResult[]> {
  const { queue, events, ids, chunks, progress, signal } = options;
  const index = new Map(ids.map((id, i) => [id, i]));
  const results: (ChunkJobResult | undefined)[] = ids.map(() => undefined);
  const total = chunks.at(-1)?.end ?? 0;
  let done = 0;
  let rows = 0;
  let cursor = 0;
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    let finished = false;
    const end = (error?: Error): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      events.off('completed', onCompleted);
      signal?.removeEventListener('abort', onAbort);
      if (error === undefined) resolve(results as ChunkJobResult[]);
      else reject(error);
    };
    const record = (id: string, value: unknown): void => {
      const i = index.get(id);
      if (i === undefined || results[i] !== undefined || finished) return;
      try {
        results[i] = parseResult(value);
      } catch (error) {
        end(error as Error);
        return;
      }
      done++;
      rows += (chunks[i]?.end ?? 0) - (chunks[i]?.start ?? 0);
      progress?.({
        stage: 'score',
        message: `scoring on the queue, ${done}/${ids.length} chunks`,
        done: rows,
        total,
      });
      if (done === ids.length) end();
    };
    const failure = (id: string, reason: string): Error => {
      const c = chunks[index.get(id) ?? 0];
      return new Error(`chunk ${id} (pairs ${c?.start}–${(c?.end ?? 1) - 1}) failed: ${reason}`);
    };
    const check = async (id: string): Promise<void> => {
      const job = await Job.fromId<ChunkJobData, ChunkJobResult>(queue, id);
      if (job === undefined) throw new Error(`chunk ${id} is no longer on the queue`);
      if (job.finishedOn === undefined) return;
      if (job.returnvalue !== null && job.returnvalue !== undefined) record(id, job.returnvalue);
      else if ((await job.getState()) === 'failed') throw failure(id, job.failedReason);
    };
    const poll = async (): Promise<void> => {
      const pending = ids.filter((id) => results[index.get(id) ?? 0] === undefined);
      cursor = cursor % Math.max(1, pending.length);
      const batch = pending.slice(cursor, cursor + POLL_BATCH);
      cursor += POLL_BATCH;
      await Promise.all(batch.map(check));
    };
    const tick = (): void => {
      timer = setTimeout(() => {
        poll().then(
          () => !finished && tick(),
          (error: Error) => end(error),
        );
      }, POLL_MS);
    };
    function onCompleted(args: { jobId: string; returnvalue: unknown }): void {
      record(args.jobId, args.returnvalue);
    }
    function onAbort(): void {
      end(new Error('interrupted while waiting for the queue'));
    }
    events.on('completed', onCompleted);
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted === true) onAbort();
    if (ids.length === 0) end();
    else tick();
  });
}

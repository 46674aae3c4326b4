/**
 * The options of distributed scoring read from the command line: `score --queue`, `evaluate --queue` and
 * `gradeshift worker`.
 */
import { DEFAULT_CHUNK_PAIRS, DEFAULT_QUEUE_TIMING, MODEL_BATCH } from '@gradeshift/pipeline';

import type { OptionReader } from './option-reader';
import type { ScoreQueueArgs, WorkerArgs } from './parsed-command';

function readUrl(r: OptionReader): string | undefined {
  const url = r.string('queue');
  if (url !== undefined && !/^rediss?:\/\/./.test(url))
    r.fail(`--queue must be a redis:// URL (got "${url}")`);
  return url;
}

/**
 * `score`'s or `evaluate`'s `--queue` and `--chunk`; `undefined` without `--queue`.
 * @param outFile - `--out` must name a file (`score`: the chunks go beside it); `evaluate`'s is a folder with a
 * default
 */
export function readScoreQueue(r: OptionReader, outFile = true): ScoreQueueArgs | undefined {
  const url = readUrl(r);
  if (url === undefined) {
    if (r.has('chunk')) r.fail('--chunk needs --queue');
    return undefined;
  }
  const chunkPairs = r.integer('chunk', DEFAULT_CHUNK_PAIRS, { min: MODEL_BATCH });
  if (chunkPairs % MODEL_BATCH !== 0)
    r.fail(`--chunk must be a multiple of ${MODEL_BATCH} pairs (got ${chunkPairs})`);
  if (outFile && (r.string('out') === undefined || r.string('out') === '-'))
    r.fail(
      '--queue needs --out <file> on the shared folder (the workers write the chunks beside it)',
    );
  if (r.has('threads'))
    r.fail('--threads is a worker option with --queue (gradeshift worker --threads)');
  return { url, chunkPairs };
}

/** `gradeshift worker`. */
export function readWorker(r: OptionReader): WorkerArgs {
  return {
    url: readUrl(r) ?? r.fail('missing --queue <redis-url>'),
    threads: r.integer('threads', 0, { min: 0, max: 64 }),
    timing: {
      lockMs: r.integer('lock-ms', DEFAULT_QUEUE_TIMING.lockMs, { min: 100 }),
      stalledMs: r.integer('stalled-ms', DEFAULT_QUEUE_TIMING.stalledMs, { min: 100 }),
    },
  };
}

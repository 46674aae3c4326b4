/**
 * @file The backends of distributed scoring over `@gradeshift/pipeline`: `score --queue` over `queueScoreFile`
 * (the worker's is `runChunkWorker` as it is).
 */
import {
  queueScoreFile,
  type LoadPairsOptions,
  type QueueScoreFileResult,
  type RunChunkWorkerOptions,
} from '@gradeshift/pipeline';

import type { QueuedScoreOptions } from './backends';
import type { ScoreArgs } from './parsed-command';

/** What `score --queue` reports. */
export type QueuedScoreResult = QueueScoreFileResult;

/** Options of the worker backend. */
export type WorkerOptions = RunChunkWorkerOptions;

/** How `score` reads its pairs file: the mapped columns and the format. */
export function scoreLoadOptions(args: ScoreArgs): LoadPairsOptions {
  const columns = {
    query: args.columns.query,
    item: args.columns.item,
    ...(args.columns.id === undefined ? {} : { id: args.columns.id }),
  };
  return { columns, ...(args.format === undefined ? {} : { format: args.format }) };
}

/** `gradeshift score --queue` over `queueScoreFile`. */
export function queueScoreBackend(options: QueuedScoreOptions): Promise<QueuedScoreResult> {
  return queueScoreFile({
    modelDir: options.modelDir,
    path: options.path,
    load: scoreLoadOptions(options),
    out: options.out,
    url: options.queue.url,
    chunkPairs: options.queue.chunkPairs,
    signal: options.signal,
    ...(options.progress === undefined ? {} : { progress: options.progress }),
  });
}

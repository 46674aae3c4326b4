/**
 * Distributed batch scoring on a BullMQ queue: the producers (`score --queue`, `evaluate --queue`) and the worker.
 */
export {
  DEFAULT_CHUNK_PAIRS,
  MODEL_BATCH,
  checkChunkPairs,
  type ChunkJobData,
  type ChunkJobResult,
} from './chunk-job';
export { bundleSha256 } from './chunk-scorer';
export {
  queueEvaluateBundle,
  type QueueBundleEvaluation,
  type QueueEvaluateBundleOptions,
} from './queue-evaluate-bundle';
export {
  queueScoreFile,
  type QueueScoreFileOptions,
  type QueueScoreFileResult,
} from './queue-score-file';
export {
  DEFAULT_QUEUE_TIMING,
  openRedis,
  SCORE_QUEUE_NAME,
  type QueueTiming,
} from './queue-settings';
export { runChunkWorker, type ChunkLogEvent, type RunChunkWorkerOptions } from './run-chunk-worker';

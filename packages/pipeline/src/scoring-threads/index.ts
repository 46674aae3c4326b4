/**
 * Scoring threads: worker threads that each hold model bundles and score pairs, for files scored on several
 * cores ({@link startScoringThreads}) and for the API's scoring pool (the thread handles below).
 */
export {
  defaultScoringThreads,
  startScoringThreads,
  type ScoringThreads,
  type StartScoringThreadsOptions,
} from './start-scoring-threads';
export {
  callThread,
  closePoolThread,
  loadAcrossThreads,
  loadEncoderAcrossThreads,
  loadInThread,
  pickThread,
  startPoolThread,
  type PoolThread,
  type ThreadAnswer,
} from './pool-thread';
export {
  reviveThreadError,
  toThreadError,
  type ThreadCall,
  type ThreadError,
  type ThreadLoadSettings,
  type ThreadResponse,
  type WireScores,
} from './thread-messages';

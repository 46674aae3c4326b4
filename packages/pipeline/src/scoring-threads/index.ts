/**
 * Scoring threads: worker threads that each hold a model bundle and score chunks of pairs, for files scored on
 * several cores.
 */
export {
  defaultScoringThreads,
  startScoringThreads,
  type ScoringThreads,
  type StartScoringThreadsOptions,
} from './start-scoring-threads';
export { reviveThreadError, toThreadError, type ThreadError } from './thread-messages';

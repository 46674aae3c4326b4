/**
 * Pretrained word vectors for the model build (Node only): the wink JSON loader, derived sub-word bucket
 * vectors, the binary cache and the scorer's frozen embedding matrix.
 */
export {
  EMBEDDING_CACHE_VERSION,
  embeddingCacheKey,
  embeddingCachePath,
  readEmbeddingCache,
  writeEmbeddingCache,
  type CacheMissReason,
  type EmbeddingCacheKeyInput,
  type ReadCacheResult,
} from './embedding-cache';
export { buildEmbeddingMatrix, type EmbeddingMatrix } from './embedding-matrix';
export {
  loadEmbeddingTable,
  type LoadedEmbeddingTable,
  type LoadEmbeddingTableOptions,
} from './load-embedding-table';
export {
  scanWinkJson,
  type ScanProgress,
  type ScanWinkJsonOptions,
  type WinkScan,
} from './scan-wink-json';
export {
  DEFAULT_MAX_WORDS_PER_BUCKET,
  deriveSubwordVectors,
  subwordVector,
} from './subword-vectors';
export type {
  EmbeddingSource,
  EmbeddingTable,
  SubwordSettings,
  SubwordVectors,
  WordVectors,
} from './types';
export {
  describeEmbeddingSource,
  loadWordVectors,
  WINK_PACKAGE,
  winkPackageFile,
  type LoadedWordVectors,
  type LoadProgress,
  type LoadWordVectorsOptions,
} from './word-vectors';

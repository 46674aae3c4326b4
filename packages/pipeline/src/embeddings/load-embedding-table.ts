/**
 * The model build's entry to pretrained vectors: the pruned {@link EmbeddingTable} from the cache when a valid
 * file exists, otherwise from the wink JSON (then cached).
 */
import {
  embeddingCacheKey,
  embeddingCachePath,
  readEmbeddingCache,
  writeEmbeddingCache,
  type CacheMissReason,
} from './embedding-cache';
import { DEFAULT_MAX_WORDS_PER_BUCKET, deriveSubwordVectors } from './subword-vectors';
import type { EmbeddingTable } from './types';
import {
  describeEmbeddingSource,
  loadWordVectors,
  winkPackageFile,
  type LoadProgress,
} from './word-vectors';

/** Options for {@link loadEmbeddingTable}. */
export interface LoadEmbeddingTableOptions {
  /** The corpus vocabulary (e.g. `vocabulary.tokens`; the reserved `<pad>`/`<unk>` simply have no vector). */
  vocabulary: Iterable<string>;
  /** Directory of cache files, e.g. `<runs>/.cache/embeddings`. */
  cacheDir: string;
  /** Bucket layout: must equal the vocabulary's `subwords` ({ buckets, minN, maxN }). */
  subwords: { buckets: number; minN: number; maxN: number };
  /** @default 64 (see `deriveSubwordVectors`) */
  maxWordsPerBucket?: number;
  /** The wink JSON. @default the installed package's file */
  path?: string;
  /** Progress of a rebuild. @default undefined */
  onProgress?: (
    progress: LoadProgress | { phase: 'subwords' | 'write'; done: number; total: number },
  ) => void;
}

/** Result of {@link loadEmbeddingTable}. */
export interface LoadedEmbeddingTable {
  readonly table: EmbeddingTable;
  readonly cacheFile: string;
  readonly fromCache: boolean;
  /** Why the cache was not used (when `fromCache` is false). */
  readonly rebuildReason?: CacheMissReason;
  /** Vocabulary words without a pretrained vector (in vocabulary order). */
  readonly missing: readonly string[];
  /** Why the rebuilt table could not be cached (the table is still returned). */
  readonly cacheWriteError?: string;
}

function missingWords(vocabulary: ReadonlySet<string>, table: EmbeddingTable): string[] {
  const found = new Set(table.words);
  return [...vocabulary].filter((w) => !found.has(w));
}

/**
 * Loads the pruned embedding table, from the cache when possible. A missing, corrupt, truncated or stale cache
 * file is rebuilt from the wink JSON and rewritten atomically; a failed write is reported in `cacheWriteError`.
 * @param options - vocabulary, cache directory, bucket layout, source path, progress
 * @returns the table, the cache file and whether it came from the cache
 * @throws Error when the cache is unusable and the wink JSON cannot be read or parsed
 * @example const { table } = await loadEmbeddingTable({ vocabulary: vocab.tokens, cacheDir, subwords: vocab.subwords! })
 */
export async function loadEmbeddingTable(
  options: LoadEmbeddingTableOptions,
): Promise<LoadedEmbeddingTable> {
  const { cacheDir, onProgress, maxWordsPerBucket = DEFAULT_MAX_WORDS_PER_BUCKET } = options;
  const path = options.path ?? winkPackageFile().path;
  const vocabulary = new Set(options.vocabulary);
  const source = await describeEmbeddingSource(path);
  const subwordSettings = { ...options.subwords, maxWordsPerBucket };
  const key = embeddingCacheKey({ source, vocabulary, subwords: subwordSettings });
  const cacheFile = embeddingCachePath(cacheDir, { source, key });
  const cached = readEmbeddingCache(cacheFile, key);
  if (cached.ok)
    return {
      table: cached.table,
      cacheFile,
      fromCache: true,
      missing: missingWords(vocabulary, cached.table),
    };

  const words = await loadWordVectors({
    path,
    vocabulary,
    ...(onProgress === undefined ? {} : { onProgress }),
  });
  onProgress?.({ phase: 'subwords', done: 0, total: 1 });
  const subwords = deriveSubwordVectors(words, subwordSettings);
  const table: EmbeddingTable = {
    source,
    dims: words.dims,
    words: words.words,
    vectors: words.vectors,
    subwords,
  };
  onProgress?.({ phase: 'write', done: 0, total: 1 });
  const result = {
    table,
    cacheFile,
    fromCache: false,
    rebuildReason: cached.reason,
    missing: words.missing,
  };
  try {
    writeEmbeddingCache(cacheFile, table, key);
  } catch (error) {
    // The cache is an optimisation: a read-only or full disk must not fail the build.
    return { ...result, cacheWriteError: (error as Error).message };
  }
  return result;
}

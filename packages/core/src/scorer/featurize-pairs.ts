/**
 * From raw (query, item) strings to the scorer's input: the single featurisation path shared by training
 * (pipeline), server scoring (API, onnxruntime-node) and in-browser scoring (dashboard, onnxruntime-web),
 * so the three can never drift apart.
 */
import { encodeTokens } from '../features/encode';
import { prepareText, type PrepareTextOptions } from '../features/prepare-text';
import { TERM_MATCH_FEATURE_COUNT, termMatchFeatures } from '../features/term-match';
import type { TermStatistics } from '../features/term-statistics';
import { createTermWeighting } from '../features/term-weighting';
import type { Vocabulary } from '../features/vocabulary';
import { weightText, type WeightedText } from '../features/weighted-text';
import { assertFinite } from '../math/check';
import { emptyScorerBatch, packTokenSlots } from './pack-token-slots';
import type { ScorerBatch, ScorerConfig } from './types';

/** A raw pair of texts. */
export interface TextPair {
  readonly query: string;
  readonly item: string;
}

/** Options for {@link createPairFeaturizer}. */
export interface PairFeaturizerOptions {
  /** The vocabulary (with its sub-word layout) the embedding table was built for. */
  vocabulary: Vocabulary;
  /** Slot sizes (Lq, Lt, S) and F. */
  config: ScorerConfig;
  /** Text preparation (tokenizer, stop words); must equal the one used at training time. @default {} */
  prepare?: PrepareTextOptions;
  /**
   * Document frequencies of the training texts for the IDF-weighted lexical features (`buildTermStatistics`;
   * restore a stored copy with `termStatisticsFromJson`). Training and serving must pass the same object.
   * @default undefined (every term weighs 1)
   */
  statistics?: TermStatistics;
  /**
   * Most distinct texts whose preparation is memoised (a data set repeats queries and titles many times), and
   * most distinct (query, item) pairs whose term-match features are memoised (training featurises the ID pairs
   * again for every fine-tuning run), and most distinct tokens whose embedding rows are memoised. Each memo is
   * dropped whole when it fills, so memory stays bounded in a long-running server. @default 200000
   */
  memoSize?: number;
}

/** One side's slots of a text, packed once ({@link packTokenSlots}) and copied into each batch row. */
type PackedSlots = ReturnType<typeof packTokenSlots>;

interface PreparedEntry {
  readonly tokens: readonly string[];
  readonly text: WeightedText;
  /** Packed when the text is first used as a query / as an item. */
  query: PackedSlots | undefined;
  item: PackedSlots | undefined;
  /** Term-match features of this text as a query, by item entry; valid while `pairsGeneration` is current. */
  pairs: Map<PreparedEntry, Float32Array> | undefined;
  pairsGeneration: number;
}

/** Featurises pairs into {@link ScorerBatch}es. */
export interface PairFeaturizer {
  /** Featurises pairs, in order. */
  featurize(pairs: readonly TextPair[]): ScorerBatch;
  /** Featurises one query against many items (the query is prepared once). */
  featurizeQuery(query: string, items: readonly string[]): ScorerBatch;
}

/**
 * Creates a featuriser: each text is prepared (tokens, numbers, trigrams) and weighed (IDF, TF-IDF vectors)
 * once, and encoded and packed into embedding-row slots once per role (query or item) with the config's sizes;
 * the term-match features are computed per pair. A batch is then row copies (what `packScorerBatch` would pack).
 * @example createPairFeaturizer({ vocabulary, config }).featurize([{ query: 'deck over', item: 'BEHR DeckOver' }])
 */
export function createPairFeaturizer(options: PairFeaturizerOptions): PairFeaturizer {
  const { vocabulary, config, prepare = {}, memoSize = 200_000, statistics } = options;
  const weighting = createTermWeighting(statistics);
  const { maxQueryTokens: lq, maxItemTokens: lt, slots, lexicalDim: f } = config;
  if (f !== TERM_MATCH_FEATURE_COUNT) {
    throw new RangeError(
      `config.lexicalDim must equal the ${TERM_MATCH_FEATURE_COUNT} term-match features (got ${f})`,
    );
  }
  const memo = new Map<string, PreparedEntry>();
  // Pair features live on the query's entry, keyed by the item's entry (entries are unique per text while the
  // text memo holds them; a dropped entry takes its pairs with it). Filling the pair memo starts a new generation,
  // which empties every entry's pairs lazily.
  let generation = 0;
  let pairCount = 0;
  const lexicalOf = (q: PreparedEntry, t: PreparedEntry): Float32Array => {
    if (q.pairsGeneration === generation) {
      const hit = q.pairs?.get(t);
      if (hit !== undefined) return hit;
    }
    const value = termMatchFeatures(q.text, t.text) as Float32Array;
    if (pairCount >= memoSize) {
      generation++;
      pairCount = 0;
    }
    if (q.pairs === undefined || q.pairsGeneration !== generation) {
      q.pairs = new Map();
      q.pairsGeneration = generation;
    }
    q.pairs.set(t, value);
    pairCount++;
    return value;
  };
  const entry = (text: string): PreparedEntry => {
    const hit = memo.get(text);
    if (hit !== undefined) return hit;
    const prepared = prepareText(text, prepare);
    const value: PreparedEntry = {
      tokens: prepared.tokens,
      text: weightText(prepared, weighting),
      query: undefined,
      item: undefined,
      pairs: undefined,
      pairsGeneration: -1,
    };
    if (memo.size >= memoSize) memo.clear();
    memo.set(text, value);
    return value;
  };
  // A token's embedding rows depend on the token alone, so each distinct token is encoded once (an unknown word
  // hashes its char n-grams); the memo is dropped whole when it fills.
  const tokenRows = new Map<string, readonly number[]>();
  const rowsOf = (token: string): readonly number[] => {
    const hit = tokenRows.get(token);
    if (hit !== undefined) return hit;
    const rows = encodeTokens(vocabulary, [token], { maxLength: 1, maxSubwordIds: slots }).slots[0];
    if (rows === undefined) throw new RangeError(`token ${JSON.stringify(token)} has no rows`);
    if (tokenRows.size >= memoSize) tokenRows.clear();
    tokenRows.set(token, rows);
    return rows;
  };
  const packed = (tokens: readonly string[], maxTokens: number): PackedSlots => {
    const kept = Math.min(tokens.length, maxTokens);
    const rows: (readonly number[])[] = [];
    for (let i = 0; i < kept; i++) rows.push(rowsOf(tokens[i] ?? ''));
    return packTokenSlots(rows, { maxTokens, slots });
  };
  const featurize = (pairs: readonly TextPair[]): ScorerBatch => {
    const b = pairs.length;
    const batch = emptyScorerBatch(b, config);
    for (let r = 0; r < b; r++) {
      const pair = pairs[r];
      if (typeof pair?.query !== 'string' || typeof pair.item !== 'string') {
        throw new TypeError(`pairs[${r}] must have string query and item`);
      }
      const q = entry(pair.query);
      const t = entry(pair.item);
      q.query ??= packed(q.tokens, lq);
      t.item ??= packed(t.tokens, lt);
      batch.queryIds.set(q.query.ids, r * lq * slots);
      batch.queryWeights.set(q.query.weights, r * lq * slots);
      batch.itemIds.set(t.item.ids, r * lt * slots);
      batch.itemWeights.set(t.item.weights, r * lt * slots);
      const lexical = lexicalOf(q, t);
      // The name is only built for a row that fails.
      for (const v of lexical)
        if (!Number.isFinite(v)) assertFinite(lexical, `pairs[${r}] term-match features`);
      batch.lexical.set(lexical, r * f);
    }
    return batch;
  };
  return {
    featurize,
    featurizeQuery: (query, items) => featurize(items.map((item) => ({ query, item }))),
  };
}

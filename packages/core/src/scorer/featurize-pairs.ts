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
import { packScorerBatch } from './pack-token-slots';
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
   * again for every fine-tuning run). Each memo is dropped whole when it fills, so memory stays bounded in a
   * long-running server. @default 200000
   */
  memoSize?: number;
}

interface PreparedEntry {
  readonly text: WeightedText;
  readonly slotsQuery: readonly (readonly number[])[];
  readonly slotsItem: readonly (readonly number[])[];
}

/** Featurises pairs into {@link ScorerBatch}es. */
export interface PairFeaturizer {
  /** Featurises pairs, in order. */
  featurize(pairs: readonly TextPair[]): ScorerBatch;
  /** Featurises one query against many items (the query is prepared once). */
  featurizeQuery(query: string, items: readonly string[]): ScorerBatch;
}

/**
 * Creates a featuriser: each text is prepared (tokens, numbers, trigrams), weighed (IDF, TF-IDF vectors) and
 * encoded into embedding-row slots once, the term-match features are computed per pair, and the slots are
 * packed with the config's sizes.
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
  // Pair features by (query entry, item entry): entries are unique per text while the text memo holds them, and
  // a WeakMap lets a dropped entry's pairs go with it.
  let pairMemo = new WeakMap<PreparedEntry, Map<PreparedEntry, Float32Array>>();
  let pairCount = 0;
  const lexicalOf = (q: PreparedEntry, t: PreparedEntry): Float32Array => {
    let row = pairMemo.get(q);
    const hit = row?.get(t);
    if (hit !== undefined) return hit;
    const value = termMatchFeatures(q.text, t.text) as Float32Array;
    if (pairCount >= memoSize) {
      pairMemo = new WeakMap();
      pairCount = 0;
      row = undefined;
    }
    if (row === undefined) {
      row = new Map();
      pairMemo.set(q, row);
    }
    row.set(t, value);
    pairCount++;
    return value;
  };
  const entry = (text: string): PreparedEntry => {
    const hit = memo.get(text);
    if (hit !== undefined) return hit;
    const prepared = prepareText(text, prepare);
    const value: PreparedEntry = {
      text: weightText(prepared, weighting),
      slotsQuery: encodeTokens(vocabulary, prepared.tokens, { maxLength: lq, maxSubwordIds: slots })
        .slots,
      slotsItem: encodeTokens(vocabulary, prepared.tokens, { maxLength: lt, maxSubwordIds: slots })
        .slots,
    };
    if (memo.size >= memoSize) memo.clear();
    memo.set(text, value);
    return value;
  };
  const featurize = (pairs: readonly TextPair[]): ScorerBatch =>
    packScorerBatch(
      pairs.map((pair, r) => {
        if (typeof pair.query !== 'string' || typeof pair.item !== 'string') {
          throw new TypeError(`pairs[${r}] must have string query and item`);
        }
        const q = entry(pair.query);
        const t = entry(pair.item);
        return {
          query: q.slotsQuery,
          item: t.slotsItem,
          lexical: lexicalOf(q, t),
        };
      }),
      config,
    );
  return {
    featurize,
    featurizeQuery: (query, items) => featurize(items.map((item) => ({ query, item }))),
  };
}

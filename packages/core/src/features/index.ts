/**
 * Features: the product-search tokenizer, the vocabulary with hashed char n-gram buckets, and the lexical
 * term-match signals of a (query, item) pair. Platform-neutral; the browser runs the same code.
 */
export { countTokens, buildVocabulary, type BuildVocabularyOptions } from './build-vocabulary';
export {
  charNgramIds,
  DEFAULT_MAX_N,
  DEFAULT_MIN_N,
  fnv1a32,
  FNV1A32_OFFSET,
  FNV1A32_PRIME,
  type CharNgramOptions,
} from './char-ngrams';
export { charTrigramKeys, jaccardSorted } from './char-trigrams';
export { damerauLevenshtein, type DamerauLevenshteinOptions } from './damerau-levenshtein';
export {
  DEFAULT_MAX_LENGTH,
  DEFAULT_MAX_SUBWORD_IDS,
  encodeTokens,
  type EncodedTokens,
  type EncodeOptions,
} from './encode';
export { DEFAULT_MAX_INPUT_LENGTH, normalizeText, type NormalizeOptions } from './normalize';
export { isNumberToken, numberTokenValue } from './number-token';
export {
  DEFAULT_PREPARE_MAX_TOKENS,
  prepareText,
  type PreparedText,
  type PrepareTextOptions,
} from './prepare-text';
export { PAD_ID, PAD_TOKEN, UNK_ID, UNK_TOKEN } from './special-tokens';
export { DEFAULT_STOP_WORDS } from './stop-words';
export { createTermWeighting, type TermWeighting } from './term-weighting';
export {
  TERM_MATCH_FEATURE_COUNT,
  TERM_MATCH_FEATURE_NAMES,
  termMatchFeatureMatrix,
  termMatchFeatures,
  type TermMatchFeatureName,
  type TermMatchOptions,
  type TermMatchPair,
} from './term-match';
export {
  buildTermStatistics,
  termStatisticsFromJson,
  type BuildTermStatisticsOptions,
  type TermStatistics,
} from './term-statistics';
export {
  fuzzyTolerance,
  MATCH_EXACT,
  MATCH_FUZZY,
  MATCH_NONE,
  MATCH_PREFIX,
  matchLevel,
  MIN_PREFIX_LENGTH,
} from './token-match';
export { DEFAULT_MAX_TOKENS, tokenize, type TokenizeOptions } from './tokenize';
export { UNIT_ALIASES, UNIT_MARKS, UNIT_PREFIXES } from './units';
export {
  createVocabulary,
  vocabularyFromJson,
  type CreateVocabularyOptions,
  type SubwordConfig,
  type Vocabulary,
  type VocabularyJson,
} from './vocabulary';

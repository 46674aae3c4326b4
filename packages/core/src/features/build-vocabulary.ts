/**
 * Building a {@link Vocabulary} from corpus token counts: frequent tokens get ids, in a deterministic order.
 */
import { assertInteger } from '../math/check';
import { PAD_TOKEN, UNK_TOKEN } from './special-tokens';
import { createVocabulary, type SubwordConfig, type Vocabulary } from './vocabulary';

/**
 * Counts tokens over documents.
 * @param documents - token lists, e.g. the tokenised queries and titles of the training split
 * @returns token → count
 * @example countTokens([['angle', 'bracket'], ['angle']]).get('angle') // 2
 */
export function countTokens(documents: Iterable<readonly string[]>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const doc of documents) {
    for (const token of doc) counts.set(token, (counts.get(token) ?? 0) + 1);
  }
  return counts;
}

/** Options for {@link buildVocabulary}. */
export interface BuildVocabularyOptions {
  /** Tokens seen fewer times are left out (they fall back to sub-word buckets). @default 1 */
  minCount?: number;
  /** Most ids in total, the 2 reserved ids included. @default Infinity */
  maxSize?: number;
  /** Sub-word buckets for unknown tokens. @default undefined */
  subwords?: SubwordConfig;
}

/**
 * Builds a vocabulary from token counts: ids 0 and 1 are reserved (`<pad>`, `<unk>`), then tokens with
 * count ≥ `minCount` by decreasing count, ties broken by code-unit order of the token, so the same counts
 * give the same ids on every platform. The reserved spellings are never counted as corpus tokens.
 * @param counts - token → count (finite, ≥ 0)
 * @param options - min count, max size and sub-word buckets
 * @returns the vocabulary
 * @throws RangeError for a bad option or count
 * @example buildVocabulary(countTokens(docs), { minCount: 2, subwords: { buckets: 32768, minN: 3, maxN: 5 } })
 * @see https://fasttext.cc/docs/en/options.html (`-minCount`, `-bucket`, `-minn`, `-maxn`)
 */
export function buildVocabulary(
  counts: ReadonlyMap<string, number>,
  options: BuildVocabularyOptions = {},
): Vocabulary {
  const { minCount = 1, maxSize = Infinity, subwords } = options;
  assertInteger(minCount, 'options.minCount', { min: 0 });
  if (maxSize !== Infinity) assertInteger(maxSize, 'options.maxSize', { min: 2 });
  const entries: [string, number][] = [];
  for (const [token, count] of counts) {
    if (!Number.isFinite(count) || count < 0)
      throw new RangeError(`counts of "${token}" must be finite and ≥ 0 (got ${count})`);
    if (
      count >= minCount &&
      count > 0 &&
      token !== '' &&
      token !== PAD_TOKEN &&
      token !== UNK_TOKEN
    )
      entries.push([token, count]);
  }
  entries.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const kept = entries.slice(0, Math.max(0, maxSize - 2)).map(([token]) => token);
  const tokens = [PAD_TOKEN, UNK_TOKEN, ...kept];
  return createVocabulary(subwords === undefined ? { tokens } : { tokens, subwords });
}

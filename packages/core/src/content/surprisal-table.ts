/**
 * The per-row surprisal table of the content space: how unexpected each embedding row's word is in the ID
 * training texts. A word in `d` of the N distinct ID-train texts has surprisal ln((N + 1) / (d + 1)) (the
 * smoothed inverse document frequency, a unigram surprisal over documents); an unknown word (its sub-word
 * bucket rows, the `<unk>` id) or a word of the vocabulary that ID train never saw has the largest value
 * ln(N + 1). Built from the ID-train term statistics only, so it never learns from shifted traffic.
 *
 * The pair surprisal also reads a per-row weight table ({@link buildPairWeightTable}) that leaves out the number
 * and unit words of the vocabulary.
 */
import type { TermStatistics } from '../features/term-statistics';
import type { Vocabulary } from '../features/vocabulary';
import { isNumberToken } from '../features/number-token';
import { PAD_ID } from '../features/special-tokens';
import { UNIT_ALIASES } from '../features/units';

/**
 * Surprisal of a word found in `documents` of `total` texts: ln((total + 1) / (documents + 1)).
 * @example tokenSurprisal(0, 99) // ln(100) ≈ 4.605, a word never seen
 * @see https://en.wikipedia.org/wiki/Tf%E2%80%93idf#Inverse_document_frequency (smoothed IDF)
 */
export function tokenSurprisal(documents: number, total: number): number {
  return Math.log((total + 1) / (documents + 1));
}

/**
 * Builds the table, one float32 value per embedding row (vocabulary ids, then sub-word buckets).
 * @param options - the vocabulary whose rows the table follows and the ID-train term statistics
 * @returns `vocabulary.embeddingRows` values; the padding row holds 0 (it is masked out anyway)
 * @throws RangeError for statistics that count no document
 * @example buildSurprisalTable({ vocabulary, statistics })[vocabulary.idOf('bracket')]
 */
export function buildSurprisalTable(options: {
  vocabulary: Vocabulary;
  statistics: TermStatistics;
}): Float32Array {
  const { vocabulary, statistics } = options;
  const total = statistics.documents;
  if (!(total > 0))
    throw new RangeError(`statistics.documents must be > 0 (got ${total}); fit on ID-train texts`);
  const documentsOf = new Map<string, number>();
  statistics.words.forEach((w, i) => documentsOf.set(w, statistics.wordDocuments[i] ?? 0));
  const unseen = tokenSurprisal(0, total);
  const table = new Float32Array(vocabulary.embeddingRows).fill(unseen);
  for (let id = 0; id < vocabulary.size; id++) {
    const documents = documentsOf.get(vocabulary.tokens[id] ?? '');
    if (documents !== undefined) table[id] = tokenSurprisal(documents, total);
  }
  table[PAD_ID] = 0;
  return table;
}

/**
 * Canonical unit words (`UNIT_ALIASES`' targets, the two-word prefixes `square` / `cubic` among them): like number tokens, they say how
 * big an item is, not what it is, so the pair surprisal leaves them out.
 */
const UNIT_WORDS: ReadonlySet<string> = new Set(UNIT_ALIASES.values());

/**
 * Builds the per-row weight table of the pair surprisal (`ood_pair_surprisal`): 1 for a row whose word says what
 * the traffic is about, 0 for the padding row, the number tokens (`12`, `3/4`, `2.5`) and the canonical unit words
 * (`inch`, `gallon`) of the vocabulary. Sub-word bucket rows (unknown words) keep 1: the graph cannot tell an
 * unknown number from an unknown word.
 * @param vocabulary - the vocabulary whose rows the table follows
 * @returns `vocabulary.embeddingRows` values in {0, 1}
 * @example buildPairWeightTable(vocabulary)[vocabulary.idOf('3/4')] // 0
 */
export function buildPairWeightTable(vocabulary: Vocabulary): Float32Array {
  const table = new Float32Array(vocabulary.embeddingRows).fill(1);
  for (let id = 0; id < vocabulary.size; id++) {
    const token = vocabulary.tokens[id] ?? '';
    if (isNumberToken(token) || UNIT_WORDS.has(token)) table[id] = 0;
  }
  table[PAD_ID] = 0;
  return table;
}

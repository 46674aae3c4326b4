/**
 * The per-row surprisal table of the content space: how unexpected each embedding row's word is in the ID
 * training texts. A word in `d` of the N distinct ID-train texts has surprisal ln((N + 1) / (d + 1)) (the
 * smoothed inverse document frequency, a unigram surprisal over documents); an unknown word (its sub-word
 * bucket rows, the `<unk>` id) or a word of the vocabulary that ID train never saw has the largest value
 * ln(N + 1). Built from the ID-train term statistics only, so it never learns from shifted traffic.
 */
import type { TermStatistics } from '../features/term-statistics';
import type { Vocabulary } from '../features/vocabulary';
import { PAD_ID } from '../features/special-tokens';

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

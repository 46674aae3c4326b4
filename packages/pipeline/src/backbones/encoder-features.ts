/**
 * The features the encoder backbone's grade head reads for a query + item pair: the pooled query embedding q,
 * the item embedding d, q ⊙ d and |q − d| (the sentence-pair features of InferSent / SBERT), optionally followed
 * by the default scorer's term-match features (core's `TERM_MATCH_FEATURE_NAMES`, IDF-weighted with the
 * training texts' statistics). Each distinct text is embedded once.
 */
import {
  contentRows,
  createTermWeighting,
  embedPairTexts,
  termMatchFeatureMatrix,
  type EmbeddedPairTexts,
  type EncoderHeadBlock,
  type PairFeatureSource,
  type TermStatistics,
} from '@gradeshift/core';

import type { BackbonePair, BackboneScoreOptions } from './backbone';
import type { OpenEncoder } from './open-encoder';

/** Embedded pairs: the row of each pair's query and item in a text table, and the head's feature source. */
export interface EncodedPairs extends EmbeddedPairTexts {
  /** The head's input: the embedding blocks, then the term-match features when asked. */
  readonly source: PairFeatureSource;
}

/** Blocks of the head's input built from the query embedding q and the item embedding d (core's). */
export type EmbeddingBlock = EncoderHeadBlock;

/**
 * The blocks of the head's input unless told otherwise: on Home Depot's ID validation, cos(q, d), q ⊙ d and
 * |q − d| scored as well as q, d, q ⊙ d and |q − d| (0.5129 both, macro-F1 under fitted ordinal cut points) with a
 * third fewer inputs.
 */
export const DEFAULT_EMBEDDING_BLOCKS: readonly EmbeddingBlock[] = Object.freeze([
  'cosine',
  'product',
  'difference',
]);

/** The encoder features of a pair set and whether the term-match features are added. */
export interface EncoderFeatureSettings {
  /** Term statistics of the training texts: adds the term-match features; null leaves them out. */
  readonly lexical: TermStatistics | null;
  /** @default DEFAULT_EMBEDDING_BLOCKS */
  readonly blocks?: readonly EmbeddingBlock[];
}

/** Width of a block for embeddings of width `dim`. */
export const blockWidth = (block: EmbeddingBlock, dim: number): number =>
  block === 'cosine' ? 1 : dim;

/** Writes one block of a pair at `out[o…]`. */
function writeBlock(
  block: EmbeddingBlock,
  v: { data: Float32Array; q: number; d: number; dim: number },
  target: { out: Float64Array; o: number },
): void {
  const { data, q, d, dim } = v;
  const { out, o } = target;
  if (block === 'cosine') {
    // The embeddings are L2-normalised (sentence_embedding, or mean-pooled and normalised): cos = q·d.
    let s = 0;
    for (let k = 0; k < dim; k++) s += (data[q + k] ?? 0) * (data[d + k] ?? 0);
    out[o] = s;
    return;
  }
  for (let k = 0; k < dim; k++) {
    const a = data[q + k] ?? 0;
    const b = data[d + k] ?? 0;
    out[o + k] =
      block === 'q' ? a : block === 'd' ? b : block === 'product' ? a * b : Math.abs(a - b);
  }
}

/** The feature source over embedded texts and optional lexical rows. */
function pairSource(
  table: { dim: number; data: Float32Array },
  rows: { queryRow: Int32Array; itemRow: Int32Array },
  features: {
    blocks: readonly EmbeddingBlock[];
    lexical: { cols: number; data: Float32Array } | null;
  },
): PairFeatureSource {
  const { dim, data } = table;
  const { blocks, lexical } = features;
  const extra = lexical?.cols ?? 0;
  const width = blocks.reduce((w, b) => w + blockWidth(b, dim), 0);
  return {
    rows: rows.queryRow.length,
    cols: width + extra,
    fill(i, out) {
      const v = { data, dim, q: (rows.queryRow[i] ?? 0) * dim, d: (rows.itemRow[i] ?? 0) * dim };
      let o = 0;
      for (const block of blocks) {
        writeBlock(block, v, { out, o });
        o += blockWidth(block, dim);
      }
      if (lexical !== null)
        for (let k = 0; k < extra; k++) out[width + k] = lexical.data[i * extra + k] ?? 0;
    },
  };
}

/**
 * Embeds the distinct texts of some pairs (through the encoder's cache; core's `embedPairTexts`, the order the
 * encoder bundle scores in) and builds the head's feature source.
 * @returns the text table, each pair's rows in it, and the source
 */
export async function encodePairs(
  encoder: OpenEncoder,
  pairs: readonly BackbonePair[],
  settings: EncoderFeatureSettings & BackboneScoreOptions,
): Promise<EncodedPairs> {
  const embedded = await embedPairTexts(pairs, (texts) =>
    encoder.embed(texts, {
      ...(settings.progress === undefined ? {} : { progress: settings.progress }),
      ...(settings.signal === undefined ? {} : { signal: settings.signal }),
    }),
  );
  const lexical =
    settings.lexical === null
      ? null
      : termMatchFeatureMatrix(pairs, { weighting: createTermWeighting(settings.lexical) });
  return {
    ...embedded,
    source: pairSource({ dim: embedded.dim, data: embedded.texts }, embedded, {
      blocks: settings.blocks ?? DEFAULT_EMBEDDING_BLOCKS,
      lexical,
    }),
  };
}

/** The content space of embedded pairs: [q, d] per pair, `rows × 2·dim` (core's `contentRows`). */
export const contentSpace: (pairs: EncodedPairs) => { dim: number; data: Float32Array } =
  contentRows;

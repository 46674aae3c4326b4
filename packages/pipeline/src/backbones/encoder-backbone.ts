/**
 * Backbone (b): a frozen encoder's pooled query and item embeddings feed a grade head trained in TypeScript
 * (`trainGradeHead`, the graded loss). Spaces: `relevance`, the head's hidden layer; `content`, the query and
 * item embeddings [q, d].
 */
import {
  forwardGradeHead,
  type GradeHeadParams,
  type PairFeatureSource,
  type TermStatistics,
} from '@gradeshift/core';
import type { Gemm } from '@gradeshift/core/math';

import type { Backbone, BackbonePair, BackboneScoreOptions, BackboneScores } from './backbone';
import { contentSpace, encodePairs, type EmbeddingBlock } from './encoder-features';
import type { OpenEncoder } from './open-encoder';

/** A trained encoder head: its weights and the term statistics of its lexical features (null without). */
export interface EncoderHead {
  readonly head: GradeHeadParams;
  readonly lexical: TermStatistics | null;
  /** The embedding blocks of the head's input. @default DEFAULT_EMBEDDING_BLOCKS */
  readonly blocks?: readonly EmbeddingBlock[];
}

/** Rows per forward chunk between progress events. */
const CHUNK = 1024;

/** Runs the head over encoded pairs in chunks, with progress. */
export async function runHead(
  head: GradeHeadParams,
  source: PairFeatureSource,
  options: BackboneScoreOptions & { gemm?: Gemm } = {},
): Promise<{ logits: Float32Array; hidden: Float32Array }> {
  const n = source.rows;
  const logits = new Float32Array(n * head.grades);
  const hidden = new Float32Array(n * head.hidden);
  for (let start = 0; start < n; start += CHUNK) {
    options.signal?.throwIfAborted();
    const rows = Int32Array.from({ length: Math.min(CHUNK, n - start) }, (_, i) => start + i);
    const out = await forwardGradeHead(head, { source, rows }, options.gemm);
    logits.set(out.logits, start * head.grades);
    hidden.set(out.hidden, start * head.hidden);
    options.progress?.({
      stage: 'score',
      message: 'grade head',
      done: start + rows.length,
      total: n,
    });
  }
  return { logits, hidden };
}

/**
 * The encoder backbone over an opened encoder and a trained head.
 * @example const backbone = createEncoderBackbone(await openEncoder('models/minilm', { cacheDir }), trained);
 */
export function createEncoderBackbone(
  encoder: OpenEncoder,
  model: EncoderHead,
  options: { gemm?: Gemm } = {},
): Backbone {
  const gemmOption = options;
  return {
    kind: 'encoder',
    name: `encoder:${encoder.name}`,
    async score(
      pairs: readonly BackbonePair[],
      options: BackboneScoreOptions = {},
    ): Promise<BackboneScores> {
      const encoded = await encodePairs(encoder, pairs, {
        ...options,
        lexical: model.lexical,
        ...(model.blocks === undefined ? {} : { blocks: model.blocks }),
      });
      const { logits, hidden } = await runHead(model.head, encoded.source, {
        ...options,
        ...(gemmOption.gemm === undefined ? {} : { gemm: gemmOption.gemm }),
      });
      return {
        rows: pairs.length,
        grades: model.head.grades,
        logits,
        spaces: {
          relevance: { dim: model.head.hidden, data: hidden },
          content: contentSpace(encoded),
        },
      };
    },
    dispose: () => encoder.dispose(),
  };
}

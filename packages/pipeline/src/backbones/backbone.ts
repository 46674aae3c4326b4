/**
 * The backbone port: whatever turns query + item pairs into grade logits and named OOD feature spaces. The
 * built-in word-vector scorer, a frozen Hugging Face encoder with a trained grade head, and a cross-encoder
 * exported to ONNX each implement it; evaluation, detectors and the decision rule read only its output.
 */
import type { ProgressSink } from '../stages/progress';

/** One query + item pair to score. */
export interface BackbonePair {
  readonly query: string;
  readonly item: string;
}

/** A feature space for the OOD detectors: `rows × dim`, row-major. */
export interface BackboneSpace {
  readonly dim: number;
  readonly data: Float32Array;
}

/** What a backbone gives for a list of pairs, in input order. */
export interface BackboneScores {
  readonly rows: number;
  readonly grades: number;
  /** `rows × grades` grade logits, row-major. */
  readonly logits: Float32Array;
  /**
   * Named feature spaces for the OOD detectors, e.g. `relevance` (the grade head's hidden layer) and `content`
   * (the query and item embeddings).
   */
  readonly spaces: Readonly<Record<string, BackboneSpace>>;
}

/** Options of {@link Backbone.score}. */
export interface BackboneScoreOptions {
  readonly progress?: ProgressSink;
  readonly signal?: AbortSignal;
}

/** A relevance model behind one interface: pairs in, grade logits and feature spaces out. */
export interface Backbone {
  readonly kind: 'word-vector' | 'encoder' | 'cross-encoder';
  /** A short name for reports, e.g. `encoder:all-MiniLM-L6-v2`. */
  readonly name: string;
  /** Scores pairs; one row per pair, in input order. */
  score(pairs: readonly BackbonePair[], options?: BackboneScoreOptions): Promise<BackboneScores>;
  /** Releases sessions and memory; the backbone is unusable afterwards. */
  dispose(): Promise<void>;
}

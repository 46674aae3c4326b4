import type { ProgressSink } from '../stages/progress';

export interface BackbonePair {
  readonly query: string;
  readonly item: string;
}
export interface BackboneScores {
  readonly rows: number;
  readonly grades: number;
  readonly logits: Float32Array;
  readonly spaces: Readonly<Record<string, { readonly dim: number; readonly data: Float32Array }>>;
}
export interface Backbone {
  readonly kind: 'word-vector' | 'encoder' | 'cross-encoder';
  readonly name: string;
  score(
    pairs: readonly BackbonePair[],
    options?: { progress?: ProgressSink; signal?: AbortSignal },
  ): Promise<BackboneScores>;
  dispose(): Promise<void>;
}

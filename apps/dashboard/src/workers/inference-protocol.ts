/**
 * The messages between the Playground and its scoring worker (`inference-worker.ts`): plain data, so they pass
 * through `postMessage` as structured clones.
 */
import type { DecisionDescription } from '@gradeshift/core';

import type { ScoreRow } from '../lib/compare-scores';

/** Score these pairs (loading the model first, once per worker). */
export interface ScoreRequest {
  /** Matches the answer to its request. */
  readonly id: number;
  readonly query: string;
  readonly items: readonly string[];
}

/** The model the worker loaded. */
export interface LoadedModel {
  /**
   * A word-vector scorer bundle (one model.onnx), an encoder bundle (encoder + tokenizer + head) or a
   * cross-encoder bundle (model + tokenizer).
   */
  readonly kind: 'word-vector' | 'encoder' | 'cross-encoder';
  /**
   * The bundle's identity as the API reports its model's: sha256 of model.onnx, or of manifest.json for an encoder
   * or cross-encoder bundle (it lists the sha256 of every file, with the rule and detectors).
   */
  readonly sha256: string;
  /** Bytes of every file loaded: the manifest, the models, the tokenizer, the term statistics. */
  readonly modelBytes: number;
  readonly loadMs: number;
  /** Files read from the browser's cache instead of the network. */
  readonly cachedFiles: readonly string[];
  /** OOD scores computed outside the graph, by the detectors in the manifest. */
  readonly detectorScores: readonly string[];
  /** The bundle's grade names, lowest first. */
  readonly grades: readonly string[];
  /** The rule behind every predicted grade, as the API describes its own. */
  readonly decision: DecisionDescription;
}

/** How far the bundle's files have loaded (`total` null when the server sent no length). */
export interface LoadProgress {
  readonly file: string;
  readonly loaded: number;
  readonly total: number | null;
}

/** The scores, or why there are none. */
export type ScoreResponse =
  | {
      readonly id: number;
      readonly ok: true;
      readonly loaded: LoadedModel;
      readonly rows: readonly ScoreRow[];
      /** Per row, the OOD scores above their calibrated threshold. */
      readonly flagged: readonly (readonly string[])[];
      readonly scoreMs: number;
    }
  | { readonly id: number; readonly ok: false; readonly message: string };

/** What the worker posts: progress while the bundle loads, then the answer. */
export type WorkerMessage =
  ScoreResponse | { readonly id: number; readonly progress: LoadProgress };

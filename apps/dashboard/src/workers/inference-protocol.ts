/**
 * The messages between the Playground and its scoring worker (`inference-worker.ts`): plain data, so they pass
 * through `postMessage` as structured clones.
 */
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
  readonly sha256: string;
  readonly modelBytes: number;
  readonly loadMs: number;
  /** OOD scores computed outside the graph, by the detectors in the manifest. */
  readonly detectorScores: readonly string[];
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

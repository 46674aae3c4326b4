/**
 * What the Playground worker's loaders share: the scorer they return, what they are given, and the rows the
 * Playground's tables and `compareScores` read, built the same way from either kind of bundle's scores.
 */
import type { BundleOodResult } from '@gradeshift/core';

import type { ScoreRow } from '../lib/compare-scores';
import type { LoadedModel, LoadProgress } from './inference-protocol';

/** Scored pairs as the Playground shows them. */
export interface PlaygroundRows {
  readonly rows: ScoreRow[];
  /** Per row, the OOD scores above their calibrated threshold. */
  readonly flagged: string[][];
}

/** A loaded bundle, ready to score a query against items. */
export interface PlaygroundScorer {
  readonly loaded: LoadedModel;
  score(query: string, items: readonly string[]): Promise<PlaygroundRows>;
}

/** What a loader is given: the manifest's JSON, size and sha256, the progress sink, the load's start time. */
export interface LoaderContext {
  readonly manifest: unknown;
  readonly manifestBytes: number;
  /** sha256 of manifest.json (an encoder bundle's identity, as the API reports it); null without Web Crypto. */
  readonly manifestSha256: string | null;
  readonly onProgress: (progress: LoadProgress) => void;
  readonly startedAt: number;
}

/**
 * The Playground's rows of n scored pairs.
 * @param scores - probabilities (n × K), expected and predicted grades, and the OOD results by name
 * @param k - grades
 */
export function playgroundRows(
  scores: {
    readonly probs: ArrayLike<number>;
    readonly expected: ArrayLike<number>;
    readonly predicted: ArrayLike<number>;
    readonly ood: Iterable<readonly [string, BundleOodResult]>;
  },
  k: number,
): PlaygroundRows {
  const ood = [...scores.ood];
  const rows = Array.from({ length: scores.expected.length }, (_, i): ScoreRow => ({
    probs: Array.from({ length: k }, (_, c) => scores.probs[i * k + c] ?? Number.NaN),
    expected: scores.expected[i] ?? Number.NaN,
    predicted: scores.predicted[i] ?? -1,
    ood: Object.fromEntries(ood.map(([name, r]) => [name, r.score[i] ?? Number.NaN])),
    percentiles: Object.fromEntries(ood.map(([name, r]) => [name, r.percentile[i] ?? Number.NaN])),
  }));
  const flagged = rows.map((_, i) => ood.filter(([, r]) => r.flag[i] === 1).map(([name]) => name));
  return { rows, flagged };
}

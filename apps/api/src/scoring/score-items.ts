/**
 * One query against a list of items through a served model: a single `scorePairs` call (one ONNX run per batch
 * of the model's batch size), turned into JSON-friendly rows in input order with each item's rank.
 */
import {
  describeDecision,
  type BundlePairScores,
  type DecisionDescription,
  type OodSpace,
} from '@gradeshift/core';

import type { ServedModel } from '../models/model-registry';

/** An item to score. */
export interface ItemInput {
  readonly id: string;
  readonly text: string;
}

/** One OOD score of one item. */
export interface ItemOodScore {
  /** Raw score (higher = more out-of-distribution). */
  readonly score: number;
  /** Fraction of held-out ID pairs scoring at most this, in [0, 1]. */
  readonly percentile: number;
  /** score > the bundle's calibrated threshold. */
  readonly ood: boolean;
}

/** One scored item. */
export interface ScoredItem {
  readonly id: string;
  /** 1 = best, by expected grade (ties: p(top grade), then input order). */
  readonly rank: number;
  /** Grade probabilities, lowest grade first (the response's `grades`). */
  readonly probs: number[];
  /** Σ_c c·p_c on the 0-based grade axis. */
  readonly expected: number;
  /** The predicted grade's name. */
  readonly predicted: string;
  /** The predicted grade's 0-based index. */
  readonly predictedIndex: number;
  /** The most probable grade's name (the arg-max; the list's `decision` says how `predicted` may differ). */
  readonly mostProbable: string;
  /** The most probable grade's 0-based index (ties to the lower grade). */
  readonly mostProbableIndex: number;
  /** OOD scores by detector name. */
  readonly ood: Record<string, ItemOodScore>;
}

/** Which model answered. */
export interface ModelRef {
  readonly id: string;
  /** 1 at start-up, +1 per reload. */
  readonly version: number;
  /** sha256 of model.onnx. */
  readonly sha256: string;
}

/** A scored list, in input order. */
export interface ScoredList {
  readonly model: ModelRef;
  /** Grade names, lowest first. */
  readonly grades: string[];
  /** Each OOD score's threshold and the share of held-out ID pairs it keeps. */
  readonly thresholds: Record<string, { threshold: number; tpr: number; space: OodSpace }>;
  /** The rule behind every `predicted`: its kind, name and a one-sentence explanation. */
  readonly decision: DecisionDescription;
  readonly items: ScoredItem[];
}

/** Six decimals keep every figure meaningful and halve the response size. */
const round = (x: number): number => Math.round(x * 1e6) / 1e6;

/** The reference of a served model. */
export function modelRef(model: ServedModel): ModelRef {
  return { id: model.id, version: model.version, sha256: model.sha256 };
}

/** The first non-finite entry of `values`, as `name[i]`, or undefined. */
function firstNonFinite(values: ArrayLike<number>, name: string): string | undefined {
  for (let i = 0; i < values.length; i++)
    if (!Number.isFinite(values[i])) return `${name}[${i}] = ${values[i]}`;
  return undefined;
}

/**
 * Refuses scores with a NaN or an infinity (JSON would turn them into null): an Error, so the client gets a 500.
 * @param scores - a model's answer
 * @param model - its id, for the message
 * @throws Error naming the first non-finite figure
 */
function assertFiniteScores(
  scores: { probs: Float32Array; expected: Float32Array; ood: BundlePairScores['ood'] },
  model: string,
): void {
  const bad =
    firstNonFinite(scores.probs, 'probs') ??
    firstNonFinite(scores.expected, 'expected') ??
    Object.entries(scores.ood)
      .map(
        ([name, o]) =>
          firstNonFinite(o.score, `ood.${name}.score`) ??
          firstNonFinite(o.percentile, `ood.${name}.percentile`),
      )
      .find((found) => found !== undefined);
  if (bad !== undefined) throw new Error(`model "${model}" returned a non-finite figure: ${bad}`);
}

/** Index of the largest of `k` values from `offset` (ties to the lower index). */
function argmaxAt(values: ArrayLike<number>, offset: number, k: number): number {
  let best = 0;
  for (let c = 1; c < k; c++)
    if ((values[offset + c] ?? 0) > (values[offset + best] ?? 0)) best = c;
  return best;
}

/**
 * Scores `items` against `query`.
 * @param model - a leased model
 * @param input - the query and the items
 * @returns the rows in input order, each with its rank
 * @throws Error when the model returns a non-finite figure
 */
export async function scoreItems(
  model: ServedModel,
  input: { query: string; items: readonly ItemInput[] },
): Promise<ScoredList> {
  const { query, items } = input;
  const scores = await model.scorer.scorePairs(
    query,
    items.map((item) => item.text),
  );
  assertFiniteScores(scores, model.id);
  const k = scores.grades.length;
  const ranks = new Uint32Array(scores.count);
  scores.rank.forEach((item, position) => {
    ranks[item] = position + 1;
  });
  const oodNames = Object.keys(scores.ood);
  const rows = items.map((item, i): ScoredItem => {
    const predictedIndex = scores.predicted[i] ?? 0;
    const mostProbableIndex = argmaxAt(scores.probs, i * k, k);
    const ood: Record<string, ItemOodScore> = {};
    for (const name of oodNames) {
      const o = scores.ood[name];
      if (o === undefined) continue;
      ood[name] = {
        score: round(o.score[i] ?? 0),
        percentile: round(o.percentile[i] ?? 0),
        ood: o.flag[i] === 1,
      };
    }
    return {
      id: item.id,
      rank: ranks[i] ?? 0,
      probs: Array.from(scores.probs.subarray(i * k, (i + 1) * k), round),
      expected: round(scores.expected[i] ?? 0),
      predicted: scores.grades[predictedIndex] ?? String(predictedIndex),
      predictedIndex,
      mostProbable: scores.grades[mostProbableIndex] ?? String(mostProbableIndex),
      mostProbableIndex,
      ood,
    };
  });
  const thresholds: ScoredList['thresholds'] = {};
  for (const name of oodNames) {
    const spec = model.manifest.ood?.[name];
    if (spec !== undefined)
      thresholds[name] = {
        threshold: spec.threshold.value,
        tpr: spec.threshold.tpr,
        space: spec.space,
      };
  }
  const decision = describeDecision(model.manifest.decision, scores.grades);
  return { model: modelRef(model), grades: [...scores.grades], thresholds, decision, items: rows };
}

/**
 * The same rows best first, cut to `topN`.
 * @param list - a scored list in input order
 * @param topN - rows to keep @default all
 */
export function rankedRows(list: ScoredList, topN = list.items.length): ScoredItem[] {
  return [...list.items].sort((a, b) => a.rank - b.rank).slice(0, topN);
}

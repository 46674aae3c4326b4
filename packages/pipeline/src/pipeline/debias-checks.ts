/**
 * The de-biasing step's checks on ID validation and on generated pairs: random (query, other-department item)
 * pairs that should all be graded irrelevant, and a candidate's validation figures under its own fitted rule.
 */
import {
  decideGrades,
  expectedCalibrationError,
  type GradeDecision,
  type ScorerParams,
} from '@gradeshift/core';

import { inferSplit } from '../stages/infer';
import { buildNegatives } from '../stages/negatives';
import { featurizeSplit, type PreparedSplit } from '../stages/prepare';
import { figuresUnderRule } from './debias-operating-point';
import { featurizeContext } from './debias-train';
import type { DebiasContext } from './debias-settings';
import type { DecisionRuleName } from './decision-rule';
import { DEFAULT_DECISION_RULE, fitDecision, type DecisionConstraint } from './evaluate-model';

/** Grade shares of a model's decisions on some pairs. */
export interface GradeShares {
  readonly pairs: number;
  /** Share of pairs per decided grade, lowest grade first. */
  readonly shares: number[];
  /** The same under arg-max (the most probable grade). */
  readonly argmax_shares: number[];
  /** The pairs decided the top grade (at most {@link TOP_PAIRS_KEPT}), to audit the generator. */
  readonly top_pairs: { query: string; item: string }[];
}

/** How many top-grade pairs a check keeps. */
export const TOP_PAIRS_KEPT = 20;

function sharesOf(grades: Int32Array, k: number): number[] {
  const counts = new Array<number>(k).fill(0);
  for (const g of grades) counts[g] = (counts[g] ?? 0) + 1;
  return counts.map((c) => c / Math.max(1, grades.length));
}

/**
 * Random (query, other-department item) pairs from the queries of `split`: every one should be graded irrelevant.
 * @param options - how many pairs (at least), the seed, the decision rule and the item catalogue
 */
export async function randomPairCheck(
  ctx: DebiasContext,
  params: ScorerParams,
  options: {
    split: PreparedSplit;
    pairs: number;
    decision: GradeDecision;
    catalogue: readonly string[];
  },
): Promise<GradeShares> {
  const { split, decision, catalogue } = options;
  const negatives = buildNegatives(split.pairs, {
    ratio: options.pairs / split.pairs.length,
    hardShare: 0,
    seed: ctx.seed + 1,
    catalogue,
    ...(ctx.departmentOf === undefined ? {} : { departmentOf: ctx.departmentOf }),
  });
  const prepared = featurizeSplit('random_pairs', negatives, featurizeContext(ctx.data));
  const outputs = await inferSplit(params, prepared.frozen, { gemm: ctx.gemm });
  const k = params.config.grades;
  const decided = decideGrades(outputs.probs, decision, { expected: outputs.expected });
  return {
    pairs: negatives.length,
    shares: sharesOf(decided, k),
    argmax_shares: sharesOf(outputs.predicted, k),
    top_pairs: negatives
      .filter((_, i) => decided[i] === k - 1)
      .slice(0, TOP_PAIRS_KEPT)
      .map(({ query, item }) => ({ query, item })),
  };
}

/**
 * Shuffled pairs of one split: each query with the title of another of the split's own items from another
 * department sharing no content word with it (the easy negatives of `buildNegatives`, drawn from the split's
 * items only), so a check on ID validation reads ID validation text alone. Every one should be graded irrelevant.
 * @param options - the split, how many pairs (at least) and the decision rule
 */
export async function shuffledPairCheck(
  ctx: DebiasContext,
  params: ScorerParams,
  options: { split: PreparedSplit; pairs: number; decision: GradeDecision },
): Promise<GradeShares> {
  const catalogue = [...new Set(options.split.pairs.map((p) => p.item))];
  return randomPairCheck(ctx, params, { ...options, catalogue });
}

/**
 * Validation figures of a candidate: macro-F1 and over-recall under its own fitted rule, ECE.
 * @param options - a constraint on the fit, and `rule`: the family fitted @default DEFAULT_DECISION_RULE
 */
export async function validationFigures(
  ctx: DebiasContext,
  params: ScorerParams,
  options: DecisionConstraint & { readonly rule?: DecisionRuleName } = {},
): Promise<{ macro_f1: number; over_recall: number; ece: number; decision: GradeDecision }> {
  const { idValidation } = ctx.data;
  const outputs = await inferSplit(params, idValidation.frozen, { gemm: ctx.gemm });
  const { decision } = fitDecision(
    { labels: idValidation.labels, outputs, grades: params.config.grades },
    options.rule ?? DEFAULT_DECISION_RULE,
    options,
  );
  return {
    ...figuresUnderRule(idValidation.labels, outputs, decision),
    ece: expectedCalibrationError(outputs.probs, idValidation.labels).ece,
    decision,
  };
}

/**
 * The capped operating point of issue 12 with a margin for the validation → test drift: the decision rule with the
 * highest ID-validation macro-F1 whose query-bootstrap upper bound of validation over-recall stays at or under the
 * target. A cap met only on the validation point estimate drifts above the target on test (0.35 on validation gave
 * 0.39–0.41 on ID test); the upper end of the bootstrap interval is the stated margin, chosen before any test
 * figure and computed on ID validation alone.
 */
import {
  bootstrapByQuery,
  classificationReport,
  confusionMatrix,
  decideGrades,
  overRecall,
  type GradeDecision,
  type ScorerParams,
} from '@gradeshift/core';
import type { Gemm } from '@gradeshift/core/math';

import { inferSplit, type SplitOutputs } from '../stages/infer';
import type { PreparedSplit } from '../stages/prepare';
import type { DecisionRuleName } from './decision-rule';
import { DEFAULT_DECISION_RULE, fitDecision } from './evaluate-model';

/** Options of {@link fitMarginOperatingPoint}. */
export interface MarginOperatingPointOptions {
  /** Over-recall the upper bound must not exceed. @default 0.35 */
  readonly target?: number;
  /** Level of the bootstrap interval whose upper end is compared. @default 0.95 */
  readonly level?: number;
  /** Query-bootstrap resamples. @default 1000 */
  readonly resamples?: number;
  /** Step by which the fitted cap is lowered until the upper bound meets the target. @default 0.005 */
  readonly step?: number;
  /** @default 0 */
  readonly seed?: number;
  /** The rule family fitted under each cap. @default DEFAULT_DECISION_RULE */
  readonly rule?: DecisionRuleName;
}

/** The chosen operating point and its validation figures. */
export interface MarginOperatingPoint {
  readonly decision: GradeDecision;
  /** The cap the rule was fitted under (≤ the target). */
  readonly cap: number;
  readonly target: number;
  readonly level: number;
  /** ID validation: macro-F1, over-recall and the upper end of its bootstrap interval. */
  readonly validation: {
    readonly macro_f1: number;
    readonly over_recall: number;
    readonly over_recall_upper: number;
  };
}

/** Validation labels, model outputs and the query of every pair. */
export interface ValidationOutputs {
  readonly labels: Int32Array;
  readonly outputs: SplitOutputs;
  readonly queries: readonly string[];
  readonly grades: number;
}

/** Macro-F1 and over-recall of a rule on one split. */
export interface OperatingPointFigures {
  readonly macro_f1: number;
  readonly over_recall: number;
}

/** Macro-F1 and over-recall of `decision` on a split's outputs. */
export function figuresUnderRule(
  labels: Int32Array,
  outputs: Pick<SplitOutputs, 'probs' | 'expected'>,
  decision: GradeDecision,
): OperatingPointFigures {
  const predicted = decideGrades(outputs.probs, decision, { expected: outputs.expected });
  const cm = confusionMatrix(labels, predicted, outputs.probs.cols);
  return { macro_f1: classificationReport(cm).macroF1, over_recall: overRecall(cm).overRecallRate };
}

/** Over-recall of `predicted` on a bootstrap sample: irrelevant pairs decided above grade 0. */
function sampleOverRecall(labels: Int32Array, predicted: Int32Array, indices: ArrayLike<number>) {
  let irrelevant = 0;
  let over = 0;
  for (let t = 0; t < indices.length; t++) {
    const i = indices[t] ?? 0;
    if (labels[i] !== 0) continue;
    irrelevant++;
    if ((predicted[i] ?? 0) > 0) over++;
  }
  return irrelevant === 0 ? 0 : over / irrelevant;
}

/**
 * The rule with the highest validation macro-F1 among those whose bootstrap upper bound of validation
 * over-recall is ≤ `target`: the rule family (`options.rule`, by default {@link DEFAULT_DECISION_RULE}, fitted by `fitDecision`) is
 * fitted under caps target, target − step, … until the bound holds (each fit maximises macro-F1 under its cap).
 * @throws RangeError for a target outside (0, 1] or a step ≤ 0; Error when no cap down to 0 meets the target
 */
export function fitMarginOperatingPoint(
  validation: ValidationOutputs,
  options: MarginOperatingPointOptions = {},
): MarginOperatingPoint {
  const { target = 0.35, level = 0.95, resamples = 1000, step = 0.005, seed = 0 } = options;
  const rule = options.rule ?? DEFAULT_DECISION_RULE;
  if (!(target > 0 && target <= 1))
    throw new RangeError(`options.target must be in (0, 1] (got ${target})`);
  if (!(step > 0)) throw new RangeError(`options.step must be > 0 (got ${step})`);
  const { labels, outputs, queries, grades } = validation;
  for (let cap = target; cap >= 0; cap -= step) {
    const { decision } = fitDecision({ labels, outputs, grades }, rule, {
      maxOverRecall: Math.max(0, cap),
    });
    const predicted = decideGrades(outputs.probs, decision, { expected: outputs.expected });
    const bound = bootstrapByQuery(
      queries,
      ({ indices }) => sampleOverRecall(labels, predicted, indices),
      { resamples, level, seed },
    );
    if (bound.upper > target) continue;
    const figures = figuresUnderRule(labels, outputs, decision);
    return {
      decision,
      cap: Math.max(0, cap),
      target,
      level,
      validation: { ...figures, over_recall_upper: bound.upper },
    };
  }
  throw new Error(`no decision rule keeps the validation over-recall bound under ${target}`);
}

/**
 * The margin operating point of a model ({@link fitMarginOperatingPoint} on its ID validation outputs) and its
 * figures on each test split, read once after the choice.
 * @param splits - test splits by name (ID test, OOD test, far-OOD test)
 */
export async function marginOperatingPointOf(
  model: { params: ScorerParams; gemm: Gemm; validation: PreparedSplit },
  splits: Readonly<Record<string, PreparedSplit>>,
  options: MarginOperatingPointOptions = {},
): Promise<MarginOperatingPoint & { splits: Record<string, OperatingPointFigures> }> {
  const { params, gemm, validation } = model;
  const grades = params.config.grades;
  const outputs = await inferSplit(params, validation.frozen, { gemm });
  const point = fitMarginOperatingPoint(
    { labels: validation.labels, outputs, queries: validation.queries, grades },
    options,
  );
  const figures: Record<string, OperatingPointFigures> = {};
  for (const [name, split] of Object.entries(splits)) {
    const out = await inferSplit(params, split.frozen, { gemm });
    figures[name] = figuresUnderRule(split.labels, out, point.decision);
  }
  return { ...point, splits: figures };
}

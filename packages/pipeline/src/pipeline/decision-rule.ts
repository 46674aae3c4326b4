/**
 * The decision rule behind a model's predicted grades, fitted on ID validation only to maximise validation
 * macro-F1: ordinal cut points on the expected grade (`fitOrdinalThresholds`) or per-grade offsets on the
 * log-probabilities (`fitGradeOffsets`), by default whichever does better there; and the point metrics of a
 * model on one split under such a rule.
 */
import {
  ARGMAX_DECISION,
  classificationReport,
  confusionMatrix,
  decideGrades,
  fitGradeOffsets,
  fitOrdinalThresholds,
  fitThresholdsWithLowestOverride,
  type GradeDecision,
  type ScorerParams,
} from '@gradeshift/core';
import type { Gemm } from '@gradeshift/core/math';

import { inferSplit, type SplitOutputs } from '../stages/infer';
import type { PreparedSplit } from '../stages/prepare';

/**
 * Which decision rule `evaluateModel` uses for the predicted grade: a kind of {@link GradeDecision}, or
 * `'best'`: both fitted rules (ordinal cut points on the expected grade and per-grade offsets on the
 * log-probabilities, each with K − 1 free numbers) fitted on ID validation, and the one with the higher
 * validation macro-F1 kept (cut points on a tie); or `'best-lowest'`: the same, the cut points fitted together
 * with a lowest-grade override τ (`fitThresholdsWithLowestOverride`: grade 0 when P(grade 0) ≥ τ, τ on a grid
 * or none).
 */
export type DecisionRuleName = GradeDecision['kind'] | 'best' | 'best-lowest';

/**
 * The rule the pipeline, the quality benchmark and `evaluate` use unless told otherwise: `'best-lowest'`, chosen
 * with the de-biasing step's DPO on ID validation (see `DEFAULT_DEBIAS_SETTINGS`); it was `'best'` before.
 */
export const DEFAULT_DECISION_RULE: DecisionRuleName = 'best-lowest';

/** The fitted rules {@link fitDecision} can compare. */
type FittedKind = Exclude<GradeDecision['kind'], 'argmax'>;

/** How the decision rule was fitted (null for arg-max, which has nothing to fit). */
export interface DecisionFit {
  /** The split the rule was fitted on. */
  readonly split: 'id_validation';
  readonly n: number;
  /** The kind that was kept. */
  readonly kind: FittedKind;
  /** Validation macro-F1 under the fitted rule (the maximised quantity). */
  readonly macro_f1: number;
  /** Validation macro-F1 under arg-max, for comparison. */
  readonly argmax_macro_f1: number;
  /** Validation macro-F1 of every rule that was fitted (both under `'best'` and `'best-lowest'`). */
  readonly candidates: Partial<Record<FittedKind, number>>;
}

/** A constraint on the fitted rule (see `pipeline/debias.ts`). */
export interface DecisionConstraint {
  /** Highest over-recall allowed on ID validation (`fitGradeOffsets` / `fitOrdinalThresholds`). @default none */
  readonly maxOverRecall?: number | undefined;
}

/**
 * Fits the decision rule on the ID validation split's outputs (never on a test split).
 * @param rule - a kind, `'best'` or `'best-lowest'` (see {@link DecisionRuleName})
 * @returns the rule and how it did on validation (null fit for arg-max)
 */
export function fitDecision(
  validation: { labels: Int32Array; outputs: SplitOutputs; grades: number },
  rule: DecisionRuleName,
  constraint: DecisionConstraint = {},
): { decision: GradeDecision; fit: DecisionFit | null } {
  if (rule === 'argmax') return { decision: ARGMAX_DECISION, fit: null };
  const { labels, outputs, grades } = validation;
  const { maxOverRecall } = constraint;
  const cap = maxOverRecall === undefined ? {} : { maxOverRecall };
  const kinds: FittedKind[] =
    rule === 'best' || rule === 'best-lowest' ? ['ordinal-thresholds', 'grade-offsets'] : [rule];
  const fitted = kinds.map((kind): { decision: GradeDecision; macroF1: number } => {
    if (kind === 'grade-offsets') {
      const f = fitGradeOffsets(outputs.probs, labels, cap);
      return { decision: { kind, offsets: Array.from(f.offsets) }, macroF1: f.macroF1 };
    }
    if (rule === 'best-lowest') {
      const f = fitThresholdsWithLowestOverride(outputs, labels, cap);
      const thresholds = Array.from(f.thresholds);
      const decision =
        f.lowestAt === null ? { kind, thresholds } : { kind, thresholds, lowestAt: f.lowestAt };
      return { decision, macroF1: f.macroF1 };
    }
    const f = fitOrdinalThresholds(outputs.expected, labels, { grades, ...cap });
    return { decision: { kind, thresholds: Array.from(f.thresholds) }, macroF1: f.macroF1 };
  });
  const best = fitted.reduce((a, b) => (b.macroF1 > a.macroF1 + 1e-12 ? b : a));
  const argmax = classificationReport(confusionMatrix(labels, outputs.predicted, grades));
  return {
    decision: best.decision,
    fit: {
      split: 'id_validation',
      n: labels.length,
      kind: best.decision.kind as FittedKind,
      macro_f1: best.macroF1,
      argmax_macro_f1: argmax.macroF1,
      candidates: Object.fromEntries(fitted.map((f) => [f.decision.kind, f.macroF1])),
    },
  };
}

/**
 * Point macro-F1 and accuracy of a model on a split (for stage tables and α selection), under `decision` (the
 * rule the final evaluation uses; see {@link validationDecision}) or, without one, the arg-max.
 */
export async function quickMetrics(
  params: ScorerParams,
  split: PreparedSplit,
  options: { gemm?: Gemm | undefined; decision?: GradeDecision } = {},
): Promise<{ macro_f1: number; accuracy: number; outputs: SplitOutputs; predicted: Int32Array }> {
  const { gemm, decision } = options;
  const outputs = await inferSplit(params, split.frozen, gemm === undefined ? {} : { gemm });
  const predicted =
    decision === undefined
      ? outputs.predicted
      : decideGrades(outputs.probs, decision, { expected: outputs.expected });
  const report = classificationReport(
    confusionMatrix(split.labels, predicted, params.config.grades),
  );
  return { macro_f1: report.macroF1, accuracy: report.accuracy, outputs, predicted };
}

/**
 * The final evaluation's decision rule for `params` ({@link DEFAULT_DECISION_RULE}), fitted on the ID validation
 * split.
 * @returns the rule and the model's ID validation macro-F1 under it (in-sample: the rule was fitted there)
 */
export async function validationDecision(
  params: ScorerParams,
  validation: PreparedSplit,
  gemm: Gemm | undefined,
): Promise<{ decision: GradeDecision; macro_f1: number }> {
  const outputs = await inferSplit(params, validation.frozen, gemm === undefined ? {} : { gemm });
  const { decision, fit } = fitDecision(
    { labels: validation.labels, outputs, grades: params.config.grades },
    DEFAULT_DECISION_RULE,
  );
  return { decision, macro_f1: fit?.macro_f1 ?? Number.NaN };
}

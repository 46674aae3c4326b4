/**
 * A decision rule in words, for the places a user sees "predicted": its name and one sentence saying how the
 * probabilities became the grade, with the fitted numbers and the grade names.
 */
import type { GradeDecision } from './grade-decision';

/** A named, explained decision rule. */
export interface DecisionDescription {
  readonly kind: GradeDecision['kind'];
  /** Short name, read as "the <name> rule": "most probable grade", "ordinal cut points", "ordinal cut points with irrelevant override" or "grade offsets". */
  readonly name: string;
  /** One sentence for a user. */
  readonly explanation: string;
}

const signed = (v: number): string => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(2)}`;

/**
 * Names and explains a rule.
 * @param decision - the rule (e.g. a bundle manifest's `decision`; absent means arg-max)
 * @param grades - grade names, lowest first
 * @example describeDecision({ kind: 'grade-offsets', offsets: [0, -0.2, -0.3] }, ['irrelevant', 'weak', 'strong']).name // 'grade offsets'
 */
export function describeDecision(
  decision: GradeDecision | undefined,
  grades: readonly string[],
): DecisionDescription {
  const name = (c: number): string => grades[c] ?? String(c);
  const tail =
    'fitted on validation data to maximise macro-F1, so the predicted grade can differ from the most probable one';
  if (decision === undefined || decision.kind === 'argmax')
    return {
      kind: 'argmax',
      name: 'most probable grade',
      explanation: 'The predicted grade is the most probable grade.',
    };
  if (decision.kind === 'grade-offsets') {
    const offsets = decision.offsets.map((b, c) => `${name(c)} ${signed(b)}`).join(', ');
    return {
      kind: decision.kind,
      name: 'grade offsets',
      explanation: `The predicted grade has the largest log-probability plus a per-grade offset (${offsets}), offsets ${tail}.`,
    };
  }
  const cuts = decision.thresholds.map((t) => t.toFixed(2)).join(' and ');
  const scale = grades.map((g, c) => `${c} = ${g}`).join(', ');
  if (decision.lowestAt !== undefined) {
    const tau = String(Number(decision.lowestAt.toFixed(3)));
    return {
      kind: decision.kind,
      name: `ordinal cut points with ${name(0)} override`,
      explanation: `The predicted grade is ${name(0)} when the probability of ${name(0)} is at least ${tau}, else it comes from the expected grade (the probability-weighted mean on ${scale}) cut at ${cuts}, both ${tail}.`,
    };
  }
  return {
    kind: decision.kind,
    name: 'ordinal cut points',
    explanation: `The predicted grade comes from the expected grade (the probability-weighted mean on ${scale}) cut at ${cuts}, cut points ${tail}.`,
  };
}

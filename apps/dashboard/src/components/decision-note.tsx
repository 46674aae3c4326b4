/**
 * The decision rule behind a "Predicted" column, named and explained in one sentence (core's `describeDecision`),
 * so a reader knows why a predicted grade can differ from the most probable one.
 */
import { describeDecision, type GradeDecision } from '@gradeshift/core';

/** The note under a heading whose table shows predicted grades. */
export function DecisionNote({
  decision,
  grades,
}: {
  /** The rule (absent: the run or model records none, so predicted is the most probable grade). */
  decision:
    | GradeDecision
    | { readonly kind: string; readonly name: string; readonly explanation: string }
    | null;
  grades: readonly string[];
}) {
  const described =
    decision !== null && 'explanation' in decision
      ? decision
      : describeDecision(decision ?? undefined, grades);
  return (
    <p className="note" data-decision={described.kind}>
      <strong>Predicted</strong> uses the {described.name} rule. {described.explanation}
    </p>
  );
}

/** The most probable grade of a probability row (ties to the lower grade). */
export function mostProbable(probs: readonly number[]): number {
  let best = 0;
  for (let c = 1; c < probs.length; c++) if ((probs[c] ?? 0) > (probs[best] ?? 0)) best = c;
  return best;
}

/**
 * What an external-predictions evaluation fits on its in-distribution reference: the decision rule (on all of
 * it) and the OOD detectors (on its fitting half, calibrated on its calibration half, `split-reference.ts`).
 * The evaluation and the encoder bundle's export both fit through it, so a bundle carries exactly the rule and
 * detectors its run's reports used.
 */
import type { GradeDecision } from '@gradeshift/core';
import type { Gemm } from '@gradeshift/core/math';

import { DataError } from '../data/data-error';
import {
  DEFAULT_DECISION_RULE,
  fitDecision,
  type DecisionFit,
  type DecisionRuleName,
} from '../pipeline/decision-rule';
import type { SplitOutputs } from '../stages/infer';
import {
  fitExternalDetectors,
  type ExternalOutputs,
  type FittedExternalScore,
} from './external-detectors';
import { outputsOf } from './external-outputs';
import type { PredictionFile } from './read-predictions';
import { splitReferenceByQuery, type ReferenceHalves } from './split-reference';

/**
 * Runs a step that needs enough of the reference file; its RangeError (too few queries, a grade missing from the
 * fitting half) becomes a DataError naming the reference file.
 */
export function referenceStep<T>(file: string, step: () => T): T {
  const wrap = (error: unknown): never => {
    if (!(error instanceof RangeError)) throw error;
    throw new DataError(
      'BAD_PREDICTION',
      { file, reason: error.message },
      {
        hint: 'give a larger reference file: in-distribution pairs of many queries, every grade present in each half',
        cause: error,
      },
    );
  };
  try {
    const out = step();
    return (out instanceof Promise ? out.catch(wrap) : out) as T;
  } catch (error) {
    return wrap(error);
  }
}

/** What {@link fitReference} fits. */
export interface FittedReference {
  readonly outputs: SplitOutputs & ExternalOutputs;
  readonly halves: ReferenceHalves;
  readonly decision: { readonly rule: GradeDecision; readonly fit: DecisionFit | null };
  /** Each OOD score's detector, calibration-half scores and threshold, by name. */
  readonly fitted: ReadonlyMap<string, FittedExternalScore>;
  /** KNN's k (null without embeddings). */
  readonly knnK: number | null;
}

/**
 * Fits the decision rule on the reference and the detectors on its halves.
 * @param reference - the reference predictions
 * @param options - the path named in errors, the split seed, the rule, the gemm of the detectors
 * @throws DataError naming the reference when it is too small to split or to fit Mahalanobis on
 */
export async function fitReference(
  reference: PredictionFile,
  options: {
    readonly path: string;
    readonly seed: number;
    readonly decision?: DecisionRuleName | undefined;
    readonly gemm?: Gemm | undefined;
  },
): Promise<FittedReference> {
  const outputs = outputsOf(reference);
  const halves = referenceStep(options.path, () =>
    splitReferenceByQuery(reference.dataset.pairs, options.seed),
  );
  const fittedRule = fitDecision(
    { labels: outputs.labels, outputs, grades: reference.shape.grades },
    options.decision ?? DEFAULT_DECISION_RULE,
  );
  const { fitted, knnK } = await referenceStep(options.path, () =>
    fitExternalDetectors(outputs, halves, {
      logitsGiven: reference.shape.output === 'logits',
      gemm: options.gemm,
    }),
  );
  return {
    outputs,
    halves,
    decision: { rule: fittedRule.decision, fit: fittedRule.fit },
    fitted,
    knnK,
  };
}

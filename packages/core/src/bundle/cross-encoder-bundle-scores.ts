/**
 * Scoring pairs with a cross-encoder bundle: the one path shared by `gradeshift score` (onnxruntime-node) and the
 * dashboard's Playground (onnxruntime-web). The cross-encoder's logits become the grades' K logits by the
 * manifest's mapping (in float64, as `evaluate --cross-encoder` maps them), then probabilities, the expected
 * grade, the grade under the bundle's decision rule and every OOD score with its ID percentile and flag, exactly
 * as an encoder bundle's (`encoderBundleOutputs`); the detectors on the hidden state read it as `features`.
 */
import type { CrossEncoderScores } from '../encoder/cross-encoder';
import type { CrossEncoderLogitMapping } from './cross-encoder-bundle-manifest';
import {
  encoderBundleOutputs,
  type EncoderBundleDecisionParts,
  type EncoderBundleOutputs,
} from './encoder-bundle-scores';

/**
 * The grades' K logits of n pairs from the model's logits: the mapped columns, or `c·s` (c = 0…K−1) for a
 * single relevance score s.
 * @param scores - the model's `rows × count` logits
 * @param mapping - the manifest's logit mapping
 * @param k - grades
 * @returns `rows × k` float64 logits, row-major
 */
export function mapCrossEncoderLogits(
  scores: { readonly rows: number; readonly grades: number; readonly logits: Float32Array },
  mapping: CrossEncoderLogitMapping,
  k: number,
): Float64Array {
  const n = scores.rows;
  const values = new Float64Array(n * k);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < k; c++)
      values[i * k + c] =
        mapping.kind === 'single-score'
          ? c * (scores.logits[i] ?? 0)
          : (scores.logits[i * scores.grades + (mapping.columns[c] ?? 0)] ?? 0);
  return values;
}

/**
 * A cross-encoder bundle's answer for n pairs: the mapped logits' probabilities, expected grade, decided grade
 * and OOD scores (the logit detectors read the mapped logits, the feature detectors the hidden state).
 * @param scores - the cross-encoder's outputs (`createCrossEncoder(...).score`)
 * @param parts - the mapping, the grade count, and the rule, OOD entries and detectors
 *   (`checkEncoderBundleDecisions`)
 */
export async function crossEncoderBundleOutputs(
  scores: CrossEncoderScores,
  parts: EncoderBundleDecisionParts & {
    readonly logitMapping: CrossEncoderLogitMapping;
    readonly grades: number;
  },
): Promise<EncoderBundleOutputs> {
  const hidden = scores.hidden ?? { dim: 0, data: new Float32Array(0) };
  return encoderBundleOutputs(
    {
      rows: scores.rows,
      grades: parts.grades,
      logits: mapCrossEncoderLogits(scores, parts.logitMapping, parts.grades),
      spaces: { relevance: hidden, content: { dim: 0, data: new Float32Array(0) } },
    },
    parts,
  );
}

/**
 * The names of the exported scorer graph's inputs and outputs, by role. A bundle manifest records them, so
 * the scoring code never guesses which tensor is which.
 */

/** Input names by role. Shapes: ids int64 and weights float32 [batch, L, S]; lexical float32 [batch, F]. */
export interface ScorerOnnxInputNames {
  readonly queryIds: string;
  readonly queryWeights: string;
  readonly itemIds: string;
  readonly itemWeights: string;
  readonly lexical: string;
}

/** Output names of the relevance head by role (the OOD outputs are named in the manifest's `ood` section). */
export interface ScorerOnnxOutputNames {
  /** float32 [batch, K]. */
  readonly logits: string;
  /** float32 [batch, K], the softmax of the logits. */
  readonly probs: string;
  /** float32 [batch], Σ_c c·p_c. */
  readonly expectedGrade: string;
  /** float32 [batch, H2], the second hidden layer (the OOD feature space). */
  readonly features: string;
}

/** The input names {@link exportScorerOnnx} writes. */
export const SCORER_ONNX_INPUTS: ScorerOnnxInputNames = Object.freeze({
  queryIds: 'query_ids',
  queryWeights: 'query_weights',
  itemIds: 'item_ids',
  itemWeights: 'item_weights',
  lexical: 'lexical',
});

/** The relevance-head output names {@link exportScorerOnnx} writes. */
export const SCORER_ONNX_OUTPUTS: ScorerOnnxOutputNames = Object.freeze({
  logits: 'logits',
  probs: 'probs',
  expectedGrade: 'expected_grade',
  features: 'features',
});

/** The OOD score outputs {@link exportScorerOnnx} writes when given the detector's state. */
export const SCORER_ONNX_OOD_OUTPUTS = Object.freeze({
  mahalanobis: 'ood_mahalanobis',
  energy: 'ood_energy',
  knn: 'ood_knn',
});

/** The operator set of the exported graph (reductions take their axes as an input from opset 18 on). */
export const SCORER_ONNX_OPSET = 18;

/**
 * The names of a role map (inputs or outputs), in declaration order.
 * @example roleNames(SCORER_ONNX_OUTPUTS) // ['logits', 'probs', 'expected_grade', 'features']
 * @see {@link SCORER_ONNX_INPUTS}
 */
export function roleNames(names: ScorerOnnxInputNames | ScorerOnnxOutputNames): string[] {
  return Object.values(names as unknown as Readonly<Record<string, string>>);
}

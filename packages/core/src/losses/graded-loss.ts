/**
 * The graded-relevance training loss: ordinal soft labels + pairwise margin on the expected grade + an
 * optional confidence penalty (methods.md §1.3).
 */
import type { Matrix, MatrixLike } from '../math/matrix';
import { assertPositiveOption } from './check-inputs';
import { confidencePenalty } from './confidence-penalty';
import { ordinalSoftLabelLoss, type OrdinalDistance } from './ordinal-soft-label';
import { pairwiseMarginLoss } from './pairwise-margin';
import type { LossResult, SampleWeightOptions } from './types';

/** Options for {@link gradedLoss}. */
export interface GradedLossOptions extends SampleWeightOptions {
  /** SORD sharpness α of the soft-label term. @default 2 */
  alpha?: number;
  /** SORD distance of the soft-label term. @default 'squared' */
  distance?: OrdinalDistance;
  /** Weight λ_m of the pairwise margin term. @default 0.5 */
  lambdaMargin?: number;
  /** Weight λ_h of the confidence penalty; turn it on (≈ 0.1) only if calibration error stays high. @default 0 */
  lambdaConfidence?: number;
  /** Margin per grade δ of the pairwise term. @default 0.3 */
  delta?: number;
  /** Query id per row: margin pairs only within a group. @default undefined (all in-batch pairs) */
  groups?: ArrayLike<number | string>;
}

/** The unweighted terms of {@link gradedLoss}, for logging. */
export interface GradedLossComponents {
  /** L_soft, the SORD cross-entropy. */
  readonly soft: number;
  /** L_margin, the pairwise margin on the expected grade (0 when the batch has no ordered pair). */
  readonly margin: number;
  /** L_conf = −H(p), always computed so it can be logged even when λ_h = 0. */
  readonly confidence: number;
}

/** The result of {@link gradedLoss}: the combined loss, its gradient and the terms. */
export interface GradedLossResult extends LossResult {
  readonly components: GradedLossComponents;
}

/**
 * L = L_soft + λ_m·L_margin + λ_h·L_conf over grade logits (n × K), with the gradient w.r.t. the logits.
 *
 * This is gradeshift's own design. It is built to meet the goals DaRL's abstract states (discriminating
 * fine-grained relevance grades and countering LLM over-confidence). It is NOT the DaRL paper's loss:
 * that loss is unpublished as far as we could retrieve (methods.md §1.3, tagged [RECON]).
 * - L_soft: {@link ordinalSoftLabelLoss} (SORD targets, α = 2): smooths targets and makes far-grade
 *   errors cost more than near-grade ones.
 * - L_margin: {@link pairwiseMarginLoss} on the expected grade s = Σ c·p_c (δ = 0.3): separates the grades
 *   in the continuous score used for ranking (GenFR-style).
 * - L_conf: {@link confidencePenalty} (−H(p), Pereyra et al. 2017), off by default (λ_h = 0).
 * `sampleWeights` apply to L_soft and L_conf (weighted mean normalised by Σ w); L_margin is an unweighted
 * mean over pairs.
 * @param logits - grade logits, n × K (K ≥ 2), finite
 * @param labels - grade per row in [0, K−1], integer or continuous (e.g. a mean rating rescaled)
 * @param options - term weights and the options of each term
 * @returns the loss, its gradient and the unweighted components
 * @throws RangeError on bad shapes, labels, weights or negative λ (see the component losses)
 * @example
 * const { value, grad, components } = gradedLoss(logits, labels, { lambdaMargin: 0.5, groups: queryIds });
 * @see https://arxiv.org/abs/2412.12504 (DaRL abstract: the goals, not this formula)
 * @see https://openaccess.thecvf.com/content_CVPR_2019/html/Diaz_Soft_Labels_for_Ordinal_Regression_CVPR_2019_paper.html
 * @see https://arxiv.org/abs/1701.06548
 */
export function gradedLoss(
  logits: MatrixLike,
  labels: ArrayLike<number>,
  options: GradedLossOptions = {},
): GradedLossResult {
  const {
    alpha = 2,
    distance = 'squared',
    lambdaMargin = 0.5,
    lambdaConfidence = 0,
    delta = 0.3,
    groups,
    sampleWeights,
  } = options;
  assertPositiveOption(lambdaMargin, 'options.lambdaMargin', true);
  assertPositiveOption(lambdaConfidence, 'options.lambdaConfidence', true);
  const weights = sampleWeights === undefined ? {} : { sampleWeights };
  const soft = ordinalSoftLabelLoss(logits, labels, { alpha, distance, ...weights });
  const margin = pairwiseMarginLoss(
    logits,
    labels,
    groups === undefined ? { delta } : { delta, groups },
  );
  const conf = confidencePenalty(logits, weights);
  const grad: Matrix = soft.grad; // fresh buffer owned here; accumulate the other terms into it
  for (let j = 0; j < grad.data.length; j++) {
    grad.data[j] =
      (grad.data[j] ?? 0) +
      lambdaMargin * (margin.grad.data[j] ?? 0) +
      lambdaConfidence * (conf.grad.data[j] ?? 0);
  }
  return {
    value: soft.value + lambdaMargin * margin.value + lambdaConfidence * conf.value,
    grad,
    components: { soft: soft.value, margin: margin.value, confidence: conf.value },
  };
}

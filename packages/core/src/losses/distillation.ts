/**
 * Knowledge distillation: KL(teacher ‖ student) at temperature T, scaled by T² (Hinton et al. 2015).
 */
import { assertMatrix } from '../math/check';
import type { MatrixLike } from '../math/matrix';
import { logSoftmax } from '../math/softmax';
import { assertLossLogits, assertPositiveOption, assertSameShape } from './check-inputs';
import { normalizeRowWeights, weightedSum } from './reduce';
import type { LossResult, SampleWeightOptions } from './types';

/** Largest |Σ_c q_c − 1| accepted for a row of teacher probabilities. */
const PROB_SUM_TOLERANCE = 1e-6;

/**
 * The teacher's grade distribution: raw logits (softened as softmax(logits / T)) or probabilities, which
 * are used as given (already the target distribution, e.g. a graded LLM judgement; T is not applied).
 */
export type DistillationTeacher =
  | { readonly logits: MatrixLike; readonly probs?: never }
  | { readonly probs: MatrixLike; readonly logits?: never };

/** Options for {@link distillationLoss}. */
export interface DistillationLossOptions extends SampleWeightOptions {
  /** Temperature T > 0 applied to the student logits (and to teacher logits). @default 1 */
  temperature?: number;
}

function teacherLogProbs(
  teacher: DistillationTeacher,
  student: MatrixLike,
  t: number,
): Float64Array {
  if (teacher.logits !== undefined) {
    assertLossLogits(teacher.logits, 'teacher.logits');
    assertSameShape(student, teacher.logits, ['studentLogits', 'teacher.logits']);
    const scaled = Float64Array.from(teacher.logits.data, (v) => v / t);
    return logSoftmax({ rows: student.rows, cols: student.cols, data: scaled }).data;
  }
  const probs = teacher.probs;
  assertMatrix(probs, 'teacher.probs');
  assertSameShape(student, probs, ['studentLogits', 'teacher.probs']);
  const k = probs.cols;
  const out = new Float64Array(probs.data.length);
  for (let i = 0; i < probs.rows; i++) {
    let rowSum = 0;
    for (let c = 0; c < k; c++) {
      const q = probs.data[i * k + c] ?? Number.NaN;
      if (!(q >= 0 && q <= 1))
        throw new RangeError(
          `teacher.probs[${i}][${c}] must be a probability in [0, 1] (got ${String(q)})`,
        );
      rowSum += q;
      // log 0 = −∞ only ever multiplies q = 0, where the KL term is defined as 0 (scipy rel_entr).
      out[i * k + c] = Math.log(q);
    }
    if (Math.abs(rowSum - 1) > PROB_SUM_TOLERANCE) {
      throw new RangeError(
        `teacher.probs row ${i} must sum to 1 (got ${rowSum}; teacher.probs is ${probs.rows}×${k})`,
      );
    }
  }
  return out;
}

/**
 * Distillation loss ℓᵢ = T² · KL(qᵢ ‖ softmax(zᵢ / T)) = T² Σ_c q_c (log q_c − log p^T_c), where q is the
 * teacher's distribution; reduced by the (sample-weighted) mean over rows. The T² factor keeps the gradient
 * scale comparable across temperatures. Gradient w.r.t. the student logits: ŵᵢ · T · (p^T·Σq − q), which is
 * T (p^T − q) for a normalised teacher. Terms with q_c = 0 contribute 0, as `scipy.special.rel_entr` does.
 * Used for RRADistill-style distillation of teacher grade scores into a small ranker (methods.md §3).
 * @param studentLogits - the student's grade logits, n × K (K ≥ 2), finite
 * @param teacher - `{ logits }` (softened with the same T) or `{ probs }` (used as given; rows sum to 1 ± 1e-6)
 * @param options - temperature and sample weights
 * @returns the loss and its gradient w.r.t. `studentLogits`
 * @throws RangeError on an empty batch, non-finite logits, a shape mismatch, teacher probabilities outside
 * [0, 1] or not summing to 1, T ≤ 0 or bad sample weights
 * @example
 * const { value, grad } = distillationLoss(student, { logits: teacher }, { temperature: 2 });
 * @see https://arxiv.org/abs/1503.02531
 * @see https://arxiv.org/abs/2410.18097
 */
export function distillationLoss(
  studentLogits: MatrixLike,
  teacher: DistillationTeacher,
  options: DistillationLossOptions = {},
): LossResult {
  assertLossLogits(studentLogits, 'studentLogits');
  const { temperature: t = 1, sampleWeights } = options;
  assertPositiveOption(t, 'options.temperature');
  const logq = teacherLogProbs(teacher, studentLogits, t);
  const { rows: n, cols: k } = studentLogits;
  const w = normalizeRowWeights(sampleWeights, studentLogits);
  // softmax(z / T) through log-softmax: the max is subtracted, so small T cannot overflow exp.
  const scaled = Float64Array.from(studentLogits.data, (v) => v / t);
  const logp = logSoftmax({ rows: n, cols: k, data: scaled });
  const losses = new Float64Array(n);
  const grad = logp; // overwritten row by row
  for (let i = 0; i < n; i++) {
    let kl = 0;
    let qSum = 0;
    for (let c = 0; c < k; c++) {
      const lq = logq[i * k + c] ?? 0;
      const q = Math.exp(lq);
      qSum += q;
      if (q > 0) kl += q * (lq - (logp.data[i * k + c] ?? 0));
    }
    losses[i] = t * t * kl;
    const scale = (w[i] ?? 0) * t;
    for (let c = 0; c < k; c++) {
      const p = Math.exp(logp.data[i * k + c] ?? 0);
      grad.data[i * k + c] = scale * (p * qSum - Math.exp(logq[i * k + c] ?? 0));
    }
  }
  return { value: weightedSum(w, losses), grad };
}

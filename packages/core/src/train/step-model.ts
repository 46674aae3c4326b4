/**
 * One training step's forward and backward pass, either through the whole scorer ('all') or through the
 * classifier head alone on features computed once ('head', the linear-probing stage of LP-FT: with the
 * backbone frozen, h2 never changes, so it is computed once per set instead of once per epoch).
 * @internal
 */
import type { Gemm } from '../math/gemm';
import type { Matrix, MatrixLike } from '../math/matrix';
import { backwardScorer } from '../scorer/backward';
import { mulABt, mulAtB } from '../scorer/dense-products';
import { forwardScorer } from '../scorer/forward';
import type { ScorerGradients, ScorerParams } from '../scorer/params';
import type { PreparedSet } from './training-set';

/** Logits of some rows and the backward pass that goes with them. @internal */
export interface StepResult {
  readonly logits: Matrix;
  readonly backward: (dLogits: MatrixLike) => Promise<Partial<ScorerGradients>>;
}

/** A forward/backward pass over rows of a prepared set. @internal */
export type StepModel = (set: PreparedSet, rows: Int32Array) => Promise<StepResult>;

/** The whole scorer, reading the current values of `params` on every call. @internal */
export function createFullStep(params: ScorerParams, gemm?: Gemm): StepModel {
  const options = gemm === undefined ? {} : { gemm };
  return async (set, rows) => {
    const { logits, cache } = await forwardScorer(params, set.frozen, { ...options, rows });
    return { logits, backward: (dLogits) => backwardScorer(cache, dLogits, options) };
  };
}

/**
 * The head W3·h2 + b3 on features h2 computed once per set with the current backbone (which must stay frozen).
 * The logits equal those of {@link forwardScorer} with its built-in products, bit for bit.
 * @internal
 */
export async function createHeadStep(
  params: ScorerParams,
  sets: readonly PreparedSet[],
  options: { gemm?: Gemm; chunk: number },
): Promise<StepModel> {
  const { hidden2: h2, grades: k } = params.config;
  const features = new Map<PreparedSet, Float64Array>();
  for (const set of sets) {
    const all = new Float64Array(set.size * h2);
    for (let start = 0; start < set.size; start += options.chunk) {
      const rows = Int32Array.from(
        { length: Math.min(options.chunk, set.size - start) },
        (_, i) => start + i,
      );
      const out = await forwardScorer(
        params,
        set.frozen,
        options.gemm === undefined ? { rows } : { rows, gemm: options.gemm },
      );
      all.set(out.features.data, start * h2);
    }
    features.set(set, all);
  }
  return (set, rows) => {
    const all = features.get(set);
    if (all === undefined) throw new RangeError('the head step was not prepared for this set');
    const b = rows.length;
    const h = new Float64Array(b * h2);
    rows.forEach((r, i) => h.set(all.subarray(r * h2, (r + 1) * h2), i * h2));
    const logits = mulABt(h, params.W3.data, { m: b, n: k, k: h2 });
    const bias = params.b3.data;
    for (let o = 0; o < logits.length; o += k)
      for (let j = 0; j < k; j++) logits[o + j] = (logits[o + j] ?? 0) + (bias[j] ?? 0);
    return Promise.resolve({
      logits: { rows: b, cols: k, data: logits },
      backward: (dLogits) => {
        const dz = Float64Array.from(dLogits.data);
        const b3 = new Float64Array(k);
        for (let o = 0; o < dz.length; o += k)
          for (let j = 0; j < k; j++) b3[j] = (b3[j] ?? 0) + (dz[o + j] ?? 0);
        return Promise.resolve({ W3: mulAtB(dz, h, { m: k, n: h2, k: b }), b3 });
      },
    });
  };
}

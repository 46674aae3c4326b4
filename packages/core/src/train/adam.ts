/**
 * Adam and AdamW over a list of Float64 tensors, with bias correction, weight decay and clipping of the
 * gradient by its global norm. Follows the update order of `torch.optim.AdamW` / `torch.optim.Adam` so that a
 * PyTorch run of the same network can be compared step by step.
 */
import { assertFiniteNumber } from '../math/check';

/** Options for {@link createAdam}. */
export interface AdamOptions {
  /** Step size γ. @default 1e-3 */
  learningRate?: number;
  /** Decay of the first-moment average β1. @default 0.9 */
  beta1?: number;
  /** Decay of the second-moment average β2. @default 0.999 */
  beta2?: number;
  /** ε added to √v̂ in the denominator. @default 1e-8 */
  epsilon?: number;
  /** Weight decay λ, applied to the tensors whose `decay` flag is set. @default 0 */
  weightDecay?: number;
  /**
   * `true`: decoupled decay (AdamW, θ ← θ − γλθ before the Adam step); `false`: L2 decay added to the gradient
   * (g ← g + λθ, as `torch.optim.Adam(weight_decay=λ)`).
   * @default true
   */
  decoupled?: boolean;
}

/** Per-step overrides for {@link AdamOptimizer.updateInPlace}. */
export interface AdamStepOptions {
  /** Step size for this step (e.g. from a schedule). @default the optimizer's learningRate */
  learningRate?: number;
}

/** An Adam optimizer bound to a fixed list of tensor sizes. */
export interface AdamOptimizer {
  /** Number of steps taken so far (t in the bias corrections). */
  readonly steps: number;
  /**
   * One step: updates `params[i]` in place from `grads[i]` (the gradients are not modified).
   * @throws RangeError when the lists or tensor sizes disagree with the optimizer, or a gradient is not finite
   */
  updateInPlace(
    params: readonly Float64Array[],
    grads: readonly Float64Array[],
    options?: AdamStepOptions,
  ): void;
}

/**
 * Creates Adam (or AdamW) state for tensors of the given sizes.
 * m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; θ ← θ − (γ / (1−β1ᵗ))·m / (√v / √(1−β2ᵗ) + ε).
 * @param tensors - per tensor its size and whether weight decay applies to it (usually weights, not biases)
 * @param options - hyperparameters (PyTorch's defaults)
 * @throws RangeError for a non-finite or out-of-range hyperparameter
 * @example const adam = createAdam([{ size: 10, decay: true }], { weightDecay: 0.01 }); adam.updateInPlace([w], [g]);
 * @see https://arxiv.org/abs/1412.6980 (Kingma & Ba, Adam)
 * @see https://arxiv.org/abs/1711.05101 (Loshchilov & Hutter, AdamW)
 * @see https://pytorch.org/docs/stable/generated/torch.optim.AdamW.html
 */
export function createAdam(
  tensors: readonly { size: number; decay: boolean }[],
  options: AdamOptions = {},
): AdamOptimizer {
  const {
    learningRate = 1e-3,
    beta1 = 0.9,
    beta2 = 0.999,
    epsilon = 1e-8,
    weightDecay = 0,
    decoupled = true,
  } = options;
  assertRate(learningRate, 'options.learningRate');
  for (const [value, name] of [
    [beta1, 'options.beta1'],
    [beta2, 'options.beta2'],
  ] as const) {
    assertFiniteNumber(value, name);
    if (value < 0 || value >= 1) throw new RangeError(`${name} must be in [0, 1) (got ${value})`);
  }
  assertRate(epsilon, 'options.epsilon');
  assertRate(weightDecay, 'options.weightDecay');
  const m = tensors.map((t) => new Float64Array(t.size));
  const v = tensors.map((t) => new Float64Array(t.size));
  let steps = 0;
  return {
    get steps() {
      return steps;
    },
    updateInPlace(params, grads, stepOptions = {}) {
      const lr = stepOptions.learningRate ?? learningRate;
      assertRate(lr, 'options.learningRate');
      assertTensorLists(params, grads, tensors);
      steps++;
      const bc1 = 1 - beta1 ** steps;
      const bc2Sqrt = Math.sqrt(1 - beta2 ** steps);
      const stepSize = lr / bc1;
      for (let t = 0; t < tensors.length; t++) {
        const theta = params[t] ?? new Float64Array(0);
        const g = grads[t] ?? new Float64Array(0);
        const mt = m[t] ?? new Float64Array(0);
        const vt = v[t] ?? new Float64Array(0);
        const lambda = tensors[t]?.decay === true ? weightDecay : 0;
        for (let i = 0; i < theta.length; i++) {
          let w = theta[i] ?? 0;
          let gi = g[i] ?? 0;
          if (lambda !== 0) {
            if (decoupled) w -= lr * lambda * w;
            else gi += lambda * w;
          }
          // m moves towards g by (1 − β1) (torch's lerp form); v is an exponential average of g².
          const mi = (mt[i] ?? 0) + (1 - beta1) * (gi - (mt[i] ?? 0));
          const vi = beta2 * (vt[i] ?? 0) + (1 - beta2) * gi * gi;
          mt[i] = mi;
          vt[i] = vi;
          theta[i] = w - (stepSize * mi) / (Math.sqrt(vi) / bc2Sqrt + epsilon);
        }
      }
    },
  };
}

/**
 * Scales the gradients in place so that their global L2 norm is at most `maxNorm`, as
 * `torch.nn.utils.clip_grad_norm_`: coef = min(1, maxNorm / (‖g‖ + 1e-6)).
 * @param grads - the gradients of all tensors (modified in place)
 * @param maxNorm - the largest allowed global norm (> 0; `Infinity` only measures)
 * @returns the global norm before clipping
 * @throws RangeError when `maxNorm` is not > 0 or a gradient is not finite
 * @see https://pytorch.org/docs/stable/generated/torch.nn.utils.clip_grad_norm_.html
 */
export function clipGradientNormInPlace(grads: readonly Float64Array[], maxNorm: number): number {
  if (!(maxNorm > 0)) throw new RangeError(`maxNorm must be > 0 (got ${String(maxNorm)})`);
  let ss = 0;
  grads.forEach((g, t) => {
    for (let i = 0; i < g.length; i++) {
      const x = g[i] ?? Number.NaN;
      if (!Number.isFinite(x))
        throw new RangeError(`grads[${t}][${i}] must be finite (got ${String(x)})`);
      ss += x * x;
    }
  });
  const norm = Math.sqrt(ss);
  const coef = maxNorm / (norm + 1e-6);
  if (coef < 1) for (const g of grads) for (let i = 0; i < g.length; i++) g[i] = (g[i] ?? 0) * coef;
  return norm;
}

function assertRate(value: number, name: string): void {
  assertFiniteNumber(value, name);
  if (value < 0) throw new RangeError(`${name} must be ≥ 0 (got ${value})`);
}

function assertTensorLists(
  params: readonly Float64Array[],
  grads: readonly Float64Array[],
  tensors: readonly { size: number }[],
): void {
  if (params.length !== tensors.length || grads.length !== tensors.length) {
    throw new RangeError(
      `params and grads must list ${tensors.length} tensors (got ${params.length} and ${grads.length})`,
    );
  }
  tensors.forEach(({ size }, t) => {
    const p = params[t];
    const g = grads[t];
    if (p?.length !== size || g?.length !== size) {
      throw new RangeError(
        `params[${t}] and grads[${t}] must have ${size} entries (got ${p?.length ?? 0} and ${g?.length ?? 0})`,
      );
    }
    for (let i = 0; i < size; i++) {
      if (!Number.isFinite(g[i] ?? Number.NaN))
        throw new RangeError(`grads[${t}][${i}] must be finite (got ${String(g[i])})`);
    }
  });
}

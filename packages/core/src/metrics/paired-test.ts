/**
 * Comparing two models on the same queries. Start from the per-query metric of each model (e.g.
 * `meanNdcg(...).perQuery` for both, over the same queries in the same order) and test the differences.
 *
 * Which to use when:
 * - **Paired t-test** ({@link pairedTTest}): the default for a mean metric over ≥ ~30 queries. The mean of the
 *   differences is close to normal by the CLT even when single differences are skewed or bounded; it is fast,
 *   deterministic and what IR papers usually report. On TREC-size data it agrees closely with the
 *   randomization test (Smucker et al. 2007).
 * - **Sign-flip randomization test** ({@link signFlipTest}): few queries (< ~30), heavy ties or very skewed
 *   differences, or when a reviewer asks for no distributional assumption. Exact for ≤ 20 non-zero
 *   differences, Monte-Carlo (seeded) above.
 * - **Paired bootstrap CI** ({@link pairedBootstrap}): to report *how large* the improvement is with an
 *   interval, not only whether it is significant. For metrics that are not a mean over queries (macro-F1,
 *   kappa, ECE), bootstrap the difference directly with `bootstrapByQuery`, computing both models' metric on
 *   the same resample.
 * All three are two-sided. When many models are compared against a baseline, correct for multiplicity
 * (e.g. Holm–Bonferroni).
 */
import { assertFinite, assertSameLength } from '../math/check';
import { bootstrapQueryMeans, type BootstrapOptions, type BootstrapResult } from './bootstrap';
import { pairedTTest, type PairedTTestResult } from './paired-t-test';
import { signFlipTest, type SignFlipTestOptions, type SignFlipTestResult } from './sign-flip-test';

/**
 * Percentile bootstrap CI of the mean per-query difference mean(a − b), resampling queries with replacement.
 * @param a - per-query metric of model A
 * @param b - per-query metric of model B, same queries in the same order
 * @throws RangeError for unequal or zero lengths, a non-finite value, or bad options
 * @see Efron & Tibshirani (1993), An Introduction to the Bootstrap, ch. 16.
 */
export function pairedBootstrap(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: BootstrapOptions = {},
): BootstrapResult {
  assertSameLength(a, b, ['a', 'b']);
  assertFinite(a, 'a');
  assertFinite(b, 'b');
  const d = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) d[i] = (a[i] ?? 0) - (b[i] ?? 0);
  return bootstrapQueryMeans(d, options);
}

/** Options for {@link comparePaired}. */
export interface ComparePairedOptions {
  /** Options of the sign-flip test. @default {} */
  signFlip?: SignFlipTestOptions;
  /** Options of the paired bootstrap. @default {} */
  bootstrap?: BootstrapOptions;
}

/** Result of {@link comparePaired}. */
export interface PairedComparison {
  /** Mean of a − b (positive = A better for a higher-is-better metric). */
  readonly meanDifference: number;
  readonly tTest: PairedTTestResult;
  readonly signFlip: SignFlipTestResult;
  readonly bootstrap: BootstrapResult;
}

/**
 * Runs the paired t-test, the sign-flip test and the paired bootstrap on the same per-query values.
 * @throws RangeError for unequal lengths, fewer than 2 pairs, a non-finite value, or bad options
 * @example comparePaired(ndcgA.perQuery, ndcgB.perQuery).tTest.pValue
 */
export function comparePaired(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: ComparePairedOptions = {},
): PairedComparison {
  const tTest = pairedTTest(a, b);
  return {
    meanDifference: tTest.meanDifference,
    tTest,
    signFlip: signFlipTest(a, b, options.signFlip ?? {}),
    bootstrap: pairedBootstrap(a, b, options.bootstrap ?? {}),
  };
}

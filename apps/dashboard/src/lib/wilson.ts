/**
 * The Wilson score interval of a proportion (95%): how precisely a slice's accuracy is known from its n pairs,
 * so a small slice at the top of a sort reads as the uncertain estimate it is. Pairs within a slice share
 * queries, so the true uncertainty is somewhat wider; the interval is a floor.
 * @see https://en.wikipedia.org/wiki/Binomial_proportion_confidence_interval#Wilson_score_interval
 */
const Z975 = 1.959963984540054;

/** The 95% Wilson interval of `share` observed over `n` trials, or null for n = 0. */
export function wilsonInterval(share: number, n: number): { lo: number; hi: number } | null {
  if (!(n > 0) || !Number.isFinite(share)) return null;
  const z2 = Z975 * Z975;
  const centre = (share + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z975 / (1 + z2 / n)) * Math.sqrt((share * (1 - share)) / n + z2 / (4 * n * n));
  return { lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) };
}

/**
 * The head-noun features of a (query, item) pair: the item's head segment H (its leading tokens before "in",
 * "with", "for", …) ends with the word naming the product type, so a query that only shares a finish or an
 * accessory with the item shows as a mismatch.
 */
import type { PreparedText } from './prepare-text';
import { MATCH_FUZZY } from './token-match';

/**
 * Features 23–25 of `TERM_MATCH_FEATURE_NAMES` from the level matrix of the pair (`matchPair`):
 * whether the query names the item's head noun.
 */
export function writeHeadFeatures(
  pair: { readonly query: PreparedText; readonly item: PreparedText },
  levels: Uint8Array,
  target: { readonly out: Float32Array | Float64Array; readonly offset: number },
): void {
  const { query: q, item: t } = pair;
  const { out, offset } = target;
  const nq = q.tokens.length;
  const nt = t.tokens.length;
  const head = Math.min(t.headLength, nt);
  // The last two words of H that are not numbers: the head noun and its modifier.
  let noun = -1;
  let modifier = -1;
  for (let j = head - 1; j >= 0 && modifier < 0; j--) {
    if (!Number.isNaN(t.values[j] ?? Number.NaN)) continue;
    if (noun < 0) noun = j;
    else modifier = j;
  }
  let nounMatched = 0;
  let covered = 0;
  for (let i = 0; i < nq; i++) {
    let inHead = false;
    for (let j = 0; j < head; j++) {
      if ((levels[i * nt + j] ?? 0) >= MATCH_FUZZY) {
        inHead = true;
        break;
      }
    }
    if (inHead) covered++;
    if (noun >= 0 && (levels[i * nt + noun] ?? 0) >= MATCH_FUZZY) nounMatched = 1;
  }
  const last = (nq - 1) * nt;
  const lastInHead =
    nq > 0 &&
    ((noun >= 0 && (levels[last + noun] ?? 0) >= MATCH_FUZZY) ||
      (modifier >= 0 && (levels[last + modifier] ?? 0) >= MATCH_FUZZY));
  out[offset] = nounMatched;
  out[offset + 1] = lastInHead ? 1 : 0;
  out[offset + 2] = nq > 0 ? covered / nq : 0;
}

/**
 * The reference file of an external-predictions evaluation, split by query into a fitting half (the OOD detectors
 * are fitted on it) and a calibration half (their thresholds and ID percentiles come from it), so no query's pairs
 * are on both sides.
 *
 * The split is deterministic and reproducible outside gradeshift: each distinct query key (`normalizeQuery`:
 * NFKC, lower-cased, whitespace collapsed) gets the 32-bit FNV-1a hash of the UTF-8 bytes of `"<seed>:<key>"`;
 * the keys sorted by (hash, key) put the first ⌈q/2⌉ in the fitting half.
 * @see http://www.isthe.com/chongo/tech/comp/fnv/
 */
import { normalizeQuery } from '../splits/query-groups';

/** FNV-1a, 32 bits, of the UTF-8 bytes of `text`. */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The two halves of the reference, as pair indices in file order. */
export interface ReferenceHalves {
  readonly fit: readonly number[];
  readonly calibration: readonly number[];
  readonly fitQueries: number;
  readonly calibrationQueries: number;
}

/**
 * Splits pairs by query into a fitting half and a calibration half (see the module comment).
 * @param pairs - the reference pairs
 * @param seed - the split seed
 * @throws RangeError when the pairs hold fewer than two distinct queries
 */
export function splitReferenceByQuery(
  pairs: readonly { readonly query: string }[],
  seed: number,
): ReferenceHalves {
  const keys = pairs.map((p) => normalizeQuery(p.query));
  const distinct = [...new Set(keys)];
  if (distinct.length < 2)
    throw new RangeError(
      `the reference holds ${distinct.length} distinct quer${distinct.length === 1 ? 'y' : 'ies'}; at least 2 are needed to split it by query into a fitting and a calibration half`,
    );
  const ranked = distinct
    .map((key) => ({ key, hash: fnv1a32(`${seed}:${key}`) }))
    .sort((a, b) => a.hash - b.hash || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const fitKeys = new Set(ranked.slice(0, Math.ceil(ranked.length / 2)).map((r) => r.key));
  const fit: number[] = [];
  const calibration: number[] = [];
  keys.forEach((key, i) => (fitKeys.has(key) ? fit : calibration).push(i));
  return {
    fit,
    calibration,
    fitQueries: fitKeys.size,
    calibrationQueries: distinct.length - fitKeys.size,
  };
}

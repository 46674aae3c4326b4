import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { prepareText } from './prepare-text';
import { sparseDot } from './sparse-vector';
import {
  TERM_MATCH_FEATURE_COUNT,
  termMatchFeatures,
  TERM_MATCH_FEATURE_NAMES,
} from './term-match';
import { buildTermStatistics } from './term-statistics';
import { createTermWeighting } from './term-weighting';
import { BM25_PARAMETERS, WEIGHTED_MATCH_FEATURE_NAMES } from './weighted-match';
import { weightText } from './weighted-text';

type Named = Record<(typeof WEIGHTED_MATCH_FEATURE_NAMES)[number], number>;

const weighting = createTermWeighting(
  buildTermStatistics([['angle', 'bracket'], ['angle', 'steel'], ['deck']]),
);

function weighted(query: string, item: string): Named {
  const f = termMatchFeatures(query, item, {
    weighting,
    out: new Float64Array(TERM_MATCH_FEATURE_COUNT),
  });
  return Object.fromEntries(
    WEIGHTED_MATCH_FEATURE_NAMES.map((name, i) => [name, f[16 + i]]),
  ) as Named;
}

describe('IDF-weighted term-match features', () => {
  it('works a pair out by hand', () => {
    // N = 3: idf(angle) = ln(4/3) + 1 (df 2), idf(bracket) = idf(steel) = ln(2) + 1 (df 1), max = ln(4) + 1.
    const angle = Math.log(4 / 3) + 1;
    const bracket = Math.log(2) + 1;
    const max = Math.log(4) + 1;
    const f = weighted('angle bracket', 'steel angle');
    // "angle" is covered, "bracket" is not.
    expect(f.idfCoverage).toBeCloseTo(angle / (angle + bracket), 12);
    expect(f.idfPrefixCoverage).toBeCloseTo(angle / (angle + bracket), 12);
    expect(f.maxMissingIdf).toBeCloseTo(bracket / max, 12);
    // BM25: tf(angle) = 1, |T| = 2, mean length 5/3 → L = 1 − b + b·2/(5/3).
    const { k1, b } = BM25_PARAMETERS;
    const lengthNorm = 1 - b + (b * 2) / (5 / 3);
    const bm25 = (angle * (k1 + 1)) / (1 + k1 * lengthNorm) / ((angle + bracket) * (k1 + 1));
    expect(f.bm25).toBeCloseTo(bm25, 12);
    // Word vectors (angle, bracket) and (steel, angle), tf 1: they share "angle" only.
    expect(f.wordTfidfCosine).toBeCloseTo(
      (angle * angle) / (angle * angle + bracket * bracket),
      12,
    );
    expect(f.queryMeanIdf).toBeCloseTo((angle + bracket) / 2 / max, 12);
    const q = weightText(prepareText('angle bracket'), weighting);
    const t = weightText(prepareText('steel angle'), weighting);
    expect(f.charTfidfCosine).toBeCloseTo(sparseDot(q.charVector, t.charVector), 12);
  });

  it('counts a substring as covered but not as a prefix match', () => {
    // "over" is inside "deckover" (a compound) but is neither equal to nor a prefix of it.
    const f = weighted('deck over', 'deckover');
    expect(f.idfCoverage).toBe(1);
    expect(f.maxMissingIdf).toBe(0);
    const deck = Math.log(4 / 2) + 1;
    const over = Math.log(4) + 1; // unseen
    expect(f.idfPrefixCoverage).toBeCloseTo(deck / (deck + over), 12);
  });

  it('reduces to the unweighted fractions without statistics (property)', () => {
    const word = fc.constantFrom(
      'angle',
      'bracket',
      'brackets',
      'deck',
      'deckover',
      'over',
      '12',
      'x',
    );
    const text = fc.array(word, { maxLength: 6 }).map((ws) => ws.join(' '));
    fc.assert(
      fc.property(text, text, (query, item) => {
        const f = termMatchFeatures(query, item, {
          out: new Float64Array(TERM_MATCH_FEATURE_COUNT),
        });
        const g = termMatchFeatures(query, item, {
          weighting,
          out: new Float64Array(TERM_MATCH_FEATURE_COUNT),
        });
        const at = (name: string): number => TERM_MATCH_FEATURE_NAMES.indexOf(name as never);
        expect(f[at('idfCoverage')]).toBeCloseTo(f[at('substringFraction')]!, 12);
        expect(f[at('idfPrefixCoverage')]).toBeCloseTo(f[at('prefixFraction')]!, 12);
        expect(f[at('queryMeanIdf')]).toBe(prepareText(query).tokens.length > 0 ? 1 : 0);
        for (const v of [...f.subarray(16), ...g.subarray(16)]) {
          expect(v >= 0 && v <= 1 + 1e-12).toBe(true);
        }
        // A missing term exists exactly when coverage is incomplete.
        expect(g[at('maxMissingIdf')]! > 0).toBe(
          g[at('idfCoverage')]! < 1 - 1e-12 && g[at('queryMeanIdf')]! > 0,
        );
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('uses weights already attached to the texts instead of the option', () => {
    const q = weightText(prepareText('angle bracket'), weighting);
    const t = weightText(prepareText('steel angle'), weighting);
    // The uniform option is ignored for weighted texts: same vector as with the weighting option.
    expect(termMatchFeatures(q, t)).toEqual(
      termMatchFeatures('angle bracket', 'steel angle', { weighting }),
    );
  });
});

import { describe, expect, it } from 'vitest';

import { buildVocabulary, countTokens } from '../features/build-vocabulary';
import { encodeTokens } from '../features/encode';
import { prepareText } from '../features/prepare-text';
import { TERM_MATCH_FEATURE_COUNT, termMatchFeatures } from '../features/term-match';
import { buildTermStatistics } from '../features/term-statistics';
import { createTermWeighting } from '../features/term-weighting';
import { createPairFeaturizer } from './featurize-pairs';
import { packTokenSlots } from './pack-token-slots';
import { createScorerConfig } from './types';

const texts = [
  'angle bracket',
  'Acme Steel-Tie 12-Gauge Angle',
  'deck over',
  'BEHR Premium DeckOver 1 gal.',
];
const vocabulary = buildVocabulary(countTokens(texts.map((t) => prepareText(t).tokens)), {
  subwords: { buckets: 64, minN: 3, maxN: 5 },
});
const config = createScorerConfig({ maxQueryTokens: 4, maxItemTokens: 6, slots: 3 });

describe('createPairFeaturizer', () => {
  it('packs each pair exactly as the individual steps do', () => {
    const f = createPairFeaturizer({ vocabulary, config });
    const batch = f.featurize([
      { query: 'angle brakcet', item: texts[1]! },
      { query: 'deck over', item: texts[3]! },
    ]);
    expect(batch.size).toBe(2);
    const q = prepareText('angle brakcet');
    const t = prepareText(texts[1]!);
    const qs = packTokenSlots(
      encodeTokens(vocabulary, q.tokens, { maxLength: 4, maxSubwordIds: 3 }).slots,
      { maxTokens: 4, slots: 3 },
    );
    const ts = packTokenSlots(
      encodeTokens(vocabulary, t.tokens, { maxLength: 6, maxSubwordIds: 3 }).slots,
      { maxTokens: 6, slots: 3 },
    );
    expect(Array.from(batch.queryIds.subarray(0, 12))).toEqual(Array.from(qs.ids));
    expect(Array.from(batch.queryWeights.subarray(0, 12))).toEqual(Array.from(qs.weights));
    expect(Array.from(batch.itemIds.subarray(0, 18))).toEqual(Array.from(ts.ids));
    expect(Array.from(batch.lexical.subarray(0, TERM_MATCH_FEATURE_COUNT))).toEqual(
      Array.from(termMatchFeatures(q, t)),
    );
    // The misspelt "brakcet" is unknown: it is encoded by sub-word bucket rows (ids ≥ vocabulary size).
    expect(batch.queryIds[3]! >= vocabulary.size).toBe(true);
  });

  it('gives the same batch for one query against many items', () => {
    const f = createPairFeaturizer({ vocabulary, config, memoSize: 1 });
    const a = f.featurizeQuery('deck over', [texts[1]!, texts[3]!]);
    const b = f.featurize([
      { query: 'deck over', item: texts[1]! },
      { query: 'deck over', item: texts[3]! },
    ]);
    expect(a).toEqual(b);
  });

  it('refuses a config whose lexical size is not the term-match feature count', () => {
    expect(() =>
      createPairFeaturizer({ vocabulary, config: createScorerConfig({ lexicalDim: 8 }) }),
    ).toThrow('config.lexicalDim must equal the 26 term-match features (got 8)');
  });

  it('weighs terms with the given statistics, as termMatchFeatures does with the same weighting', () => {
    const statistics = buildTermStatistics(texts.map((t) => prepareText(t).tokens));
    const pairs = [
      { query: 'angle bracket', item: texts[1]! },
      { query: 'deck over', item: texts[3]! },
    ];
    const weighted = createPairFeaturizer({ vocabulary, config, statistics }).featurize(pairs);
    const uniform = createPairFeaturizer({ vocabulary, config }).featurize(pairs);
    const weighting = createTermWeighting(statistics);
    const f = TERM_MATCH_FEATURE_COUNT;
    pairs.forEach((pair, r) => {
      const expected = termMatchFeatures(pair.query, pair.item, { weighting });
      expect(Array.from(weighted.lexical.subarray(r * f, (r + 1) * f))).toEqual(
        Array.from(expected),
      );
    });
    // The unweighted features agree. The item covers "angle" (in 2 of 4 texts) but not the rarer "bracket"
    // (in 1): its IDF coverage is ½ when every term weighs 1, and below ½ with the statistics.
    expect(weighted.lexical.subarray(0, 16)).toEqual(uniform.lexical.subarray(0, 16));
    expect(uniform.lexical[16]).toBe(0.5);
    expect(weighted.lexical[16]! < 0.5).toBe(true);
    // Tokens enter the model input only through the slots: they do not depend on the statistics.
    expect(weighted.queryIds).toEqual(uniform.queryIds);
  });

  it('gives the same features from its memos, also when they fill and are dropped', () => {
    const pairs = [
      { query: 'angle bracket', item: texts[1]! },
      { query: 'deck over', item: texts[3]! },
      { query: 'angle bracket', item: texts[3]! },
      { query: 'deck over', item: texts[1]! },
    ];
    const fresh = createPairFeaturizer({ vocabulary, config }).featurize(pairs);
    for (const memoSize of [1, 3, 200_000]) {
      const f = createPairFeaturizer({ vocabulary, config, memoSize });
      const first = f.featurize(pairs);
      const again = f.featurize([...pairs].reverse());
      expect(first).toEqual(fresh);
      for (let r = 0; r < pairs.length; r++)
        expect(again.lexical.subarray(r * config.lexicalDim, (r + 1) * config.lexicalDim)).toEqual(
          fresh.lexical.subarray(
            (pairs.length - 1 - r) * config.lexicalDim,
            (pairs.length - r) * config.lexicalDim,
          ),
        );
    }
  });

  it('refuses a non-string text', () => {
    const f = createPairFeaturizer({ vocabulary, config });
    expect(() => f.featurize([{ query: 'x', item: 3 as unknown as string }])).toThrow(
      'pairs[0] must have string query and item',
    );
  });
});

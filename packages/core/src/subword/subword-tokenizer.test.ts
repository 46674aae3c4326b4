/**
 * The subword tokenizer against Python `tokenizers` 0.23.3 on invented texts (unicode, accents,
 * numbers with units, a long text truncated at 8, 16 and 128 tokens, pairs and padded batches).
 * Fixture: tests/fixtures/golden/tokenizer-invented.json, from
 * `.venv-models/bin/python tests/scripts/generate_tokenizer_golden.py invented`; the tokenizer is
 * tests/fixtures/tokenizer/tiny-wordpiece.json, built by the same script. The `minilm` source runs when
 * `npm run models:minilm` has installed models/minilm.
 */
import { existsSync, readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { isCoreError } from '../errors';
import { createSubwordTokenizer, packEncodings, truncationLengths } from './index';

interface GoldenCase {
  maxLength: number;
  text: string;
  pair?: string;
  ids: number[];
  typeIds: number[];
  attentionMask: number[];
}
interface GoldenBatch {
  maxLength: number;
  pairs: [string, string][];
  ids: number[][];
  typeIds: number[][];
  attentionMask: number[][];
}
interface GoldenSource {
  sha256: string;
  cases: GoldenCase[];
  batches: GoldenBatch[];
}

const repo = new URL('../../../../', import.meta.url);
const golden = JSON.parse(
  readFileSync(new URL('tests/fixtures/golden/tokenizer-invented.json', repo), 'utf8'),
) as { sources: Record<string, GoldenSource> };
const tokenizerFiles: Record<string, URL> = {
  'tiny-wordpiece': new URL('tests/fixtures/tokenizer/tiny-wordpiece.json', repo),
  minilm: new URL('models/minilm/tokenizer.json', repo),
};

for (const [name, source] of Object.entries(golden.sources)) {
  const file = tokenizerFiles[name];
  const present = file !== undefined && existsSync(file);
  describe.skipIf(!present)(`subword tokenizer (${name}) against Python tokenizers`, () => {
    const tokenizer = createSubwordTokenizer(JSON.parse(readFileSync(file!, 'utf8')));

    it(`matches ids, type ids and masks of ${source.cases.length} golden cases`, () => {
      for (const c of source.cases) {
        const got = tokenizer.encode(c.text, { pair: c.pair, maxLength: c.maxLength });
        expect({ text: c.text, pair: c.pair, ...got }).toEqual({
          text: c.text,
          pair: c.pair,
          ids: c.ids,
          typeIds: c.typeIds,
          attentionMask: c.attentionMask,
        });
      }
    });

    it('pads batches as Python tokenizers does', () => {
      for (const b of source.batches) {
        const packed = packEncodings(
          b.pairs.map(([q, i]) => tokenizer.encode(q, { pair: i, maxLength: b.maxLength })),
          tokenizer.special.pad,
        );
        expect(Array.from(packed.inputIds, Number)).toEqual(b.ids.flat());
        expect(Array.from(packed.tokenTypeIds, Number)).toEqual(b.typeIds.flat());
        expect(Array.from(packed.attentionMask, Number)).toEqual(b.attentionMask.flat());
        expect(packed.sequence).toBe(b.ids[0]!.length);
      }
    });
  });
}

describe('truncationLengths (tokenizers LongestFirst)', () => {
  it('keeps what fits and cuts the longer side first', () => {
    expect(truncationLengths(10, 3, 4)).toEqual([3, 4]);
    expect(truncationLengths(10, 3, 20)).toEqual([3, 7]);
    expect(truncationLengths(10, 20, 3)).toEqual([7, 3]);
    expect(truncationLengths(10, 20, 30)).toEqual([5, 5]);
    expect(truncationLengths(11, 20, 30)).toEqual([5, 6]);
    expect(truncationLengths(11, 30, 20)).toEqual([6, 5]);
    expect(truncationLengths(5, 9)).toEqual([5, 0]);
  });
});

describe('createSubwordTokenizer refusals', () => {
  const tiny = JSON.parse(readFileSync(tokenizerFiles['tiny-wordpiece']!, 'utf8')) as {
    model: { vocab: Record<string, number> };
  };

  it('refuses what is not a tokenizer.json, naming the source', () => {
    expect(() => createSubwordTokenizer({ vocab: {} }, { source: 'x/tokenizer.json' })).toThrow(
      /x\/tokenizer\.json: not a Hugging Face tokenizer\.json/,
    );
  });

  it('refuses a vocabulary without the special tokens the post-processor adds', () => {
    const broken = structuredClone(tiny);
    delete broken.model.vocab['[SEP]'];
    (broken as unknown as { added_tokens: { content: string }[] }).added_tokens = (
      broken as unknown as { added_tokens: { content: string }[] }
    ).added_tokens.filter((t) => t.content !== '[SEP]');
    let error: unknown;
    try {
      createSubwordTokenizer(broken);
    } catch (caught) {
      error = caught;
    }
    expect(isCoreError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect(String(error)).toMatch(/special token \[SEP\] is not in the vocabulary/);
  });

  it('refuses a maxLength without room for the special tokens', () => {
    const tokenizer = createSubwordTokenizer(tiny);
    expect(() => tokenizer.encode('a', { pair: 'b', maxLength: 2 })).toThrow(
      /no room for the 3 special tokens/,
    );
  });
});

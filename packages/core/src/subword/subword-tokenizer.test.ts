/**
 * The subword tokenizer against Python `tokenizers` 0.23.3.
 * - Invented texts (unicode, accents, numbers with units, a long text truncated at 8, 16 and 128 tokens,
 *   pairs and padded batches): tests/fixtures/golden/tokenizer-invented.json, from
 *   `.venv-models/bin/python tests/scripts/generate_tokenizer_golden.py invented`, through the committed
 *   tests/fixtures/tokenizer/tiny-wordpiece.json built by the same script, and through the MiniLM
 *   tokenizer when `npm run models:minilm` has installed models/minilm.
 * - The data: ≥ 1,000 texts drawn from both data files (queries, titles, non-ASCII texts, 1,000-character
 *   titles; single and pairs; max lengths 128 and 256) through the MiniLM tokenizer. Its token ids decode
 *   back to the data's texts, so the file is never committed: `npm run golden:tokenizer` writes it to
 *   tests/artifacts/tokenizer-golden.json (git-ignored) and CI generates it; skipped, saying so, without it.
 */
import { existsSync, readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { isCoreError } from '../errors';
import {
  createSubwordTokenizer,
  packEncodings,
  tokenizerFromJson,
  truncationLengths,
} from './index';

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
  texts?: number;
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

const dataGolden = new URL('tests/artifacts/tokenizer-golden.json', repo);
const sources: [string, URL | undefined, GoldenSource | undefined][] = [
  ...Object.entries(golden.sources).map(
    ([name, source]): [string, URL | undefined, GoldenSource] => [
      name,
      tokenizerFiles[name],
      source,
    ],
  ),
  [
    'minilm, data files',
    tokenizerFiles['minilm'],
    existsSync(dataGolden)
      ? (JSON.parse(readFileSync(dataGolden, 'utf8')) as GoldenSource)
      : undefined,
  ],
];

for (const [name, file, source] of sources) {
  const present = file !== undefined && existsSync(file) && source !== undefined;
  const skipped = present
    ? ''
    : ' (skipped: models/minilm or tests/artifacts/tokenizer-golden.json is missing; run `npm run models:minilm && npm run golden:tokenizer`)';
  describe.skipIf(!present)(
    `subword tokenizer (${name}) against Python tokenizers${skipped}`,
    () => {
      const tokenizer = present
        ? createSubwordTokenizer(JSON.parse(readFileSync(file, 'utf8')))
        : undefined;

      if (source?.texts !== undefined)
        it('covers at least 1,000 distinct texts, long ones truncated at 128 and 256', () => {
          expect(source.texts).toBeGreaterThanOrEqual(1000);
          const truncated = source.cases.filter((c) => c.ids.length === c.maxLength);
          expect(new Set(truncated.map((c) => c.maxLength))).toEqual(new Set([128, 256]));
        });

      it(`matches ids, type ids and masks of every golden case`, () => {
        const mismatches: string[] = [];
        for (const c of source!.cases) {
          const got = tokenizer!.encode(c.text, { pair: c.pair, maxLength: c.maxLength });
          const same =
            got.ids.join() === c.ids.join() &&
            got.typeIds.join() === c.typeIds.join() &&
            got.attentionMask.join() === c.attentionMask.join();
          if (!same)
            mismatches.push(
              `max ${c.maxLength} ${JSON.stringify(c.text.slice(0, 60))}${c.pair === undefined ? '' : ' + pair'}`,
            );
        }
        expect(source!.cases.length).toBeGreaterThan(0);
        expect(mismatches).toEqual([]);
      });

      it('pads batches as Python tokenizers does', () => {
        for (const b of source!.batches) {
          const packed = packEncodings(
            b.pairs.map(([q, i]) => tokenizer!.encode(q, { pair: i, maxLength: b.maxLength })),
            tokenizer!.special.pad,
          );
          expect(Array.from(packed.inputIds, Number)).toEqual(b.ids.flat());
          expect(Array.from(packed.tokenTypeIds, Number)).toEqual(b.typeIds.flat());
          expect(Array.from(packed.attentionMask, Number)).toEqual(b.attentionMask.flat());
          expect(packed.sequence).toBe(b.ids[0]!.length);
        }
      });
    },
  );
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

describe('tokenizerFromJson (tokenizer.json contents, no file system)', () => {
  const text = readFileSync(tokenizerFiles['tiny-wordpiece']!, 'utf8');
  const golden = JSON.parse(
    readFileSync(new URL('tests/fixtures/golden/tokenizer-invented.json', repo), 'utf8'),
  ) as { sources: Record<string, GoldenSource> };
  it('builds the same tokenizer from the text and from the parsed object', () => {
    const fromText = tokenizerFromJson(text);
    const fromObject = tokenizerFromJson(JSON.parse(text) as object);
    for (const c of golden.sources['tiny-wordpiece']!.cases) {
      const options = { pair: c.pair, maxLength: c.maxLength };
      expect(fromText.encode(c.text, options).ids).toEqual(c.ids);
      expect(fromObject.encode(c.text, options)).toEqual(fromText.encode(c.text, options));
    }
    expect(fromText.vocabSize).toBe(fromObject.vocabSize);
  });
  it('refuses text that is not JSON, naming the source', () => {
    let error: unknown;
    try {
      tokenizerFromJson(text.slice(0, 100), { source: 'models/x/tokenizer.json' });
    } catch (caught) {
      error = caught;
    }
    expect(isCoreError(error, 'MODEL_LOAD_FAILED')).toBe(true);
    expect(String(error)).toMatch(/models\/x\/tokenizer\.json: not JSON/);
  });
});

/**
 * Tokenizer parity on the data: `createSubwordTokenizer` with the MiniLM tokenizer.json against Python
 * `tokenizers` 0.23.3 on ≥ 1,000 texts drawn from both data files (queries, titles, texts with non-ASCII
 * characters, 1,000-character titles; single texts and query + item pairs; max lengths 128 and 256)
 * and a padded batch.
 *
 * The golden file holds token ids, which decode back to the data's texts, so it is never committed:
 * `npm run golden:tokenizer` (needs `npm run models:minilm` and ../shared/data) writes it to
 * tests/artifacts/tokenizer-golden.json (git-ignored), and CI generates it before the tests. Without it
 * this test is skipped with that message.
 */
import { existsSync, readFileSync } from 'node:fs';

import { createSubwordTokenizer, packEncodings } from '@gradeshift/core';
import { describe, expect, it } from 'vitest';

const goldenUrl = new URL('../artifacts/tokenizer-golden.json', import.meta.url);
const tokenizerUrl = new URL('../../models/minilm/tokenizer.json', import.meta.url);
const present = existsSync(goldenUrl) && existsSync(tokenizerUrl);
const skipped = present
  ? ''
  : ' (skipped: tests/artifacts/tokenizer-golden.json or models/minilm is missing; run `npm run models:minilm && npm run golden:tokenizer`)';

interface Golden {
  texts: number;
  cases: {
    maxLength: number;
    text: string;
    pair?: string;
    ids: number[];
    typeIds: number[];
    attentionMask: number[];
  }[];
  batches: {
    maxLength: number;
    pairs: [string, string][];
    ids: number[][];
    typeIds: number[][];
    attentionMask: number[][];
  }[];
}

describe.skipIf(!present)(
  `MiniLM tokenizer against Python tokenizers on the data files${skipped}`,
  () => {
    const golden = present ? (JSON.parse(readFileSync(goldenUrl, 'utf8')) as Golden) : undefined;
    const tokenizer = present
      ? createSubwordTokenizer(JSON.parse(readFileSync(tokenizerUrl, 'utf8')))
      : undefined;

    it('covers at least 1,000 distinct texts, long titles truncated at 128 and 256', () => {
      expect(golden!.texts).toBeGreaterThanOrEqual(1000);
      const truncated = golden!.cases.filter((c) => c.ids.length === c.maxLength);
      expect(new Set(truncated.map((c) => c.maxLength))).toEqual(new Set([128, 256]));
    });

    it('gives the same ids, type ids and attention masks for every case', () => {
      const mismatches: string[] = [];
      for (const c of golden!.cases) {
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
      expect(mismatches).toEqual([]);
    });

    it('pads a batch of pairs the same way', () => {
      for (const b of golden!.batches) {
        const packed = packEncodings(
          b.pairs.map(([q, i]) => tokenizer!.encode(q, { pair: i, maxLength: b.maxLength })),
          tokenizer!.special.pad,
        );
        expect(Array.from(packed.inputIds, Number)).toEqual(b.ids.flat());
        expect(Array.from(packed.tokenTypeIds, Number)).toEqual(b.typeIds.flat());
        expect(Array.from(packed.attentionMask, Number)).toEqual(b.attentionMask.flat());
      }
    });
  },
);

/**
 * Text normalisation before tokenising: Unicode NFKC, lower case, diacritic folding, vulgar fractions and
 * typographic quotes mapped to ASCII, thousands separators removed. Deterministic and platform-neutral.
 */
import { assertInteger } from '../math/check';

/** Options for {@link normalizeText}. */
export interface NormalizeOptions {
  /**
   * Strip combining marks after canonical decomposition (`é` → `e`, `ñ` → `n`), so a query typed without
   * accents matches an accented title. It is meant for Latin-script text: it also drops the vowel signs of
   * scripts such as Devanagari.
   * @default true
   */
  foldDiacritics?: boolean;
  /**
   * Input longer than this many UTF-16 code units is cut (never inside a surrogate pair) before any work,
   * which bounds the cost of pathological inputs. Product titles are ~70 characters, queries ~20.
   * @default 10000
   */
  maxInputLength?: number;
}

/** Default of {@link NormalizeOptions.maxInputLength}. */
export const DEFAULT_MAX_INPUT_LENGTH = 10_000;

// ¼ ½ ¾ and U+2150–U+215E (⅐ … ⅞), U+2189 (↉): NFKC turns them into "1⁄2", which would glue onto a preceding digit.
const VULGAR_FRACTION = /[\u00bc-\u00be\u2150-\u215e\u2189]/g;
const NON_ASCII = /[\u0080-\uffff]/;
const COMBINING_MARKS = /\p{M}+/gu;
// Applied after NFKC: fraction and division slash, multiplication sign, typographic quotes and primes.
const ASCII_MAP: ReadonlyMap<string, string> = new Map([
  ['\u2044', '/'],
  ['\u2215', '/'],
  ['\u00d7', 'x'],
  ['\u2018', "'"],
  ['\u2019', "'"],
  ['\u2032', "'"],
  ['\u201c', '"'],
  ['\u201d', '"'],
]);
const ASCII_MAP_PATTERN = /\u2032\u2032|[\u2044\u2215\u00d7\u2018\u2019\u2032\u201c\u201d]/g;
// A comma between digits followed by exactly three digits is a thousands separator: 1,500 → 1500.
const THOUSANDS = /(\d),(?=\d{3}(?!\d))/g;

function cutInput(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const last = text.charCodeAt(end - 1);
  // Do not keep a lone high surrogate at the cut.
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end);
}

/**
 * Normalises text for tokenising and matching: NFKC, lower case, diacritics folded, `½` → ` 1/2`,
 * `×` → `x`, curly quotes and primes → `'`/`"` (a double prime ″ is an inch mark), `1,500` → `1500`.
 * Punctuation is kept (the tokenizer needs `.`, `/`, `'`, `"` next to numbers). ASCII input skips the
 * Unicode steps, so the common case costs one lower-casing.
 * @param text - any string
 * @param options - diacritic folding and the input length cap
 * @returns the normalised string
 * @throws TypeError when `text` is not a string; RangeError for a bad `maxInputLength`
 * @example normalizeText('Café 1½ in. × 2,000 lb.') // 'cafe 1 1/2 in. x 2000 lb.'
 * @see https://unicode.org/reports/tr15/ (Unicode normalization forms)
 */
export function normalizeText(text: string, options: NormalizeOptions = {}): string {
  if (typeof text !== 'string') throw new TypeError(`text must be a string (got ${typeof text})`);
  const { foldDiacritics = true, maxInputLength = DEFAULT_MAX_INPUT_LENGTH } = options;
  assertInteger(maxInputLength, 'options.maxInputLength', { min: 1 });
  let s = cutInput(text, maxInputLength);
  if (NON_ASCII.test(s)) {
    s = s.replace(VULGAR_FRACTION, (c) => ` ${c.normalize('NFKC')}`).normalize('NFKC');
    // NFKC spells ″ as two primes, so the pair is matched before the single prime.
    s = s.replace(ASCII_MAP_PATTERN, (c) => (c.length === 2 ? '"' : (ASCII_MAP.get(c) ?? c)));
    s = s.toLowerCase();
    // NFD splits base letter and marks; NFC afterwards recomposes what is not a mark (e.g. Hangul jamo).
    if (foldDiacritics) s = s.normalize('NFD').replace(COMBINING_MARKS, '').normalize('NFC');
  } else {
    s = s.toLowerCase();
  }
  return s.includes(',') ? s.replace(THOUSANDS, '$1') : s;
}

/**
 * The product-search tokenizer: word and number tokens from normalised text, with units kept next to their
 * number in a canonical spelling. One linear scan over the string; deterministic; platform-neutral.
 *
 * Rules (after {@link normalizeText}):
 * - A word is a run of letters (and combining marks). Digits split words: `12v` → `12 v`, `sc141` → `sc 141`,
 *   `2x4` → `2 x 4`. So "2x4", "2 x 4" and "2 in. x 4 in." all give the numbers 2 and 4 around an `x`
 *   token; a single dimension token would not match the spelled-out form of the titles.
 * - A number is an integer (`12`, `08`), a decimal (`1.9`; `.25` → `0.25`, `2.50` → `2.5`) or a fraction
 *   (`1/2`). A mixed number keeps two tokens: `1-1/2` and `1 1/2` → `1 1/2`. A chain like `8/16/4` is not a
 *   fraction: it gives `8 16 4`.
 * - A unit right after a number becomes its canonical word ({@link UNIT_ALIASES}): `1/2 in.` → `1/2 inch`,
 *   `12-Gauge` → `12 gauge`, `18v` → `18 volt`, `1.9 cu. ft.` → `1.9 cubic foot`; a mark glued to a number is
 *   a unit too: `6'` → `6 foot`, `1/2"` → `1/2 inch`.
 * - Inside a word an apostrophe is dropped (`don't` → `dont`) and a possessive `'s` is removed (`men's` →
 *   `men`). Every other character (hyphen, `#`, `&`, `.`, brackets …) separates tokens.
 */
import { assertInteger } from '../math/check';
import { canonicalDecimal } from './number-token';
import { normalizeText, type NormalizeOptions } from './normalize';
import { UNIT_ALIASES, UNIT_MARKS, UNIT_PREFIXES } from './units';

/** Options for {@link tokenize}. */
export interface TokenizeOptions extends NormalizeOptions {
  /** Tokens to drop after unit rewriting, e.g. {@link DEFAULT_STOP_WORDS}. @default undefined (keep all) */
  stopWords?: ReadonlySet<string>;
  /** Stop after this many tokens (the scan stops too, so the cost is bounded). @default 256 */
  maxTokens?: number;
  /** Rewrite units after numbers to their canonical word. @default true */
  canonicalUnits?: boolean;
}

/** Default of {@link TokenizeOptions.maxTokens}. */
export const DEFAULT_MAX_TOKENS = 256;

const LETTER = /[\p{L}\p{M}]/u;
const APOSTROPHE = 39;
const SLASH = 47;
const DOT = 46;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Width in code units of the letter at `i`, or 0 when it is not a letter. */
function letterWidth(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) ? 1 : 0;
  const cp = s.codePointAt(i) ?? 0;
  return LETTER.test(String.fromCodePoint(cp)) ? (cp > 0xffff ? 2 : 1) : 0;
}

function digitsEnd(s: string, i: number): number {
  let j = i;
  while (j < s.length && isDigit(s.charCodeAt(j))) j++;
  return j;
}

/** Scans the number starting at `start`; returns its token and end. */
function scanNumber(s: string, start: number): { token: string; end: number } {
  if (s.charCodeAt(start) === DOT) {
    const end = digitsEnd(s, start + 1);
    return { token: canonicalDecimal('', s.slice(start + 1, end)), end };
  }
  const i = digitsEnd(s, start);
  const c = s.charCodeAt(i);
  if (c === SLASH && isDigit(s.charCodeAt(i + 1))) {
    const before = start > 0 ? s.charCodeAt(start - 1) : 0;
    const j = digitsEnd(s, i + 1);
    // Not a fraction inside a chain "8/16/4" (slash before or after) or after a decimal point.
    const chained =
      before === SLASH ||
      before === DOT ||
      (s.charCodeAt(j) === SLASH && isDigit(s.charCodeAt(j + 1)));
    if (!chained) return { token: s.slice(start, j), end: j };
  } else if (c === DOT && isDigit(s.charCodeAt(i + 1))) {
    const j = digitsEnd(s, i + 1);
    return { token: canonicalDecimal(s.slice(start, i), s.slice(i + 1, j)), end: j };
  }
  return { token: s.slice(start, i), end: i };
}

/** Scans the word starting at `start` (a letter); apostrophes inside are dropped, a final `'s` is removed. */
function scanWord(s: string, start: number): { token: string; end: number } {
  let i = start;
  let token = '';
  let segment = start;
  for (;;) {
    const w = letterWidth(s, i);
    if (w > 0) {
      i += w;
      continue;
    }
    if (s.charCodeAt(i) === APOSTROPHE && letterWidth(s, i + 1) > 0) {
      token += s.slice(segment, i);
      if (s.charCodeAt(i + 1) === 115 && letterWidth(s, i + 2) === 0) return { token, end: i + 2 };
      segment = i + 1;
      i += 1;
      continue;
    }
    return { token: token + s.slice(segment, i), end: i };
  }
}

/**
 * Splits text into word and number tokens (see the module comment for the rules).
 * @param text - raw text; it is normalised with {@link normalizeText} first
 * @param options - stop words, token cap, unit rewriting and the normalisation options
 * @returns the tokens, at most `maxTokens`
 * @throws TypeError when `text` is not a string; RangeError for a bad `maxTokens` / `maxInputLength`
 * @example tokenize('Acme Steel-Tie 12-Gauge Angle, 1/2 in.') // ['acme','steel','tie','12','gauge','angle','1/2','inch']
 * @see https://fasttext.cc/docs/en/unsupervised-tutorial.html (word and subword units)
 */
export function tokenize(text: string, options: TokenizeOptions = {}): string[] {
  const { stopWords, maxTokens = DEFAULT_MAX_TOKENS, canonicalUnits = true } = options;
  assertInteger(maxTokens, 'options.maxTokens', { min: 0 });
  const s = normalizeText(text, options);
  const tokens: string[] = [];
  // What the previous token was: a unit may follow a number, or a unit prefix such as "sq".
  let afterNumber = false;
  let afterUnitPrefix = false;
  let numberEnd = -1;
  const push = (token: string): void => {
    if (!stopWords?.has(token)) tokens.push(token);
  };
  let i = 0;
  while (i < s.length && tokens.length < maxTokens) {
    const c = s.charCodeAt(i);
    if (
      isDigit(c) ||
      (c === DOT && isDigit(s.charCodeAt(i + 1)) && !isDigit(s.charCodeAt(i - 1)))
    ) {
      const { token, end } = scanNumber(s, i);
      push(token);
      afterNumber = true;
      afterUnitPrefix = false;
      numberEnd = end;
      i = end;
    } else if (letterWidth(s, i) > 0) {
      const { token, end } = scanWord(s, i);
      const unit: string | undefined =
        canonicalUnits && (afterNumber || afterUnitPrefix) ? UNIT_ALIASES.get(token) : undefined;
      push(unit ?? token);
      afterNumber = false;
      afterUnitPrefix = unit !== undefined && UNIT_PREFIXES.has(unit);
      i = end;
    } else {
      const mark = canonicalUnits && i === numberEnd ? UNIT_MARKS.get(s[i] ?? '') : undefined;
      if (mark !== undefined) {
        push(mark);
        afterNumber = false;
        afterUnitPrefix = false;
      }
      i += 1;
    }
  }
  return tokens;
}

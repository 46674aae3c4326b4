/**
 * Number tokens as the tokenizer writes them: an integer (`12`, leading zeros kept: `08`), a decimal in
 * canonical form (`2.5`, `0.25`; never a trailing zero) or a fraction (`1/2`, not reduced).
 */

const NUMBER_TOKEN = /^(?:\d+(?:\.\d+)?|\d+\/\d+)$/;

/**
 * `true` when `token` is a number token of the tokenizer (integer, decimal or fraction).
 * @example isNumberToken('1/2') // true
 */
export function isNumberToken(token: string): boolean {
  const c = token.charCodeAt(0);
  // Cheap reject before the regular expression: every number token starts with a digit.
  return c >= 48 && c <= 57 && NUMBER_TOKEN.test(token);
}

/**
 * The numeric value of a number token (`'1/2'` → 0.5, `'08'` → 8), or `NaN` for any other token
 * (including a fraction with a zero denominator).
 * @example numberTokenValue('3/4') // 0.75
 */
export function numberTokenValue(token: string): number {
  if (!isNumberToken(token)) return Number.NaN;
  const slash = token.indexOf('/');
  if (slash < 0) return Number(token);
  const denominator = Number(token.slice(slash + 1));
  return denominator === 0 ? Number.NaN : Number(token.slice(0, slash)) / denominator;
}

/**
 * Canonical spelling of a decimal number read from text: trailing zeros and a bare dot dropped, a missing
 * integer part written as 0 (`2.50` → `2.5`, `3.0` → `3`, `.25` → `0.25`).
 * @internal
 */
export function canonicalDecimal(integerPart: string, fractionPart: string): string {
  let end = fractionPart.length;
  while (end > 0 && fractionPart.charCodeAt(end - 1) === 48) end--;
  const whole = integerPart === '' ? '0' : integerPart;
  return end === 0 ? whole : `${whole}.${fractionPart.slice(0, end)}`;
}

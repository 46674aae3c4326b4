/**
 * Text normalisation applied to every query, item, label and category the loader reads.
 */

/**
 * Unicode NFC normalisation, every whitespace run (spaces, tabs, line breaks inside quoted CSV fields, NBSP)
 * collapsed to one space, then trimmed. NFC makes the same visible text compare equal however it was composed.
 * @see https://unicode.org/reports/tr15/
 */
export function normalizeText(text: string): string {
  return text.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/** A text cut to a maximum length, and whether it was cut. */
export interface TruncatedText {
  readonly text: string;
  readonly truncated: boolean;
}

/**
 * Cuts `text` to at most `maxLength` UTF-16 code units, never between the two halves of a surrogate pair
 * (an emoji at the cut is dropped whole rather than left as a lone surrogate).
 * @throws RangeError when `maxLength` is not a positive integer
 */
export function truncateText(text: string, maxLength: number): TruncatedText {
  if (!Number.isInteger(maxLength) || maxLength < 1)
    throw new RangeError(`maxTextLength must be a positive integer (got ${maxLength})`);
  if (text.length <= maxLength) return { text, truncated: false };
  let end = maxLength;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return { text: text.slice(0, end).trimEnd(), truncated: true };
}

/** Longest quote of file content in a message, in UTF-16 code units. */
export const EXCERPT_CHARS = 60;

/**
 * A value quoted for an error message: JSON-quoted and cut to `max` characters with the total length named, so a
 * message never carries a whole field, header or line of a file, however long.
 * @example excerpt('a'.repeat(1e6)) // '"aaaa…" (1000000 characters)'
 */
export function excerpt(value: string, max = EXCERPT_CHARS): string {
  if (value.length <= max) return JSON.stringify(value);
  return `${JSON.stringify(truncateText(value, max).text).slice(0, -1)}…" (${value.length} characters)`;
}

/** Longest reason kept in a data error or issue, in UTF-16 code units. */
export const MAX_REASON_CHARS = 500;

/** A message cut to {@link MAX_REASON_CHARS} (the safety net behind {@link excerpt}). */
export function capReason(reason: string): string {
  return reason.length <= MAX_REASON_CHARS
    ? reason
    : `${truncateText(reason, MAX_REASON_CHARS).text}… (${reason.length} characters)`;
}

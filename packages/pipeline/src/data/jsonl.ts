/**
 * An incremental JSON Lines parser: one JSON object per line, LF or CRLF line ends, blank lines skipped, a
 * leading byte order mark dropped. Each record carries its 1-based line number; a line that is not valid JSON
 * (`BAD_JSON`) or not an object (`NOT_AN_OBJECT`) becomes an issue instead. Memory is bounded whatever the input: a
 * line longer than `maxLineChars` is reported (`RECORD_TOO_LONG`) as soon as it is met and the rest of it is read
 * without being kept; a NUL character is reported as binary data (`NUL_BYTE`).
 * @see https://jsonlines.org/
 */
import type { DataIssue } from './data-issue';
import { readTextChunks, type ReadTextChunksOptions } from './read-text-chunks';
import { capReason } from './text';

/** Default {@link JsonlParserOptions.maxLineChars}: 1 MiB of text per line. */
export const MAX_LINE_CHARS = 1 << 20;

/** A parsed JSONL object with its line number, or an issue for a malformed line. */
export type JsonlEvent =
  | {
      readonly kind: 'record';
      readonly line: number;
      readonly value: Readonly<Record<string, unknown>>;
    }
  | { readonly kind: 'issue'; readonly issue: DataIssue };

/** Options for {@link createJsonlParser}. */
export interface JsonlParserOptions {
  /** File name used in issues. @default '<input>' */
  file?: string;
  /** Longest line kept, in characters. @default 1048576 */
  maxLineChars?: number;
  /** The line number of the text's first line, when the text is a part of a file. @default 1 */
  firstLine?: number;
}

/** A streaming JSONL parser: push text chunks, then call `end()` once. */
export interface JsonlParser {
  /** Parses the complete lines of the next chunk. */
  push(text: string): JsonlEvent[];
  /** Parses a last line without a trailing newline. */
  end(): JsonlEvent[];
}

/** Creates an incremental JSONL parser. */
export function createJsonlParser(options: JsonlParserOptions = {}): JsonlParser {
  const file = options.file ?? '<input>';
  const maxLineChars = options.maxLineChars ?? MAX_LINE_CHARS;
  let rest = '';
  let line = (options.firstLine ?? 1) - 1;
  let started = false;
  // The current line went over the limit: it was reported, and is read up to its end without being kept.
  let skipping = false;

  const parseLine = (raw: string, out: JsonlEvent[]): void => {
    line++;
    if (skipping) {
      skipping = false;
      return;
    }
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.trim().length === 0) return;
    if (text.length > maxLineChars) {
      const reason = `the line is longer than ${maxLineChars} characters`;
      out.push({ kind: 'issue', issue: { file, line, code: 'RECORD_TOO_LONG', reason } });
      return;
    }
    if (text.includes('\0')) {
      out.push({
        kind: 'issue',
        issue: {
          file,
          line,
          code: 'NUL_BYTE',
          reason: 'the line holds a NUL byte (binary data, not text)',
        },
      });
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      out.push({
        kind: 'issue',
        issue: { file, line, code: 'BAD_JSON', reason: capReason(`invalid JSON: ${detail}`) },
      });
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      const kind =
        value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
      out.push({
        kind: 'issue',
        issue: { file, line, code: 'NOT_AN_OBJECT', reason: `expected a JSON object, got ${kind}` },
      });
      return;
    }
    out.push({ kind: 'record', line, value: value as Record<string, unknown> });
  };

  return {
    push(text: string): JsonlEvent[] {
      const out: JsonlEvent[] = [];
      let chunk = text;
      if (!started && chunk.length > 0) {
        started = true;
        if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      }
      let start = 0;
      let nl = chunk.indexOf('\n');
      while (nl >= 0) {
        parseLine(rest + chunk.slice(start, nl), out);
        rest = '';
        start = nl + 1;
        nl = chunk.indexOf('\n', start);
      }
      if (!skipping) rest += chunk.slice(start);
      if (!skipping && rest.length > maxLineChars) {
        const at = line + 1;
        const reason = `the line is longer than ${maxLineChars} characters; nothing after that is kept`;
        out.push({ kind: 'issue', issue: { file, line: at, code: 'RECORD_TOO_LONG', reason } });
        skipping = true;
        rest = '';
      }
      return out;
    },
    end(): JsonlEvent[] {
      const out: JsonlEvent[] = [];
      if (rest.length > 0 || skipping) parseLine(rest, out);
      rest = '';
      skipping = false;
      return out;
    },
  };
}

/** Parses a whole JSONL string (convenience for small inputs and tests). */
export function parseJsonl(text: string, options: JsonlParserOptions = {}): JsonlEvent[] {
  const parser = createJsonlParser(options);
  return [...parser.push(text), ...parser.end()];
}

/**
 * Streams a JSONL file object by object.
 * @throws the read stream's error when the file cannot be read
 */
export async function* readJsonl(
  path: string,
  options: ReadTextChunksOptions & Omit<JsonlParserOptions, 'file'> & { file?: string } = {},
): AsyncGenerator<JsonlEvent> {
  const parser = createJsonlParser({
    file: options.file ?? path,
    ...(options.maxLineChars === undefined ? {} : { maxLineChars: options.maxLineChars }),
    ...(options.firstLine === undefined ? {} : { firstLine: options.firstLine }),
  });
  for await (const chunk of readTextChunks(path, options)) yield* parser.push(chunk);
  yield* parser.end();
}

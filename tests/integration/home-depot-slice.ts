/**
 * The first rows of the shared Home Depot file, copied to a temp folder at test time: the integration tests run
 * on real data without its rows ever entering the repository.
 */
import { createReadStream, existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

/** The repository root. */
export const REPO_ROOT = resolve(import.meta.dirname, '../..');
/** The shared file, beside the checkout. */
export const HOMEDEPOT_SOURCE = resolve(REPO_ROOT, '../shared/data/homedepot/train.csv');

/** The first `lines` lines of a text file (header included), newline-terminated. */
export async function headLines(path: string, lines: number): Promise<string> {
  const out: string[] = [];
  const rl = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  for await (const line of rl) {
    out.push(line);
    if (out.length >= lines) break;
  }
  rl.close();
  return `${out.join('\n')}\n`;
}

/**
 * Writes the header and the first `rows` data rows of the Home Depot file to `<dir>/slice.csv`.
 * @returns the slice's path
 * @throws Error when the shared file is missing
 */
export async function writeHomeDepotSlice(dir: string, rows: number): Promise<string> {
  if (!existsSync(HOMEDEPOT_SOURCE))
    throw new Error(
      `${HOMEDEPOT_SOURCE} is missing: the tests read the shared Home Depot file beside the checkout`,
    );
  const csv = join(dir, 'slice.csv');
  writeFileSync(csv, await headLines(HOMEDEPOT_SOURCE, rows + 1));
  return csv;
}

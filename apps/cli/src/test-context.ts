/**
 * Test helpers: a {@link CommandContext} over in-memory streams, a temporary folder, and small synthetic data.
 * @internal
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { parseCommandLine } from './args';
import type { CliBackends } from './backends';
import { UsageError } from './cli-errors';
import type { CommandContext } from './command-context';
import type { ParsedCommand } from './parsed-command';

/** A context whose output is captured. */
export interface TestContext {
  readonly ctx: CommandContext;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly abort: () => void;
}

/**
 * A context writing to buffers (not a terminal), with an abort controller and the given backends.
 * @param options - cwd, backends, environment
 */
export function createTestContext(options: {
  cwd: string;
  backends?: CliBackends;
  env?: Readonly<Record<string, string | undefined>>;
}): TestContext {
  let out = '';
  let err = '';
  const controller = new AbortController();
  return {
    ctx: {
      stdout: { write: (text: string) => (out += text) },
      stderr: { write: (text: string) => (err += text), isTTY: false },
      env: options.env ?? {},
      cwd: options.cwd,
      repoRoot: options.cwd,
      signal: controller.signal,
      backends: options.backends ?? {},
    },
    stdout: () => out,
    stderr: () => err,
    abort: () => {
      controller.abort();
    },
  };
}

/** A fresh temporary folder and its remover. */
export function createTempDir(prefix = 'gradeshift-cli-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

const CATEGORIES: Readonly<Record<string, readonly string[]>> = {
  tools: ['drill', 'hammer', 'saw', 'wrench', 'screwdriver', 'sander', 'chisel', 'clamp'],
  garden: ['hose', 'mower', 'rake', 'shovel', 'planter', 'trimmer', 'sprinkler', 'wheelbarrow'],
  paint: ['primer', 'brush', 'roller', 'stain', 'enamel', 'sealer', 'tape', 'sprayer'],
};
const MODIFIERS = [
  'cordless',
  'steel',
  'heavy duty',
  'compact',
  'pro',
  'outdoor',
  'white',
  'black',
];
const PACKS = ['kit', 'set', 'tool', 'pack'];

/**
 * Writes a synthetic labelled CSV (`id,query,title,rating,cat`, ratings 1–3 like Home Depot): each query
 * `<modifier> <noun>` has items naming its noun (rated 2.33–3) and items naming another noun (rated 1–2).
 * Deterministic: the choices cycle instead of drawing random numbers.
 * @param path - the file to write
 * @param queriesPerNoun - modifiers used per noun (rows = 3 categories × 8 nouns × this × 4)
 * @returns the number of data rows
 */
export function writeSyntheticPairs(path: string, queriesPerNoun = 4): number {
  const lines = ['id,query,title,rating,cat'];
  let id = 0;
  for (const [category, nouns] of Object.entries(CATEGORIES)) {
    nouns.forEach((noun, n) => {
      for (let m = 0; m < queriesPerNoun; m++) {
        const query = `${MODIFIERS[m % MODIFIERS.length] ?? ''} ${noun}`;
        for (let k = 0; k < 4; k++) {
          const relevant = k < 2;
          const other = nouns[(n + 1 + k) % nouns.length] ?? noun;
          const title = `${MODIFIERS[(m + k + 1) % MODIFIERS.length] ?? ''} ${relevant ? noun : other} ${PACKS[(n + k) % PACKS.length] ?? ''}`;
          const rating = relevant
            ? ['2.33', '2.67', '3', '2.67'][(id + m) % 4]
            : ['1', '1.33', '1.67', '2'][(id + n) % 4];
          id++;
          lines.push(`${id},${query},${title},${rating ?? '2'},${category}`);
        }
      }
    });
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  return id;
}

export type ArgsOf<TName> =
  Extract<ParsedCommand, { command: TName }> extends { args: infer TArgs } ? TArgs : never;

/** The args of a parsed command, checking its name. */
export function argsOf<TName extends Exclude<ParsedCommand['command'], 'help'>>(
  name: TName,
  argv: string[],
): ArgsOf<TName> {
  const parsed = parseCommandLine([name, ...argv]);
  if (parsed.command !== name || !('args' in parsed))
    throw new Error(`parsed as ${parsed.command}`);
  return parsed.args as ArgsOf<TName>;
}

/** The usage error thrown for `argv` (fails the test when none is thrown). */
export function usageErrorOf(argv: string[]): UsageError {
  try {
    parseCommandLine(argv);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`no usage error for ${argv.join(' ')}`);
}

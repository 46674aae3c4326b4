/**
 * Typed access to the values `parseArgs` returned for one command. Every failure is a {@link UsageError} that
 * names the option, the value and the command, so `main` can print it with the usage line (exit code 2).
 */
import { UsageError } from './cli-errors';
import type { CommandSpec } from './option-table';
import {
  parseChoice,
  parseInteger,
  parseIntegerList,
  parseList,
  parseNumber,
  type NumberBounds,
} from './value-parsers';

/** The raw values of `parseArgs` (no `multiple` options are declared). */
export type RawValues = Readonly<
  Record<string, string | boolean | (string | boolean)[] | undefined>
>;

/** Reads one command's options. */
export interface OptionReader {
  /** The command being read. */
  readonly spec: CommandSpec;
  /** Whether the option was given. */
  has(name: string): boolean;
  /** A string option (non-empty), or `undefined`. */
  string(name: string): string | undefined;
  /** A flag. */
  flag(name: string): boolean;
  /** An integer option, or `fallback`. */
  integer(name: string, fallback: number, bounds?: NumberBounds): number;
  /** A number option, or `fallback`. */
  number(name: string, fallback: number, bounds?: NumberBounds): number;
  /** A word from `choices`, or `fallback`. */
  choice<TChoice extends string>(
    name: string,
    choices: readonly TChoice[],
    fallback: TChoice,
  ): TChoice;
  /** A comma-separated list, or `undefined`. */
  list(name: string): string[] | undefined;
  /** A comma-separated integer list, or `undefined`. */
  integerList(name: string, bounds?: NumberBounds): number[] | undefined;
  /** Applies `parse` to the value, turning its `RangeError` into a usage error naming the option. */
  parse<TValue>(name: string, parse: (text: string) => TValue): TValue | undefined;
  /** Throws a usage error for this command. */
  fail(message: string): never;
}

/**
 * Creates the reader and checks the options marked required in the spec.
 * @param spec - the command's option table
 * @param values - `parseArgs(...).values`
 * @throws UsageError naming the first missing required option
 */
export function createOptionReader(spec: CommandSpec, values: RawValues): OptionReader {
  const fail = (message: string): never => {
    throw new UsageError(message, { usage: spec.usage, command: spec.name });
  };
  const raw = (name: string): string | undefined => {
    const v = values[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') return fail(`--${name} needs a value`);
    if (v.trim() === '') return fail(`--${name} must not be empty`);
    return v;
  };
  const parse = <TValue>(name: string, fn: (text: string) => TValue): TValue | undefined => {
    const text = raw(name);
    if (text === undefined) return undefined;
    try {
      return fn(text);
    } catch (error) {
      if (error instanceof RangeError) return fail(`--${name} ${error.message}`);
      throw error;
    }
  };
  for (const option of spec.options) {
    if (option.required === true && values[option.name] === undefined) {
      fail(`missing --${option.name} ${option.placeholder ?? '<value>'} (${option.description})`);
    }
  }
  return {
    spec,
    has: (name) => values[name] !== undefined,
    string: raw,
    flag: (name) => values[name] === true,
    integer: (name, fallback, bounds) => parse(name, (t) => parseInteger(t, bounds)) ?? fallback,
    number: (name, fallback, bounds) => parse(name, (t) => parseNumber(t, bounds)) ?? fallback,
    choice: (name, choices, fallback) => parse(name, (t) => parseChoice(t, choices)) ?? fallback,
    list: (name) => parse(name, parseList),
    integerList: (name, bounds) => parse(name, (t) => parseIntegerList(t, bounds)),
    parse,
    fail,
  };
}

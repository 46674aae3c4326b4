/**
 * Declarative option tables: one {@link CommandSpec} per subcommand drives both `node:util` `parseArgs` and the
 * `--help` text, so the help can never list an option the parser does not accept or hide a default.
 *
 * @see https://nodejs.org/api/util.html#utilparseargsconfig
 */
import type { ParseArgsConfig } from 'node:util';

/** One `--long` option. */
export interface OptionSpec {
  /** Long name without the dashes, e.g. `query-col`. */
  readonly name: string;
  /** `string` options take a value; `boolean` options are flags. */
  readonly type: 'string' | 'boolean';
  /** Single-letter alias. @default none */
  readonly short?: string;
  /** The value's placeholder in the help, e.g. `<file>`. @default `<value>` */
  readonly placeholder?: string;
  /** One line saying what the option does. */
  readonly description: string;
  /** The default shown in the help; flags default to `off`. @default `none` (strings), `off` (flags) */
  readonly defaultText?: string;
  /** Shown as `(required)` instead of a default. @default false */
  readonly required?: boolean;
}

/** Subcommand names. */
export type CommandName =
  | 'pipeline'
  | 'prepare'
  | 'encoder'
  | 'train'
  | 'select'
  | 'evaluate'
  | 'export'
  | 'score'
  | 'worker'
  | 'runs'
  | 'help';

/** A subcommand: its usage line, summary, options and examples. */
export interface CommandSpec {
  readonly name: CommandName;
  /** One line for the command list. */
  readonly summary: string;
  /** The usage line, without the leading `Usage: `. */
  readonly usage: string;
  /** Paragraphs printed after the usage line. @default none */
  readonly details?: readonly string[];
  readonly options: readonly OptionSpec[];
  /** Whether positional arguments are accepted. @default false */
  readonly positionals?: boolean;
  /** Example invocations. @default none */
  readonly examples?: readonly string[];
}

/** The `--help` flag every command accepts. */
export const HELP_OPTION: OptionSpec = {
  name: 'help',
  short: 'h',
  type: 'boolean',
  description: 'show this help and exit',
};

/** The `parseArgs` config of a command (strict: unknown options are errors). */
export function toParseArgsConfig(spec: CommandSpec): ParseArgsConfig {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const o of [...spec.options, HELP_OPTION]) {
    options[o.name] = o.short === undefined ? { type: o.type } : { type: o.type, short: o.short };
  }
  return { options, strict: true, allowPositionals: spec.positionals ?? false };
}

function optionLabel(o: OptionSpec): string {
  const flag = o.short === undefined ? `--${o.name}` : `-${o.short}, --${o.name}`;
  return o.type === 'string' ? `${flag} ${o.placeholder ?? '<value>'}` : flag;
}

function defaultLabel(o: OptionSpec): string {
  if (o.required === true) return '(required)';
  return `(default: ${o.defaultText ?? (o.type === 'boolean' ? 'off' : 'none')})`;
}

/**
 * The `--help` text of a command: usage, details, every option with its default, examples.
 * @param spec - the command
 * @returns the text, ending with a newline
 */
export function formatCommandHelp(spec: CommandSpec): string {
  const all = [...spec.options, HELP_OPTION];
  const labels = all.map(optionLabel);
  const width = Math.min(34, Math.max(...labels.map((l) => l.length)) + 2);
  const lines = [`Usage: ${spec.usage}`, '', spec.summary];
  for (const d of spec.details ?? []) lines.push('', d);
  lines.push('', 'Options:');
  all.forEach((o, i) => {
    const label = labels[i] ?? '';
    const text = `${o.description} ${o === HELP_OPTION ? '' : defaultLabel(o)}`.trimEnd();
    lines.push(
      label.length + 2 > width
        ? `  ${label}\n  ${' '.repeat(width)}${text}`
        : `  ${label.padEnd(width)}${text}`,
    );
  });
  if (spec.examples !== undefined && spec.examples.length > 0) {
    lines.push('', 'Examples:', ...spec.examples.map((e) => `  ${e}`));
  }
  return `${lines.join('\n')}\n`;
}

/** A `--name <placeholder>` option; `defaultText` is shown in the help. */
export function stringOption(option: Omit<OptionSpec, 'type'>): OptionSpec {
  return { ...option, type: 'string' };
}

/** A `--name` flag (default off). */
export function flagOption(name: string, description: string): OptionSpec {
  return { name, type: 'boolean', description };
}

/** The same option, shown as `(required)`. */
export function requiredOption(option: OptionSpec): OptionSpec {
  return { ...option, required: true };
}

import { parseArgs } from 'node:util';

import { describe, expect, it } from 'vitest';

import { COMMAND_SPECS, formatMainHelp } from './command-specs';
import { formatCommandHelp, toParseArgsConfig } from './option-table';

const SPECS = Object.values(COMMAND_SPECS);

describe('formatCommandHelp', () => {
  it.each(SPECS.map((s) => [s.name, s] as const))(
    '%s: the help lists every option with its default, or says it is required',
    (_name, spec) => {
      const help = formatCommandHelp(spec);
      expect(help.startsWith(`Usage: ${spec.usage}\n`)).toBe(true);
      const lines = help.split('\n');
      const options = lines.slice(lines.indexOf('Options:'));
      for (const option of spec.options) {
        const label = new RegExp(`^  (-\\w, )?--${option.name}( |$)`);
        const line = options.findIndex((l) => label.test(l));
        expect(line, `--${option.name} missing from the help`).toBeGreaterThan(0);
        // The description may wrap onto the next line when the label is long.
        const text = options.slice(line, line + 2).join(' ');
        expect(text).toMatch(option.required === true ? /\(required\)/ : /\(default: [^)]+\)/);
      }
      expect(help).toContain('-h, --help');
    },
  );

  it('shows the stated default text and flags as off', () => {
    const help = formatCommandHelp(COMMAND_SPECS.pipeline);
    expect(help).toMatch(/--budget <fraction> +annotation budget .* \(default: 0\.02\)/);
    expect(help).toMatch(
      /--no-ablation +skip the cross-entropy ablation of stage 1 \(default: off\)/,
    );
    expect(help).toMatch(/--out <dir> +output folder of the run \(required\)/);
  });
});

describe('toParseArgsConfig', () => {
  it.each(SPECS.map((s) => [s.name, s] as const))(
    '%s: the parser accepts exactly the options of the help, plus --help',
    (_name, spec) => {
      const config = toParseArgsConfig(spec);
      expect(Object.keys(config.options ?? {}).sort()).toEqual(
        [...spec.options.map((o) => o.name), 'help'].sort(),
      );
      expect(() => parseArgs({ ...config, args: ['--definitely-not-an-option'] })).toThrow(
        /Unknown option/,
      );
    },
  );
});

describe('formatMainHelp', () => {
  it('lists every command and the exit codes', () => {
    const help = formatMainHelp();
    for (const spec of SPECS) expect(help).toContain(`  ${spec.name} `);
    expect(help).toContain('65 bad input data');
    expect(help).toContain('130 interrupted');
  });
});

/**
 * Option tables of `gradeshift runs` (the run store) and `gradeshift help`.
 */
import { stringOption, type CommandSpec } from '../option-table';
import { JSON_OPTION } from './shared-options';

/** Default run store: `gradeshift pipeline --out runs/<name>` records into `runs/runs.sqlite`. */
export const DEFAULT_STORE = 'runs/runs.sqlite';

/** `gradeshift runs`. */
export const RUNS_SPEC: CommandSpec = {
  name: 'runs',
  summary: 'List the runs of a run store, or show one run with its stages, metrics and artifacts.',
  usage: 'gradeshift runs [list | show <id>] [options]',
  details: ['<id> may be any unique prefix of a run id.'],
  positionals: true,
  options: [
    stringOption({
      name: 'store',
      placeholder: '<file|url>',
      description: 'run store: an SQLite file or a postgres:// URL',
      defaultText: `GRADESHIFT_STORE, else ${DEFAULT_STORE}`,
    }),
    stringOption({
      name: 'limit',
      placeholder: '<n>',
      description: 'list: at most this many runs, newest first',
      defaultText: '20',
    }),
    stringOption({
      name: 'kind',
      placeholder: '<kind>',
      description: 'list: only runs of this kind (e.g. pipeline)',
      defaultText: 'every kind',
    }),
    JSON_OPTION,
  ],
  examples: ['gradeshift runs', 'gradeshift runs show 3f2a --store runs/runs.sqlite'],
};

/** `gradeshift help`. */
export const HELP_SPEC: CommandSpec = {
  name: 'help',
  summary: 'Show the list of commands, or the help of one command.',
  usage: 'gradeshift help [command]',
  positionals: true,
  options: [],
};

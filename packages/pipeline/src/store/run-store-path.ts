import { dirname, join } from 'node:path';

/**
 * The run store a run folder records into when none is named: `runs.sqlite` beside the folder.
 * @param runDir - the run folder
 */
export function defaultRunStorePath(runDir: string): string {
  return join(dirname(runDir), 'runs.sqlite');
}

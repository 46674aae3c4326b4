/** Reading a run file's JSON, with the failure told as a run-folder error naming the file. */
import { readFileSync } from 'node:fs';

import { RunFolderError } from '../run-folder/run-folder-error';

/**
 * Parses the JSON file at `path`.
 * @param hint - what to do about a file that is not JSON @default the `INVALID_REPORT` hint
 * @throws RunFolderError `INVALID_REPORT` when the file is not JSON
 */
export function readJsonFile(path: string, hint?: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new RunFolderError(
      'INVALID_REPORT',
      { path, reason: `not JSON (${error instanceof Error ? error.message : String(error)})` },
      hint === undefined ? { cause: error } : { cause: error, hint },
    );
  }
}

/**
 * Stage weights on disk: core's checked parameters file (`encodeScorerParams` / `decodeScorerParams`) written
 * atomically under `<run>/params/`, and read back with every check plus the file's sha256 against run.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  decodeScorerParams,
  encodeScorerParams,
  isParamsFileError,
  type EmbeddingTable,
  type ScorerConfig,
  type ScorerParams,
} from '@gradeshift/core';

import { sha256Hex } from '@gradeshift/core/node';
import { writeFileAtomic } from '../io/atomic-write';
import { PIPELINE_VERSION } from '../version';
import { RunFolderError } from './run-folder-error';
import { RUN_FILES, type StageName, type StoredParams } from './run-json';

/**
 * Writes the weights of `stage` to `<dir>/params/<stage>.bin` (float32).
 * @param contents - the weights and notes for the file header (loss, seed…)
 * @returns the relative file name and the file's sha256, for run.json
 */
export function writeStageParams(
  dir: string,
  stage: StageName,
  contents: { params: ScorerParams; metadata?: Record<string, unknown> },
): StoredParams {
  const { params, metadata = {} } = contents;
  const file = RUN_FILES.params(stage);
  const bytes = encodeScorerParams(params, {
    metadata: { stage, producer: `gradeshift ${PIPELINE_VERSION}`, ...metadata },
  });
  writeFileAtomic(join(dir, file), bytes);
  return { file, sha256: sha256Hex(bytes) };
}

/** Hint for a stage whose file is unusable. */
function retrainHint(stage: StageName): string {
  if (stage === 'debias')
    return 'run the de-biasing step again: gradeshift train --run <dir> --stage debias';
  if (stage === 'distill')
    return 'distil again: gradeshift train --run <dir> --stage distill --teacher <file>';
  return stage === 'stage1'
    ? 'train it again: gradeshift train --run <dir> --stage 1'
    : 'train stage 2 again (it also writes stage 3): gradeshift train --run <dir> --stage 2';
}

/**
 * Reads the weights of `stage` with every check: the file's sha256 against run.json, then core's checks
 * (truncation, version, checksum, config, embedding dims, shapes, finite values).
 * @throws RunFolderError `INVALID_PARAMS` naming the file and the problem
 */
export function readStageParams(
  dir: string,
  stage: StageName,
  expected: { stored: StoredParams; config: ScorerConfig; embeddings: EmbeddingTable },
): ScorerParams {
  const { stored, ...model } = expected;
  const path = join(dir, stored.file);
  const hint = retrainHint(stage);
  if (!existsSync(path))
    throw new RunFolderError(
      'INVALID_PARAMS',
      { path, reason: `the ${stage} parameters file is missing` },
      { hint },
    );
  const bytes = readFileSync(path);
  const digest = sha256Hex(bytes);
  try {
    const { params } = decodeScorerParams(
      new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length),
      {
        embeddings: model.embeddings,
        config: model.config,
      },
    );
    if (digest !== stored.sha256)
      throw new RunFolderError(
        'INVALID_PARAMS',
        {
          path,
          reason: `the file changed after run.json recorded it (sha256 ${digest.slice(0, 12)}…, recorded ${stored.sha256.slice(0, 12)}…)`,
        },
        { hint },
      );
    return params;
  } catch (error) {
    if (!isParamsFileError(error)) throw error;
    throw new RunFolderError(
      'INVALID_PARAMS',
      { path, reason: error.message },
      { cause: error, hint },
    );
  }
}

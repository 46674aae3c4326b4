/**
 * A run folder open for its steps: the folder, its run.json as last written, the prepared data and the matrix
 * kernels. The CLI's step commands open one per step (`loadRunData`); `runPipeline` opens one for the whole loop
 * and passes it through the same step functions.
 */
import type { Gemm } from '@gradeshift/core/math';

import type { PreparedData } from '../stages/prepare';
import type { ProgressSink } from '../stages/progress';
import type { RunJson } from './run-json';

/** A run folder open for its steps. */
export interface OpenRun {
  /** The run folder (absolute). */
  readonly dir: string;
  /** run.json as last written. */
  readonly run: RunJson;
  readonly data: PreparedData;
  readonly gemm: Gemm;
  readonly progress?: ProgressSink | undefined;
}

/**
 * What the routers work with, bundled once at start-up: configuration, the model registry, the job runner, the
 * run reader, and the evaluate / select work (ports, so the routers do not know how the work is done).
 */
import type { Logger } from 'pino';

import type { ApiConfig } from './env';
import type { PathRoots } from './http/public-paths';
import type { JobBoard } from './jobs/job-board';
import type { JobRunner } from './jobs/job-runner';
import type { ModelRegistry } from './models/model-registry';
import type { ReloadChannel } from './models/reload-channel';
import type { RunReader } from './runs/run-reader';
import type { JobWork } from './work/job-work';

/** The server's services. */
export interface ApiServices {
  readonly config: ApiConfig;
  readonly registry: ModelRegistry;
  /** Announces reloads to the other replicas on the same store. */
  readonly reloads: ReloadChannel;
  /** This replica's jobs, as they run. */
  readonly jobs: JobRunner;
  /** The jobs of every replica on the store (on the SQLite file alone: this one's). */
  readonly jobBoard: JobBoard;
  readonly runs: RunReader;
  readonly work: JobWork;
  readonly logger: Logger;
  /** `Date.now()` at start-up. */
  readonly startedAt: number;
  /** The configured folders answers show paths relative to (http/public-paths.ts). */
  readonly publicPaths: PathRoots;
}

/**
 * @file Assembles the server: models loaded and checked, run store opened (the SQLite file, and with
 * `GRADESHIFT_STORE` the PostgreSQL database replicas share: store/shared-store.ts, jobs/job-board.ts,
 * models/reload-channel.ts), job runner, tRPC router behind the HTTP layer. Nothing listens until `listen()`; server.ts is the only caller with side effects, and tests build
 * their own with a temporary configuration.
 *
 * Shutdown (`close`): new requests get 503 at once, requests in flight run to their end (up to
 * `shutdownTimeoutMs`, then connections are cut), running jobs are aborted and awaited, models are disposed once
 * their last lease is released, the file's runs are copied into the shared store a last time, and the stores are closed.
 */
import { createServer, type Server } from 'node:http';

import type { Logger } from 'pino';

import { openRunStore, type RunStore } from '@gradeshift/pipeline';

import { REPO_ROOT, type ApiConfig } from './env';
import { pathRoots } from './http/public-paths';
import { createRequestHandler } from './http/request-handler';
import { drainServer, listenOn } from './http/server-lifecycle';
import { createTrpcListener } from './http/trpc-listener';
import { createJobBoard } from './jobs/job-board';
import { createJobRunner, type JobSnapshot } from './jobs/job-runner';
import { createModelRegistry, type LoadModel, type ModelRegistry } from './models/model-registry';
import { connectReloadChannel } from './models/reload-channel';
import { healthOf } from './routers/health';
import { createRerankRoutes } from './rerank/rerank-routes';
import { createRunReader } from './runs/run-reader';
import { createScoringPool } from './scoring/scoring-pool';
import type { ApiServices } from './services';
import { openSharedStore, type SharedStore } from './store/shared-store';
import type { JobWork } from './work/job-work';
import { nodeModelLoader } from './work/load-node-model';
import { createThreadedWork } from './work/threaded-work';

/** Options of {@link createApi}. */
export interface CreateApiOptions {
  logger: Logger;
  /**
   * Loads a bundle folder. @default loadBundleScorer on onnxruntime-node with the configured threads and batch,
   * outside detectors multiplying through onnxruntime's Gemm
   */
  load?: LoadModel;
  /**
   * The evaluate and select work. @default the pipeline's (evaluateBundle, loadPairs + @gradeshift/ood), each job
   * in its own thread (work/threaded-work.ts)
   */
  work?: JobWork;
}

/** A server ready to listen. */
export interface Api {
  readonly services: ApiServices;
  readonly server: Server;
  /** Starts listening on the configured host and port (0 = any free port). */
  listen(): Promise<{ host: string; port: number; url: string }>;
  /** Graceful shutdown (see the file comment). Safe to call twice. */
  close(): Promise<void>;
}

interface Loader {
  load: LoadModel;
  dispose: () => Promise<void>;
}

/** The bundle loader: the one given, else scoring threads when configured, else onnxruntime-node in-process. */
function loaderOf(config: ApiConfig, options: CreateApiOptions): Loader {
  if (options.load !== undefined) return { load: options.load, dispose: () => Promise.resolve() };
  if (config.scoringThreads === 0) return nodeModelLoader(config);
  // Loads bundles into scoring threads (scoring-pool.ts).
  const pool = createScoringPool({
    threads: config.scoringThreads,
    batchSize: config.batchSize,
    ortThreads: config.ortThreads,
  });
  return { load: pool.load, dispose: () => pool.close() };
}

/**
 * Loads every configured model into a new registry; on a failure, disposes what was loaded and the loader.
 * @throws Error naming the model id and the bundle's problem
 */
async function loadModels(
  config: ApiConfig,
  loader: Loader,
  logger: Logger,
): Promise<ModelRegistry> {
  const registry = createModelRegistry(loader.load);
  try {
    for (const { id, dir } of config.models) {
      try {
        const model = await registry.add(id, dir);
        logger.info({ model: id, dir: model.dir, sha256: model.sha256 }, 'model loaded');
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        throw new Error(`model "${id}" (${dir}) does not load: ${detail}`, { cause: error });
      }
    }
  } catch (error) {
    await registry.close();
    await loader.dispose();
    throw error;
  }
  return registry;
}

/** The evaluate and select work: each job in its own thread. */
function threadedWork(config: ApiConfig, store: RunStore): JobWork {
  return createThreadedWork({
    store,
    settings: {
      runsDir: config.runsDir,
      runStorePath: config.runStorePath,
      maxFilePairs: config.limits.maxFilePairs,
      batchSize: config.batchSize,
      ortThreads: config.ortThreads,
    },
  });
}

/**
 * Opens the shared run store (or the file alone); on a failure, closes the file, the models and the loader.
 * @throws Error naming the database (password hidden) when it cannot be reached
 */
async function openShared(
  config: ApiConfig,
  store: RunStore,
  opened: { registry: ModelRegistry; loader: Loader; logger: Logger },
): Promise<SharedStore> {
  try {
    return await openSharedStore({
      local: store,
      url: config.sharedStore,
      syncMs: config.storeSyncMs,
      logger: opened.logger,
    });
  } catch (error) {
    store.close();
    await opened.registry.close();
    await opened.loader.dispose();
    throw error;
  }
}

/** The HTTP server in front of tRPC and the rerank routes, its timeouts set. */
function httpServer(services: ApiServices, isClosing: () => boolean): Server {
  const { config, logger } = services;
  const server = createServer(
    createRequestHandler({
      trpc: createTrpcListener(services),
      limits: config.limits,
      corsOrigins: config.corsOrigins,
      allowedHosts: config.token === undefined ? config.allowedHosts : undefined,
      logger,
      isClosing,
      routes: createRerankRoutes(services),
      health: () => {
        const health = healthOf(services);
        return { ok: !isClosing() && health.status === 'ok', body: health };
      },
    }),
  );
  server.requestTimeout = config.requestTimeoutMs;
  server.headersTimeout = Math.min(config.requestTimeoutMs, 60_000);
  // Idle keep-alive sockets stay open longer than clients keep them (undici/fetch: 4 s, most HTTP clients and load
  // balancers: under 60 s), so the client always closes first. With Node's 5 s default a busy client can send on a
  // socket the server has just closed, and that request fails with ECONNRESET.
  server.keepAliveTimeout = 65_000;
  return server;
}

/**
 * Builds the server: loads every configured model (start-up fails naming the model that does not load) and
 * opens the run store.
 * @param config - the checked configuration (env.ts)
 * @param options - logger, and the loader / work for tests
 * @throws Error naming the model id and the bundle's problem; Error from opening the run store
 */
export async function createApi(config: ApiConfig, options: CreateApiOptions): Promise<Api> {
  const { logger } = options;
  const loader = loaderOf(config, options);
  const registry = await loadModels(config, loader, logger);
  const store = openRunStore(config.runStorePath);
  const shared = await openShared(config, store, { registry, loader, logger });
  const reloads = await connectReloadChannel({
    backend: shared.backend,
    registry,
    modelsDir: config.modelsDir,
    logger,
  });
  const jobs = createJobRunner({
    maxConcurrent: config.limits.maxConcurrentJobs,
    retention: config.jobRetention,
    onError: (job, error) =>
      logger.error({ job: job.id, kind: job.kind, err: error }, 'job failed'),
    afterWork: () => shared.sync(),
    // On PostgreSQL every replica sees this one's jobs (jobs/job-board.ts).
    ...(shared.backend.kind === 'postgres'
      ? {
          onChange: (job: JobSnapshot) =>
            shared.backend
              .putJob(job.id, job, config.jobRetention)
              .catch((error: unknown) =>
                logger.warn({ job: job.id, err: error }, 'recording the job in the store failed'),
              ),
        }
      : {}),
  });
  const jobBoard = await createJobBoard({
    runner: jobs,
    backend: shared.backend,
    retention: config.jobRetention,
    touchMs: config.storeSyncMs,
    logger,
  });
  const services: ApiServices = {
    config,
    registry,
    reloads,
    jobs,
    jobBoard,
    runs: createRunReader(store, { backend: shared.backend }),
    work: options.work ?? threadedWork(config, store),
    logger,
    startedAt: Date.now(),
    publicPaths: pathRoots(config, [REPO_ROOT]),
  };
  let closing: Promise<void> | undefined;
  const server = httpServer(services, () => closing !== undefined);

  const shutdown = async (): Promise<void> => {
    logger.info('shutting down: finishing requests in flight');
    await drainServer(server, config.shutdownTimeoutMs, logger);
    await jobs.shutdown(config.shutdownTimeoutMs);
    await registry.close(config.shutdownTimeoutMs);
    await loader.dispose();
    await reloads.close();
    await jobBoard.close();
    await shared.close();
    logger.info('shut down');
  };

  return {
    services,
    server,
    listen: () => listenOn(server, config.port, config.host),
    close: () => (closing ??= shutdown()),
  };
}

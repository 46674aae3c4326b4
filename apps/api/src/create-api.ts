/**
 * @file Assembles the server: models loaded and checked, run store opened, job runner, tRPC router behind the
 * HTTP layer. Nothing listens until `listen()`; server.ts is the only caller with side effects, and tests build
 * their own with a temporary configuration.
 *
 * Shutdown (`close`): new requests get 503 at once, requests in flight run to their end (up to
 * `shutdownTimeoutMs`, then connections are cut), running jobs are aborted and awaited, models are disposed once
 * their last lease is released, and the run store is closed.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import type { Logger } from 'pino';

import { openRunStore } from '@gradeshift/pipeline';

import { REPO_ROOT, type ApiConfig } from './env';
import { pathRoots } from './http/public-paths';
import { assignedRequestId, createRequestHandler } from './http/request-handler';
import { createJobRunner } from './jobs/job-runner';
import { createModelRegistry, type LoadModel } from './models/model-registry';
import { healthOf } from './routers/health';
import { createAppRouter } from './routers/index';
import { createRerankRoutes } from './rerank/rerank-routes';
import { createRunReader } from './runs/run-reader';
import { createScoringPool } from './scoring/scoring-pool';
import type { ApiServices } from './services';
import type { ApiContext } from './trpc';
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

/** Loads bundles into scoring threads (scoring-pool.ts). */
function threadedLoader(config: ApiConfig): { load: LoadModel; dispose: () => Promise<void> } {
  const pool = createScoringPool({
    threads: config.scoringThreads,
    batchSize: config.batchSize,
    ortThreads: config.ortThreads,
  });
  return { load: pool.load, dispose: () => pool.close() };
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
  const loader =
    options.load !== undefined
      ? { load: options.load, dispose: () => Promise.resolve() }
      : config.scoringThreads > 0
        ? threadedLoader(config)
        : nodeModelLoader(config);
  const registry = createModelRegistry(loader.load);
  try {
    for (const { id, dir } of config.models) {
      try {
        const model = await registry.add(id, dir);
        logger.info(
          { model: id, dir: model.dir, sha256: model.manifest.model.sha256 },
          'model loaded',
        );
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
  const store = openRunStore(config.runStorePath);
  const jobs = createJobRunner({
    maxConcurrent: config.limits.maxConcurrentJobs,
    retention: config.jobRetention,
    onError: (job, error) =>
      logger.error({ job: job.id, kind: job.kind, err: error }, 'job failed'),
  });
  const work: JobWork =
    options.work ??
    createThreadedWork({
      store,
      settings: {
        runsDir: config.runsDir,
        runStorePath: config.runStorePath,
        maxFilePairs: config.limits.maxFilePairs,
        batchSize: config.batchSize,
        ortThreads: config.ortThreads,
      },
    });
  const services: ApiServices = {
    config,
    registry,
    jobs,
    runs: createRunReader(store),
    work,
    logger,
    startedAt: Date.now(),
    publicPaths: pathRoots(config, [REPO_ROOT]),
  };
  const trpc = createHTTPHandler({
    router: createAppRouter(config.limits),
    basePath: '/trpc/',
    maxBodySize: config.limits.maxBodyBytes,
    maxBatchSize: config.limits.maxBatchCalls,
    allowMethodOverride: true,
    createContext: ({ req }): ApiContext => {
      const requestId = assignedRequestId(req);
      return {
        services,
        requestId,
        log: logger.child({ requestId }),
        authorization: req.headers.authorization,
      };
    },
    onError: ({ error, path, ctx }) => {
      const fields = { requestId: ctx?.requestId, path, code: error.code };
      if (error.code === 'INTERNAL_SERVER_ERROR')
        logger.error({ ...fields, err: error.cause ?? error }, error.message);
      else logger.debug({ ...fields, message: error.message }, 'client error');
    },
  });
  let closing: Promise<void> | undefined;
  const server = createServer(
    createRequestHandler({
      trpc,
      limits: config.limits,
      corsOrigins: config.corsOrigins,
      allowedHosts: config.token === undefined ? config.allowedHosts : undefined,
      logger,
      isClosing: () => closing !== undefined,
      routes: createRerankRoutes(services),
      health: () => {
        const health = healthOf(services);
        return { ok: closing === undefined && health.status === 'ok', body: health };
      },
    }),
  );
  server.requestTimeout = config.requestTimeoutMs;
  server.headersTimeout = Math.min(config.requestTimeoutMs, 60_000);
  // Idle keep-alive sockets stay open longer than clients keep them (undici/fetch: 4 s, most HTTP clients and load
  // balancers: under 60 s), so the client always closes first. With Node's 5 s default a busy client can send on a
  // socket the server has just closed, and that request fails with ECONNRESET.
  server.keepAliveTimeout = 65_000;

  const shutdown = async (): Promise<void> => {
    logger.info('shutting down: finishing requests in flight');
    const closed = new Promise<void>((done) => server.close(() => done()));
    // Keep-alive connections become idle as their last response ends; close them as they do.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      closed.then(() => false),
      new Promise<boolean>((done) => {
        timer = setTimeout(() => done(true), config.shutdownTimeoutMs);
      }),
    ]);
    clearTimeout(timer);
    clearInterval(sweep);
    if (timedOut) {
      logger.warn('shutdown timeout: closing the remaining connections');
      server.closeAllConnections();
      await closed;
    }
    await jobs.shutdown(config.shutdownTimeoutMs);
    await registry.close(config.shutdownTimeoutMs);
    await loader.dispose();
    store.close();
    logger.info('shut down');
  };

  return {
    services,
    server,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          resolve({
            host: address.address,
            port: address.port,
            url: `http://${host}:${address.port}`,
          });
        });
      }),
    close: () => (closing ??= shutdown()),
  };
}

/**
 * @file The API's entry point, and its only module with side effects: reads the configuration, builds the
 * server, listens, and shuts down gracefully on SIGTERM / SIGINT. `npm run api` (repository root) runs it.
 */
import { pino } from 'pino';

import { createApi } from './create-api';
import { ConfigError, readConfig } from './env';

const logger = pino({
  level: process.env['LOG_LEVEL'] ?? 'info',
  base: { service: 'gradeshift-api' },
});

async function main(): Promise<void> {
  let config;
  try {
    config = readConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`gradeshift api: ${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  logger.level = config.logLevel;
  const api = await createApi(config, { logger });
  const { url } = await api.listen();
  logger.info(
    {
      url,
      models: config.models.map((m) => m.id),
      limits: config.limits,
      auth: config.token !== undefined,
    },
    `gradeshift api listening on ${url} (tRPC at ${url}/trpc, health at ${url}/healthz)`,
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'signal received');
    api.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, error instanceof Error ? error.message : String(error));
  process.exit(1);
});

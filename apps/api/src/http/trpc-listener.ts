/**
 * The tRPC HTTP listener: the app router with the limits in force, mounted at `/trpc/`, a context per request
 * (services, request id, a child logger, the Authorization header) and error logging (server errors at error
 * level, client errors at debug level).
 */
import type { RequestListener } from 'node:http';

import { createHTTPHandler } from '@trpc/server/adapters/standalone';

import { createAppRouter } from '../routers/index';
import type { ApiServices } from '../services';
import type { ApiContext } from '../trpc';
import { assignedRequestId } from './request-handler';

/**
 * Creates the tRPC listener over the server's services.
 * @param services - the services every procedure works with (configuration and logger included)
 */
export function createTrpcListener(services: ApiServices): RequestListener {
  const { config, logger } = services;
  return createHTTPHandler({
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
}

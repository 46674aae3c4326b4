/**
 * Starting and stopping the node:http server: listening on the configured address, and closing it so requests
 * in flight run to their end (up to a timeout, after which the remaining connections are cut).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Logger } from 'pino';

/**
 * Starts listening.
 * @param server - the server
 * @param port - the port (0 = any free port)
 * @param host - the host address
 * @returns the bound address, and its URL (IPv6 addresses bracketed)
 */
export function listenOn(
  server: Server,
  port: number,
  host: string,
): Promise<{ host: string; port: number; url: string }> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({
        host: address.address,
        port: address.port,
        url: `http://${shown}:${address.port}`,
      });
    });
  });
}

/**
 * Stops accepting connections and waits for the requests in flight; after `timeoutMs` the remaining connections
 * are closed.
 * @param server - the server
 * @param timeoutMs - how long requests in flight may run
 * @param logger - where the timeout is reported
 */
export async function drainServer(
  server: Server,
  timeoutMs: number,
  logger: Logger,
): Promise<void> {
  const closed = new Promise<void>((done) => server.close(() => done()));
  // Keep-alive connections become idle as their last response ends; close them as they do.
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  server.closeIdleConnections();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    closed.then(() => false),
    new Promise<boolean>((done) => {
      timer = setTimeout(() => done(true), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  clearInterval(sweep);
  if (timedOut) {
    logger.warn('shutdown timeout: closing the remaining connections');
    server.closeAllConnections();
    await closed;
  }
}

/**
 * CORS restricted to the configured origins. A browser request from another origin is refused outright (403)
 * rather than served without CORS headers, so a foreign page cannot make state-changing calls whose answers it
 * merely cannot read. Requests without an Origin header (curl, services) are not browser requests and pass.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const ALLOWED_HEADERS = 'content-type, authorization, x-request-id, trpc-accept, trpc-batch-mode';

/**
 * Sets `Vary` to `value` and keeps it in every later `Vary` the response gets (tRPC sets its own
 * `vary: trpc-accept, accept`, which would otherwise replace `Origin`).
 */
function keepVary(res: ServerResponse, value: string): void {
  const setHeader = res.setHeader.bind(res);
  res.setHeader('vary', value);
  res.setHeader = (name: string, header: number | string | readonly string[]) => {
    if (name.toLowerCase() !== 'vary') return setHeader(name, header);
    const parts = new Set(
      [String(res.getHeader('vary') ?? ''), ...[header].flat().map(String)]
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter((v) => v.length > 0),
    );
    return setHeader('vary', [...parts].join(', '));
  };
}

/** What to do with a request, CORS-wise. */
export type CorsVerdict = 'pass' | 'preflight' | 'refuse';

/**
 * Sets the CORS headers for an allowed origin and says whether the request goes on.
 * @param req - the request
 * @param res - the response (headers are set on it)
 * @param origins - allowed origins; `*` allows any
 * @returns `pass` (go on), `preflight` (answered: end with 204), `refuse` (foreign origin)
 */
export function applyCors(
  req: IncomingMessage,
  res: ServerResponse,
  origins: readonly string[],
): CorsVerdict {
  const origin = req.headers.origin;
  if (origin === undefined) return req.method === 'OPTIONS' ? 'preflight' : 'pass';
  if (!origins.includes('*') && !origins.includes(origin)) return 'refuse';
  res.setHeader('access-control-allow-origin', origin);
  keepVary(res, 'Origin');
  res.setHeader('access-control-expose-headers', 'x-request-id');
  if (req.method !== 'OPTIONS') return 'pass';
  res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
  res.setHeader('access-control-allow-headers', ALLOWED_HEADERS);
  res.setHeader('access-control-max-age', '600');
  return 'preflight';
}

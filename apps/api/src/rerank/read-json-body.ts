/**
 * Reads a JSON request body under the `maxBodyBytes` limit, counting the bytes as they arrive (a chunked body has
 * no Content-Length to check up front), so memory stays bounded whatever a client sends.
 */
import type { IncomingMessage } from 'node:http';

import { limitInfo, limitMessage, type LimitInfo } from '../limits';

/** Why a body was refused: its HTTP status, a message, and the limit concerned. */
export class BodyError extends Error {
  readonly status: 400 | 413 | 415;
  readonly limit: LimitInfo | undefined;
  constructor(status: 400 | 413 | 415, message: string, limit?: LimitInfo) {
    super(message);
    this.name = 'BodyError';
    this.status = status;
    this.limit = limit;
  }
}

/**
 * The parsed JSON body of `req`.
 * @param req - the request (body not read yet)
 * @param maxBytes - the `maxBodyBytes` limit in force
 * @throws BodyError 413 over the limit, 415 when the content type is not JSON, 400 when the body is not JSON
 */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const type = req.headers['content-type'];
  if (type !== undefined && !/^application\/(.+\+)?json\b/i.test(type))
    throw new BodyError(415, `content-type ${type.slice(0, 100)} is not application/json`);
  const tooLarge = (bytes: number) =>
    new BodyError(
      413,
      `request body of ${bytes} bytes: ${limitMessage('maxBodyBytes', maxBytes)}`,
      limitInfo('maxBodyBytes', maxBytes),
    );
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw tooLarge(declared);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge(size);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new BodyError(400, `the body is not valid JSON: ${reason}`);
  }
}

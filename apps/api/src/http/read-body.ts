/**
 * Reads a request body before tRPC sees it: at most `maxBytes` (a longer one is refused as soon as it passes the
 * limit), and strictly UTF-8, so a body with invalid bytes is refused (400) instead of being decoded with U+FFFD
 * replacements. tRPC's node adapter takes the text from `req.body`.
 */
import type { IncomingMessage } from 'node:http';

/** The body's text, or why it was refused. */
export type BodyResult =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly reason: 'too-large'; readonly bytes: number }
  | { readonly ok: false; readonly reason: 'invalid-utf8'; readonly offset: number };

/** The offset of the first byte that does not decode as UTF-8. */
function firstInvalidByte(bytes: Buffer): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let lo = 0;
  let hi = bytes.length;
  // Binary search on the longest valid prefix (a prefix may end mid-character, so allow 3 bytes of slack).
  while (hi - lo > 4) {
    const mid = (lo + hi) >>> 1;
    try {
      decoder.decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid;
    }
  }
  return lo;
}

/**
 * Reads the whole body.
 * @param req - the request
 * @param maxBytes - the body size limit
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      bytes += chunk.length;
      if (bytes > maxBytes) {
        done = true;
        resolve({ ok: false, reason: 'too-large', bytes });
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', (error) => {
      if (!done) reject(error);
      done = true;
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      const body = Buffer.concat(chunks);
      try {
        resolve({ ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(body) });
      } catch {
        resolve({ ok: false, reason: 'invalid-utf8', offset: firstInvalidByte(body) });
      }
    });
  });
}

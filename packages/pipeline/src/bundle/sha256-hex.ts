import { createHash } from 'node:crypto';

/**
 * Hex sha256 of bytes: the checksum of model.onnx recorded in a bundle manifest.
 * @example sha256Hex(new Uint8Array()) // 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
 * @see https://nodejs.org/api/crypto.html#class-hash
 */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

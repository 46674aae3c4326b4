import { createHash } from 'node:crypto';

/**
 * Hex sha256 of bytes through Node's crypto (OpenSSL, an order of magnitude faster than the platform-neutral
 * `sha256Hex` of `@gradeshift/core`, which it equals digit for digit): the checksum of model.onnx in a bundle
 * manifest and of the run folder's files.
 * @example sha256Hex(new Uint8Array()) // 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
 * @see https://nodejs.org/api/crypto.html#class-hash
 */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

import { describe, expect, it } from 'vitest';

import { createRng } from '../math/prng';
import { sha256Hex as portableSha256Hex } from '../scorer/sha256';
import { sha256Hex } from './sha256-hex';

describe("Node's sha256Hex", () => {
  it('equals the platform-neutral implementation on lengths around the block boundaries', () => {
    const rng = createRng(7);
    for (const length of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000, 100_003]) {
      const bytes = Uint8Array.from({ length }, () => Math.floor(rng.next() * 256));
      expect(sha256Hex(bytes)).toBe(portableSha256Hex(bytes));
    }
  });

  it('gives the FIPS 180-4 digest of "abc"', () => {
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});

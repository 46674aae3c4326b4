import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { encodeVarint, ProtoWriter, utf8Encode } from './proto-writer';

const hex = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');

describe('encodeVarint', () => {
  it('matches hand-worked encodings (7-bit groups, least significant first, MSB = more)', () => {
    expect(hex(encodeVarint(0))).toBe('00');
    expect(hex(encodeVarint(1))).toBe('01');
    expect(hex(encodeVarint(127))).toBe('7f');
    // 128 = 0b1_0000000 → [0x80 | 0, 0x01]
    expect(hex(encodeVarint(128))).toBe('80 01');
    // 300 = 0b10_0101100 → [0x80 | 0x2c, 0x02], the example of the protobuf encoding guide
    expect(hex(encodeVarint(300))).toBe('ac 02');
    // 2^31 crosses the 32-bit bit-operator limit: four zero groups, then 2^31 / 2^28 = 8
    expect(hex(encodeVarint(2 ** 31))).toBe('80 80 80 80 08');
    // 2^53 − 1: seven full groups (49 bits of ones), then the top 4 bits 0b1111 = 0x0f
    expect(hex(encodeVarint(2 ** 53 - 1))).toBe('ff ff ff ff ff ff ff 0f');
  });

  it("writes negative int64 as 10-byte two's complement", () => {
    // −1 = 0xFFFF_FFFF_FFFF_FFFF: nine groups of 0x7f with MSB set, then the 64th bit alone
    expect(hex(encodeVarint(-1))).toBe('ff ff ff ff ff ff ff ff ff 01');
    expect(hex(encodeVarint(-1n))).toBe('ff ff ff ff ff ff ff ff ff 01');
    // −2^63 = 0x8000_0000_0000_0000: nine zero groups, then bit 63 → 0x01
    expect(hex(encodeVarint(-(2n ** 63n)))).toBe('80 80 80 80 80 80 80 80 80 01');
    expect(encodeVarint(-2)).toHaveLength(10);
  });

  it('agrees between number and bigint inputs', () => {
    fc.assert(
      fc.property(
        fc.maxSafeInteger(),
        (v) => hex(encodeVarint(v)) === hex(encodeVarint(BigInt(v))),
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it('rejects non-integers', () => {
    expect(() => encodeVarint(1.5)).toThrow(RangeError);
    expect(() => encodeVarint(2 ** 60)).toThrow(/safe integer/);
  });
});

describe('ProtoWriter', () => {
  it('encodes the protobuf guide examples byte for byte', () => {
    // message Test1 { int32 a = 1; } with a = 150 → 08 96 01
    expect(hex(new ProtoWriter().varint(1, 150).finish())).toBe('08 96 01');
    // message Test2 { string b = 2; } with b = "testing" → 12 07 + ASCII
    expect(hex(new ProtoWriter().string(2, 'testing').finish())).toBe('12 07 74 65 73 74 69 6e 67');
    // message Test3 { Test1 c = 3; } → 1a 03 08 96 01
    expect(hex(new ProtoWriter().message(3, new ProtoWriter().varint(1, 150)).finish())).toBe(
      '1a 03 08 96 01',
    );
    // repeated int32 f = 4 [packed] with 3, 270, 86942 → 22 06 03 8e 02 9e a7 05
    expect(hex(new ProtoWriter().packedVarint(4, [3, 270, 86942]).finish())).toBe(
      '22 06 03 8e 02 9e a7 05',
    );
  });

  it('writes fixed-width fields little-endian', () => {
    // float field 2: key (2 << 3) | 5 = 0x15; 1.0f = 0x3f800000
    expect(hex(new ProtoWriter().float(2, 1).finish())).toBe('15 00 00 80 3f');
    // double field 1: key (1 << 3) | 1 = 0x09; 1.0 = 0x3ff0000000000000
    expect(hex(new ProtoWriter().double(1, 1).finish())).toBe('09 00 00 00 00 00 00 f0 3f');
    expect(hex(new ProtoWriter().fixed32(1, 0x01020304).finish())).toBe('0d 04 03 02 01');
    expect(hex(new ProtoWriter().fixed64(1, -1n).finish())).toBe('09 ff ff ff ff ff ff ff ff');
    // packed floats [1, −2]: 0x3f800000, 0xc0000000
    expect(hex(new ProtoWriter().packedFloat(7, [1, -2]).finish())).toBe(
      '3a 08 00 00 80 3f 00 00 00 c0',
    );
    expect(hex(new ProtoWriter().packedDouble(1, [0.5]).finish())).toBe(
      '0a 08 00 00 00 00 00 00 e0 3f',
    );
  });

  it('writes packed negatives as 10-byte varints and skips empty packed lists', () => {
    expect(hex(new ProtoWriter().packedVarint(8, [-1]).finish())).toBe(
      '42 0a ff ff ff ff ff ff ff ff ff 01',
    );
    const w = new ProtoWriter().packedVarint(1, []).packedFloat(2, []).packedDouble(3, []);
    expect(w.byteLength).toBe(0);
    expect(w.finish()).toHaveLength(0);
  });

  it('keeps byteLength in step with nested messages and large payloads', () => {
    const payload = new Uint8Array(200).fill(7);
    const inner = new ProtoWriter().varint(1, 1).bytes(2, payload);
    expect(inner.byteLength).toBe(2 + 1 + 2 + 200);
    const outer = new ProtoWriter().string(1, 'a').message(2, inner).varint(3, 5);
    const bytes = outer.finish();
    expect(bytes).toHaveLength(outer.byteLength);
    // field 2 length 205 → varint cd 01
    expect(hex(bytes.subarray(0, 8))).toBe('0a 01 61 12 cd 01 08 01');
    expect(hex(bytes.subarray(-2))).toBe('18 05');
  });

  it('rejects invalid field numbers', () => {
    expect(() => new ProtoWriter().varint(0, 1)).toThrow(RangeError);
    expect(() => new ProtoWriter().varint(2 ** 29, 1)).toThrow(RangeError);
  });
});

describe('utf8Encode', () => {
  it('encodes 1- to 4-byte sequences by hand', () => {
    expect(hex(utf8Encode('A'))).toBe('41');
    expect(hex(utf8Encode('é'))).toBe('c3 a9');
    expect(hex(utf8Encode('€'))).toBe('e2 82 ac');
    expect(hex(utf8Encode('😀'))).toBe('f0 9f 98 80');
    // a lone surrogate becomes U+FFFD, as TextEncoder does
    expect(hex(utf8Encode('\ud800'))).toBe('ef bf bd');
  });

  it('matches TextEncoder on arbitrary strings', () => {
    const encoder = new TextEncoder();
    fc.assert(
      // raw UTF-16 code units, so valid pairs and lone surrogates both occur
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 40 }), (units) => {
        const s = String.fromCharCode(...units);
        return hex(utf8Encode(s)) === hex(encoder.encode(s));
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});

import { describe, expect, it } from 'vitest';

import { onnxTensor } from './builders';
import { encodeTensor, shapeSize, tensorRawData } from './encode-tensor';

const hex = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');

describe('encodeTensor', () => {
  it('encodes a tiny float32 tensor byte for byte', () => {
    // TensorProto { dims = 1 (packed); data_type = 2; name = 8; raw_data = 9 }, worked by hand:
    //   0a 01 02              dims: key (1 << 3) | 2, length 1, [2]
    //   10 01                 data_type: key (2 << 3) | 0, FLOAT = 1
    //   42 01 77              name: key (8 << 3) | 2, "w"
    //   4a 08 <8 bytes>       raw_data: key (9 << 3) | 2, 1.0f = 00 00 80 3f, −2.0f = 00 00 00 c0
    const bytes = encodeTensor(onnxTensor('w', Float32Array.from([1, -2]), [2])).finish();
    expect(hex(bytes)).toBe('0a 01 02 10 01 42 01 77 4a 08 00 00 80 3f 00 00 00 c0');
  });

  it("encodes int64 data as 8-byte little-endian two's complement", () => {
    // dims [2, 1] → packed 02 01; INT64 = 7; raw 1 then −1
    const bytes = encodeTensor({
      name: 'i',
      dataType: 'int64',
      dims: [2, 1],
      data: [1, -1],
    }).finish();
    expect(hex(bytes)).toBe(
      '0a 02 02 01 10 07 42 01 69 4a 10 01 00 00 00 00 00 00 00 ff ff ff ff ff ff ff ff',
    );
  });

  it('writes a scalar with no dims field and an unnamed tensor with no name field', () => {
    // DOUBLE = 11 = 0x0b; 0.5 = 0x3fe0000000000000
    const bytes = encodeTensor({ name: '', dataType: 'float64', dims: [], data: [0.5] }).finish();
    expect(hex(bytes)).toBe('10 0b 4a 08 00 00 00 00 00 00 e0 3f');
  });

  it('converts each supported type to fixed-width little-endian bytes', () => {
    expect(
      hex(
        tensorRawData({ name: 'a', dataType: 'int32', dims: [2], data: Int32Array.from([1, -2]) }),
      ),
    ).toBe('01 00 00 00 fe ff ff ff');
    expect(hex(tensorRawData({ name: 'b', dataType: 'bool', dims: [3], data: [1, 0, 1] }))).toBe(
      '01 00 01',
    );
    expect(hex(tensorRawData({ name: 'c', dataType: 'int8', dims: [2], data: [-1, 2] }))).toBe(
      'ff 02',
    );
    expect(
      hex(tensorRawData({ name: 'd', dataType: 'uint8', dims: [1], data: Uint8Array.from([255]) })),
    ).toBe('ff');
    expect(
      hex(
        tensorRawData({
          name: 'e',
          dataType: 'int64',
          dims: [1],
          data: BigInt64Array.from([-(2n ** 63n)]),
        }),
      ),
    ).toBe('00 00 00 00 00 00 00 80');
    // float32 rounds a float64 value: 0.1 → 0x3dcccccd
    expect(hex(tensorRawData({ name: 'f', dataType: 'float32', dims: [1], data: [0.1] }))).toBe(
      'cd cc cc 3d',
    );
  });

  it('rejects data that does not match dims or type', () => {
    expect(() =>
      tensorRawData({ name: 'w', dataType: 'float32', dims: [2, 2], data: [1, 2, 3] }),
    ).toThrow('tensor "w".data must have 4 entries for dims [2, 2] (got 3)');
    expect(() => tensorRawData({ name: 'w', dataType: 'int32', dims: [1], data: [1.5] })).toThrow(
      /must be an integer in/,
    );
    expect(() => tensorRawData({ name: 'w', dataType: 'bool', dims: [1], data: [2] })).toThrow(
      RangeError,
    );
    expect(() => tensorRawData({ name: 'w', dataType: 'int64', dims: [1], data: [0.5] })).toThrow(
      /integer for int64/,
    );
    expect(() => shapeSize([2, -1], 'x')).toThrow(
      'x.dims[1] must be a non-negative integer (got -1)',
    );
    expect(shapeSize([], 'x')).toBe(1);
  });
});

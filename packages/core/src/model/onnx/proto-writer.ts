/**
 * A minimal protocol-buffers encoder: just the wire types ONNX needs (varint, 64-bit, length-delimited,
 * 32-bit), written field by field. Nested messages are kept as lists of parts and concatenated once in
 * {@link ProtoWriter.finish}, so a large tensor payload is copied a single time however deep it sits.
 * @see https://protobuf.dev/programming-guides/encoding/
 */

/** Protobuf wire types. */
export const WIRE_TYPE = Object.freeze({ VARINT: 0, I64: 1, LEN: 2, I32: 5 });

/**
 * UTF-8 bytes of a string. Hand-written because `TextEncoder` is a web/Node global, outside the ES library
 * this platform-neutral code compiles against. Lone surrogates become U+FFFD, as `TextEncoder` does.
 */
export function utf8Encode(value: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < value.length; i++) {
    let c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < value.length ? value.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else {
        c = 0xfffd;
      }
    }
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    else
      out.push(
        0xf0 | (c >> 18),
        0x80 | ((c >> 12) & 0x3f),
        0x80 | ((c >> 6) & 0x3f),
        0x80 | (c & 0x3f),
      );
  }
  return Uint8Array.from(out);
}

/** Appends the varint encoding of a non-negative integer (≤ 2^53 as a number, any uint64 as a bigint). */
function pushVarint(out: number[], value: number | bigint): void {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value))
      throw new RangeError(`varint value must be a safe integer (got ${value})`);
    if (value < 0) {
      pushVarint(out, BigInt.asUintN(64, BigInt(value)));
      return;
    }
    // Bit operators work on 32 bits, so peel 7-bit groups off with division above 2^31.
    let v = value;
    while (v >= 0x80) {
      out.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    out.push(v);
    return;
  }
  // Negative int64 values are written as their 64-bit two's complement, i.e. always 10 bytes.
  let v = BigInt.asUintN(64, value);
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
}

/** Serialises one protobuf message. Field methods skip nothing: callers decide what to omit. */
export class ProtoWriter {
  readonly #parts: Uint8Array[] = [];
  #pending: number[] = [];
  #length = 0;

  /** Number of bytes written so far. */
  get byteLength(): number {
    return this.#length + this.#pending.length;
  }

  #flush(): void {
    if (this.#pending.length === 0) return;
    this.#parts.push(Uint8Array.from(this.#pending));
    this.#length += this.#pending.length;
    this.#pending = [];
  }

  #appendBytes(bytes: Uint8Array): void {
    this.#flush();
    this.#parts.push(bytes);
    this.#length += bytes.length;
  }

  /** Writes a field key: `(field << 3) | wireType`. */
  tag(field: number, wireType: number): this {
    if (!Number.isInteger(field) || field < 1 || field > 0x1fffffff)
      throw new RangeError(`field number must be in [1, 2^29) (got ${field})`);
    pushVarint(this.#pending, field * 8 + wireType);
    return this;
  }

  /** A varint field (int32, int64, uint64, enum, bool). Negative values become 10-byte two's complement. */
  varint(field: number, value: number | bigint): this {
    this.tag(field, WIRE_TYPE.VARINT);
    pushVarint(this.#pending, value);
    return this;
  }

  /** A `float` field (fixed 32-bit, little-endian IEEE 754). */
  float(field: number, value: number): this {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.tag(field, WIRE_TYPE.I32);
    this.#pending.push(...bytes);
    return this;
  }

  /** A `double` field (fixed 64-bit, little-endian IEEE 754). */
  double(field: number, value: number): this {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setFloat64(0, value, true);
    this.tag(field, WIRE_TYPE.I64);
    this.#pending.push(...bytes);
    return this;
  }

  /** A `fixed32` field (unsigned 32-bit, little-endian). */
  fixed32(field: number, value: number): this {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, value >>> 0, true);
    this.tag(field, WIRE_TYPE.I32);
    this.#pending.push(...bytes);
    return this;
  }

  /** A `fixed64` field (unsigned 64-bit, little-endian). */
  fixed64(field: number, value: number | bigint): this {
    const v = BigInt.asUintN(64, BigInt(value));
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigUint64(0, v, true);
    this.tag(field, WIRE_TYPE.I64);
    this.#pending.push(...bytes);
    return this;
  }

  /** A length-delimited `bytes` field. The array is referenced, not copied, until {@link finish}. */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_TYPE.LEN);
    pushVarint(this.#pending, value.length);
    this.#appendBytes(value);
    return this;
  }

  /** A `string` field, UTF-8 encoded. */
  string(field: number, value: string): this {
    return this.bytes(field, utf8Encode(value));
  }

  /** An embedded message field. `message` must not be written to afterwards. */
  message(field: number, message: ProtoWriter): this {
    this.tag(field, WIRE_TYPE.LEN);
    pushVarint(this.#pending, message.byteLength);
    message.#flush();
    this.#flush();
    for (const part of message.#parts) this.#parts.push(part);
    this.#length += message.#length;
    return this;
  }

  /** A packed repeated varint field (`repeated int64 x = n [packed = true]`). Nothing is written for an empty list. */
  packedVarint(field: number, values: ArrayLike<number | bigint>): this {
    if (values.length === 0) return this;
    const body: number[] = [];
    for (let i = 0; i < values.length; i++) pushVarint(body, values[i] ?? 0);
    this.tag(field, WIRE_TYPE.LEN);
    pushVarint(this.#pending, body.length);
    this.#appendBytes(Uint8Array.from(body));
    return this;
  }

  /** A packed repeated `float` field. Nothing is written for an empty list. */
  packedFloat(field: number, values: ArrayLike<number>): this {
    if (values.length === 0) return this;
    const bytes = new Uint8Array(values.length * 4);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i] ?? 0, true);
    return this.bytes(field, bytes);
  }

  /** A packed repeated `double` field. Nothing is written for an empty list. */
  packedDouble(field: number, values: ArrayLike<number>): this {
    if (values.length === 0) return this;
    const bytes = new Uint8Array(values.length * 8);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < values.length; i++) view.setFloat64(i * 8, values[i] ?? 0, true);
    return this.bytes(field, bytes);
  }

  /** The encoded message as one contiguous array. */
  finish(): Uint8Array {
    this.#flush();
    const out = new Uint8Array(this.#length);
    let offset = 0;
    for (const part of this.#parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }
}

/** Bytes of `value` as a varint, for tests and size estimates. */
export function encodeVarint(value: number | bigint): Uint8Array {
  const out: number[] = [];
  pushVarint(out, value);
  return Uint8Array.from(out);
}

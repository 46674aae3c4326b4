/**
 * Small typed arrays carved from shared buffers. A typed array longer than 64 bytes gets its own off-heap
 * backing store in V8, whose allocation and later sweeping cost several times the work a featuriser does with a
 * text's short arrays (token values, IDFs, TF-IDF vectors, packed slots); views into one 64 KiB buffer cost an
 * object each. Fresh buffers are zero-filled and never reused, so a carved array starts zeroed like `new`.
 * A carved array shares its `buffer` with others: never transfer or detach it. A slab stays alive while any of
 * its arrays does.
 * @internal
 */

const SLAB_BYTES = 65_536;
/** Arrays up to this size live on the V8 heap anyway; larger than a quarter slab get a buffer of their own. */
const ON_HEAP_BYTES = 64;
const MAX_CARVED_BYTES = SLAB_BYTES / 4;

let slab = new ArrayBuffer(SLAB_BYTES);
let used = 0;

/** Byte offset of `bytes` fresh bytes in the current slab (8-byte aligned), starting a new slab when full. */
function carve(bytes: number): number {
  if (used + bytes > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    used = 0;
  }
  const offset = used;
  used += (bytes + 7) & ~7;
  return offset;
}

/** A zeroed Float64Array of length n. @internal */
export function slabFloat64(n: number): Float64Array {
  const bytes = n * 8;
  if (bytes <= ON_HEAP_BYTES || bytes > MAX_CARVED_BYTES) return new Float64Array(n);
  const offset = carve(bytes);
  return new Float64Array(slab, offset, n);
}

/** A zeroed Float32Array of length n. @internal */
export function slabFloat32(n: number): Float32Array {
  const bytes = n * 4;
  if (bytes <= ON_HEAP_BYTES || bytes > MAX_CARVED_BYTES) return new Float32Array(n);
  const offset = carve(bytes);
  return new Float32Array(slab, offset, n);
}

/** A zeroed Int32Array of length n. @internal */
export function slabInt32(n: number): Int32Array {
  const bytes = n * 4;
  if (bytes <= ON_HEAP_BYTES || bytes > MAX_CARVED_BYTES) return new Int32Array(n);
  const offset = carve(bytes);
  return new Int32Array(slab, offset, n);
}

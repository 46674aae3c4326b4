/**
 * A small seeded PRNG (mulberry32) for reproducible sampling, shuffles and property tests.
 * Not cryptographic. Same seed → same sequence on every platform.
 * @see https://gist.github.com/tommyettinger/46a874533244883189143505d203312c
 */

/** A seeded random source. */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** A standard normal draw (Box–Muller). */
  normal(): number;
  /** The current internal state, to resume a stream. */
  readonly state: number;
}

/** Creates a seeded PRNG. @param seed - any 32-bit integer */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed))
    throw new RangeError(`seed must be a finite number (got ${String(seed)})`);
  let a = seed >>> 0;
  let spare: number | undefined;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int(n: number): number {
      if (!Number.isInteger(n) || n <= 0)
        throw new RangeError(`n must be a positive integer (got ${n})`);
      return Math.floor(next() * n);
    },
    normal(): number {
      if (spare !== undefined) {
        const s = spare;
        spare = undefined;
        return s;
      }
      let u = 0;
      while (u === 0) u = next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    get state() {
      return a;
    },
  };
}

/** Fisher–Yates shuffle of `0..n-1` (a new array). */
export function shuffledIndices(n: number, rng: Rng): Uint32Array {
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = t;
  }
  return idx;
}

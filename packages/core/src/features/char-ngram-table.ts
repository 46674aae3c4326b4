/**
 * An open-addressing hash table of short UTF-16 strings (padded character n-grams) keyed by their code units,
 * so a lookup reads a window of a code-unit buffer: no substring, string hash or Map probe. Ids are given in
 * insertion order. Linear probing; FNV-1a hash.
 * @see https://en.wikipedia.org/wiki/Fowler%E2%80%93Noll%E2%80%93Vo_hash_function
 */
import { TFIDF_CHAR_MAX_N } from './padded-char-ngrams';

/** FNV-1a offset basis: the hash of the empty string. */
export const HASH_OFFSET = 0x811c9dc5;
const HASH_PRIME = 0x01000193;

/**
 * One FNV-1a step over a UTF-16 code unit; any well-mixed hash works, as keys are compared in full on a hit.
 * @example hashStep(HASH_OFFSET, 32)
 */
export const hashStep = (hash: number, unit: number): number => Math.imul(hash ^ unit, HASH_PRIME);

/** Strings of 1 … {@link TFIDF_CHAR_MAX_N} code units mapped to ids 0 … size − 1, each with a value. */
export class CharNgramTable {
  /** Distinct strings held. */
  size = 0;
  /** The value of each id (the first `size` entries are used). */
  readonly values: Float64Array;
  /**
   * The code units being inserted or looked up: {@link find} compares a window of it. Grow it with
   * {@link reserveText}.
   */
  text = new Uint16Array(64);
  private readonly mask: number;
  private readonly slotId: Int32Array;
  private readonly slotHash: Int32Array;
  private readonly units: Uint16Array;
  private readonly lengths: Uint8Array;

  /** @param capacity - most strings the table will hold */
  constructor(capacity: number) {
    let slots = 16;
    while (slots < 2 * capacity) slots *= 2;
    this.mask = slots - 1;
    this.slotId = new Int32Array(slots).fill(-1);
    this.slotHash = new Int32Array(slots);
    this.units = new Uint16Array(capacity * TFIDF_CHAR_MAX_N);
    this.lengths = new Uint8Array(capacity);
    this.values = new Float64Array(capacity);
  }

  /** Makes {@link text} hold at least `length` code units (its content is then undefined). */
  reserveText(length: number): void {
    if (this.text.length < length)
      this.text = new Uint16Array(Math.max(length, this.text.length * 2));
  }

  /**
   * Looks up `text[start … start + length)` whose hash is `hash`.
   * @returns its id, or −(empty slot) − 1 when the table lacks it
   */
  find(hash: number, length: number, start: number): number {
    const { slotId, slotHash, lengths, units, text, mask } = this;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = slotId[slot] ?? -1;
      if (id < 0) return -slot - 1;
      if (slotHash[slot] !== hash || lengths[id] !== length) continue;
      let p = 0;
      const base = id * TFIDF_CHAR_MAX_N;
      while (p < length && units[base + p] === text[start + p]) p++;
      if (p === length) return id;
    }
  }

  /**
   * Adds `gram` (1 … {@link TFIDF_CHAR_MAX_N} code units) with `value` under the next id; a string already
   * held keeps its id and takes the new value.
   */
  insert(gram: string, value: number): void {
    const { text } = this;
    let hash = HASH_OFFSET;
    for (let p = 0; p < gram.length; p++) {
      text[p] = gram.charCodeAt(p);
      hash = hashStep(hash, text[p] ?? 0);
    }
    const found = this.find(hash, gram.length, 0);
    if (found >= 0) {
      this.values[found] = value;
      return;
    }
    const id = this.size++;
    const slot = -found - 1;
    this.slotId[slot] = id;
    this.slotHash[slot] = hash;
    this.lengths[id] = gram.length;
    for (let p = 0; p < gram.length; p++)
      this.units[id * TFIDF_CHAR_MAX_N + p] = gram.charCodeAt(p);
    this.values[id] = value;
  }
}

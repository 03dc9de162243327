/**
 * Whole-number keys (any sign, below 2^53) to counts, in one Float64Array of (key, count) slots:
 * open addressing with linear probing, no object per key and nothing for the collector to trace.
 * What a Map<number, number> of counts did, faster: a key whose count comes back to 0 is not
 * counted in `size` and is not visited, and its slot is dropped when the table next grows. Made on
 * the first key, so a table never used costs one object.
 */
const EMPTY = NaN;

export class CountTable {
  /** key at 2i, count at 2i + 1; an empty slot's key is NaN */
  private slots: Float64Array | undefined;
  /** slots - 1 (a power of two, less one) */
  private mask = 0;
  /** slots taken, counts of 0 included */
  private taken = 0;
  /** keys whose count is not 0 */
  size = 0;

  /** Adds n to the key's count; returns the new count. */
  add(key: number, n: number): number {
    // -0 is the key 0, as in a Map
    if (key === 0) key = 0;
    if (!this.slots || (this.taken + 1) * 4 > (this.mask + 1) * 3) this.grow();
    const s = this.slots!;
    let i = hash(key) & this.mask;
    for (;;) {
      const k = s[2 * i];
      if (k === key) break;
      if (k !== k) {
        // an empty slot: the key is new
        s[2 * i] = key;
        s[2 * i + 1] = 0;
        this.taken++;
        break;
      }
      i = (i + 1) & this.mask;
    }
    const before = s[2 * i + 1];
    const after = before + n;
    s[2 * i + 1] = after;
    if (before === 0 && after !== 0) this.size++;
    else if (before !== 0 && after === 0) this.size--;
    return after;
  }

  /** The key's count (0 when it has none). */
  get(key: number): number {
    const s = this.slots;
    if (!s) return 0;
    for (let i = hash(key) & this.mask; ; i = (i + 1) & this.mask) {
      const k = s[2 * i];
      if (k === key) return s[2 * i + 1];
      if (k !== k) return 0;
    }
  }

  /** Calls visit(key, count) for every key whose count is not 0, in no particular order. */
  forEach(visit: (key: number, n: number) => void): void {
    const s = this.slots;
    if (!s) return;
    for (let i = 0; i < s.length; i += 2) if (s[i] === s[i] && s[i + 1] !== 0) visit(s[i], s[i + 1]);
  }

  /** Every (key, count) whose count is not 0, packed: key at 2i, count at 2i + 1. */
  packed(): Float64Array {
    const out = new Float64Array(2 * this.size);
    let j = 0;
    this.forEach((k, n) => {
      out[j++] = k;
      out[j++] = n;
    });
    return out;
  }

  /** Twice the slots (or the first eight), keys whose count is 0 left out. */
  private grow(): void {
    const old = this.slots;
    const live = old ? this.size : 0;
    let cap = 8;
    while (cap * 3 < (live + 1) * 4 * 2) cap *= 2;
    this.slots = new Float64Array(2 * cap).fill(EMPTY);
    this.mask = cap - 1;
    this.taken = 0;
    this.size = 0;
    if (old) for (let i = 0; i < old.length; i += 2) if (old[i] === old[i] && old[i + 1] !== 0) this.add(old[i], old[i + 1]);
  }
}

/** A slot number's bits from a whole number (the low and high 32 bits mixed). */
function hash(key: number): number {
  const h = Math.imul((key | 0) ^ Math.imul((key / 4294967296) | 0, 0x85ebca6b), 0x9e3779b1);
  return h ^ (h >>> 15);
}

// The histogram as it was before whole seconds went to pages (src/engine/histogram.ts at the
// commit before), kept as the reference the paged one must count exactly as: same values, same
// coarsening. Nothing here is used by the product.
/**
 * Counts of durations for exact medians and percentiles without keeping one value per ticket.
 * Values are counted in the coarsest unit that holds them exactly — whole minutes for exports to
 * the minute, seconds or milliseconds when a value needs it. Whole minutes under 45 days go to
 * small pages of counters (the common case, and the fast one); other values to a map. Only when the
 * map holds more than MAX_KEYS distinct values are they counted coarser (to the second, then the
 * minute), which keeps memory bounded. A value can be taken back out (a replaced ticket).
 */
const MAX_KEYS = 100_000;
const UNITS = [1, 1_000, 60_000];
const MINUTES = UNITS.length - 1;
const PAGE = 1024;
/** minutes beyond this many go to the map */
const PAGED = 64 * PAGE;

/**
 * The histogram sorted last, as of which change: a median and the quantiles of one histogram (asked
 * one after the other) sort its values once. One is held at a time, so no sorted copy outlives its use.
 */
let lastSorted: { of: Histogram; version: number; values: [number, number][] } | undefined;

export class Histogram {
  /** counts every change (a value added or taken out, a change of unit): a sorted copy is of one version */
  private version = 0;
  /** minute values under PAGED: page number -> counters (made when first needed) */
  private pages: (Int32Array | undefined)[] = [];
  /** every other value, in UNITS[unit] */
  private counts = new Map<number, number>();
  /** index into UNITS: values are counted in UNITS[unit] ms */
  private unit = MINUTES;
  /** once coarsened for size, values are floored to the unit instead of refining it */
  private coarse = false;
  total = 0;
  /** exact, whatever the bucketing */
  sum = 0;

  add(ms: number, delta: number): void {
    this.version++;
    this.total += delta;
    this.sum += delta * ms;
    const k = ms / 60_000;
    // whole minutes (k is an integer) under PAGED go to the pages: no modulo, no map
    if (this.unit === MINUTES && k >= 0 && k < PAGED && (k | 0) === k) {
      const no = k >> 10;
      let page = this.pages[no];
      if (!page) this.pages[no] = page = new Int32Array(PAGE);
      page[k & (PAGE - 1)] += delta;
      return;
    }
    if (ms % UNITS[this.unit] !== 0 && !this.coarse) {
      while (this.unit > 0 && ms % UNITS[this.unit] !== 0) this.rekey(this.unit - 1);
    }
    const key = Math.floor(ms / UNITS[this.unit]);
    const n = (this.counts.get(key) ?? 0) + delta;
    if (n === 0) this.counts.delete(key);
    else this.counts.set(key, n);
    if (this.counts.size > MAX_KEYS && this.unit < MINUTES) {
      this.coarse = true;
      this.rekey(this.unit + 1);
    }
  }

  /** Counts the values in another unit: finer (exact) or coarser (floored); paged minutes join the map. */
  private rekey(to: number): void {
    const from = UNITS[this.unit];
    const next = new Map<number, number>();
    const put = (valueMs: number, n: number) => {
      const c = Math.floor(valueMs / UNITS[to]);
      next.set(c, (next.get(c) ?? 0) + n);
    };
    for (const [k, n] of this.counts) put(k * from, n);
    this.pages.forEach((page, no) => {
      if (page) for (let i = 0; i < PAGE; i++) if (page[i]) put((no * PAGE + i) * 60_000, page[i]);
    });
    this.pages = [];
    this.unit = to;
    this.counts = next;
    this.version++;
  }

  /** [value in ms, count] in ascending order. */
  private sorted(): [number, number][] {
    if (lastSorted?.of === this && lastSorted.version === this.version) return lastSorted.values;
    const out: [number, number][] = [];
    this.pages.forEach((page, no) => {
      if (page) for (let i = 0; i < PAGE; i++) if (page[i]) out.push([(no * PAGE + i) * 60_000, page[i]]);
    });
    for (const k of [...this.counts.keys()].sort((a, b) => a - b)) out.push([k * UNITS[this.unit], this.counts.get(k)!]);
    out.sort((a, b) => a[0] - b[0]);
    lastSorted = { of: this, version: this.version, values: out };
    return out;
  }

  /** The value at 1-based sorted position `rank`, in ms. */
  private at(rank: number, sorted: [number, number][]): number {
    let seen = 0;
    for (const [v, n] of sorted) {
      seen += n;
      if (seen >= rank) return v;
    }
    return NaN;
  }

  mean(): number | null {
    return this.total > 0 ? this.sum / this.total : null;
  }

  /** The middle value, or the mean of the two middle values. */
  median(): number | null {
    if (this.total <= 0) return null;
    const sorted = this.sorted();
    return (this.at(Math.floor((this.total + 1) / 2), sorted) + this.at(Math.floor(this.total / 2) + 1, sorted)) / 2;
  }

  /** Nearest rank: the value at sorted position ceil(q·n). */
  quantile(q: number): number | null {
    if (this.total <= 0) return null;
    // should q·n land a hair above an integer in floating point, it is still that rank
    return this.at(Math.max(1, Math.ceil(q * this.total - 1e-9)), this.sorted());
  }
}

/**
 * Counts of durations for exact medians and percentiles without keeping one value per ticket.
 * Values are counted in the coarsest unit that holds them exactly — whole minutes for exports to
 * the minute, seconds or milliseconds when a value needs it. Whole minutes under 45 days go to
 * small pages of counters (the common case, and the fast one); other values to a table of counts
 * (src/engine/count-table.ts, a map of numbers in one typed array). Whole
 * seconds under 12 days go to pages too once the histogram is dense enough for pages to take no
 * more memory than the map (at least DENSE distinct seconds a page on average): a histogram of many tickets
 * exported to the second. Only when more than MAX_KEYS distinct values are held (pages and map
 * together) are they counted coarser (to the second, then the minute), which keeps memory bounded.
 * A value can be taken back out (a replaced ticket).
 *
 * Two histograms merge (absorb): the merged one counts every value of both in the finer unit of the
 * two, as one pass over both parts' values would, so its median and quantiles are exactly one
 * pass's whenever neither part coarsened and the merged values stay within MAX_KEYS. Where a pass
 * would coarsen, when it does depends on the order of the values; the merge then floors to the
 * coarser unit of a part that coarsened, and coarsens the merged values as a pass would on crossing
 * MAX_KEYS (the values so floored may differ from one pass's, by less than that unit).
 */
import { CountTable } from './count-table.js';

const MAX_KEYS = 100_000;
const UNITS = [1, 1_000, 60_000];
const SECONDS = 1;
const MINUTES = 2;
/** minute pages: 1024 minutes each, the first 64 × 1024 minutes (45 days) */
const MINUTE_BITS = 10;
const PAGED_MINUTES = 64 << MINUTE_BITS;
/** second pages: 256 seconds each, the first 2^20 seconds (12 days) */
const SECOND_BITS = 8;
const PAGED_SECONDS = 1 << 20;
/**
 * second pages are taken when the map's keys under PAGED_SECONDS fill their pages this much on
 * average: a page (1 KiB and its object) then costs about what the map's entries for it do
 */
const DENSE = 24;
/** the map is looked at for density when it reaches this many keys, then each time it grows by half */
const FIRST_CHECK = 1024;

/** A histogram as plain data (survives structured clone): pages (in its unit), the other counts, its unit and sums. */
export interface HistogramState {
  /** [page number, counters] of the pages, whose keys are in `unit` */
  pages: [number, Int32Array][];
  /** the values not in pages, in `unit`, and their counts: key at 2i, count at 2i + 1 */
  counts: Float64Array;
  unit: number;
  coarse: boolean;
  total: number;
  sum: number;
}

/** Values in ascending order (ms) with their counts. */
interface Sorted {
  values: Float64Array;
  counts: Float64Array;
}

/**
 * The histograms sorted last, as of which change: a median and the quantiles of a histogram sort
 * its values once, and the KPIs of an accumulator (two duration histograms, asked in turn) once
 * each. Two are held at a time, so no sorted copy outlives its use for long.
 */
const lastSorted: { of: Histogram; version: number; sorted: Sorted }[] = [];

const bitsOf = (unit: number) => (unit === MINUTES ? MINUTE_BITS : SECOND_BITS);

export class Histogram {
  /** counts every change (a value added or taken out, a change of unit): a sorted copy is of one version */
  private version = 0;
  /** keys under `pagedUnder` (in the unit): page number -> counters (made when first needed) */
  private pages: (Int32Array | undefined)[] = [];
  /** keys from 0 up to this go to the pages (0: none do) */
  private pagedUnder = PAGED_MINUTES;
  private pageBits = MINUTE_BITS;
  /** distinct keys held in the pages (the size limit counts them with the map's) */
  private pagedKeys = 0;
  /** every other value, in UNITS[unit] */
  private counts = new CountTable();
  /** the map's size at which it is next looked at for density (seconds) */
  private nextCheck = FIRST_CHECK;
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
    const k = ms / UNITS[this.unit];
    // whole keys (k is an integer) under pagedUnder go to the pages: no modulo, no map
    if (k >= 0 && k < this.pagedUnder && (k | 0) === k) {
      this.putPaged(k, delta);
      if (this.unit < MINUTES && this.counts.size + this.pagedKeys > MAX_KEYS) this.coarsen();
      return;
    }
    if (ms % UNITS[this.unit] !== 0 && !this.coarse) {
      while (this.unit > 0 && ms % UNITS[this.unit] !== 0) this.rekey(this.unit - 1);
    }
    this.putKey(Math.floor(ms / UNITS[this.unit]), delta);
    if (this.unit < MINUTES && this.counts.size + this.pagedKeys > MAX_KEYS) this.coarsen();
  }

  private putPaged(k: number, n: number): void {
    const no = k >> this.pageBits;
    let page = this.pages[no];
    if (!page) this.pages[no] = page = new Int32Array(1 << this.pageBits);
    const i = k & ((1 << this.pageBits) - 1);
    const before = page[i];
    page[i] = before + n;
    if (before === 0) this.pagedKeys++;
    else if (before + n === 0) this.pagedKeys--;
  }

  /** Counts n of a key in the unit, in a page or the map. */
  private putKey(key: number, n: number): void {
    if (key >= 0 && key < this.pagedUnder) return this.putPaged(key, n);
    this.counts.add(key, n);
    if (this.counts.size >= this.nextCheck) {
      this.nextCheck = Math.ceil(this.nextCheck * 1.5);
      if (this.unit === SECONDS && this.pagedUnder === 0) this.densify();
    }
  }

  /** Whole seconds to pages, if the map's keys under PAGED_SECONDS fill them well enough. */
  private densify(): void {
    const touched = new Uint8Array(PAGED_SECONDS >> SECOND_BITS);
    let under = 0, pages = 0;
    this.counts.forEach((k) => {
      if (k < 0 || k >= PAGED_SECONDS) return;
      under++;
      if (!touched[k >> SECOND_BITS]) (touched[k >> SECOND_BITS] = 1), pages++;
    });
    if (under < DENSE * pages) return;
    this.pagedUnder = PAGED_SECONDS;
    this.pageBits = SECOND_BITS;
    this.pages = new Array<Int32Array | undefined>(PAGED_SECONDS >> SECOND_BITS);
    const held = this.counts;
    this.counts = new CountTable();
    held.forEach((k, n) => {
      if (k >= 0 && k < PAGED_SECONDS) this.putPaged(k, n);
      else this.counts.add(k, n);
    });
  }

  private coarsen(): void {
    this.coarse = true;
    this.rekey(this.unit + 1);
  }

  /** [value in ms, count] of every key held, pages first (in order), then the map's. */
  private entries(visit: (valueMs: number, n: number) => void): void {
    const u = UNITS[this.unit];
    const size = 1 << this.pageBits;
    this.pages.forEach((page, no) => {
      if (page) for (let i = 0; i < size; i++) if (page[i]) visit(((no << this.pageBits) + i) * u, page[i]);
    });
    this.counts.forEach((k, n) => visit(k * u, n));
  }

  /** Its counts as plain data; the histogram hands them over (use it no more). */
  exportState(): HistogramState {
    const pages: [number, Int32Array][] = [];
    this.pages.forEach((page, no) => page && pages.push([no, page]));
    return { pages, counts: this.counts.packed(), unit: this.unit, coarse: this.coarse, total: this.total, sum: this.sum };
  }

  /** Adds another histogram's values (see the merge at the top of the file). */
  absorb(s: HistogramState): void {
    if (this.pristine()) return this.adopt(s);
    this.version++;
    // one pass over both: the finest unit either needed, unless one coarsened (then its unit, floored)
    const coarse = this.coarse || s.coarse;
    const to = coarse ? Math.max(this.coarse ? this.unit : 0, s.coarse ? s.unit : 0) : Math.min(this.unit, s.unit);
    if (to !== this.unit) this.rekey(to);
    this.coarse = coarse;
    const bits = bitsOf(s.unit);
    const from = UNITS[s.unit], into = UNITS[this.unit];
    for (const [no, page] of s.pages) {
      for (let i = 0; i < page.length; i++) if (page[i]) this.putKey(Math.floor((((no << bits) + i) * from) / into), page[i]);
    }
    for (let i = 0; i < s.counts.length; i += 2) this.putKey(Math.floor((s.counts[i] * from) / into), s.counts[i + 1]);
    this.total += s.total;
    this.sum += s.sum;
    while (this.counts.size + this.pagedKeys > MAX_KEYS && this.unit < MINUTES) this.coarsen();
  }

  /** Nothing added yet, in its first unit: what absorbing a state into it gives is that state. */
  private pristine(): boolean {
    return this.total === 0 && this.sum === 0 && this.unit === MINUTES && !this.coarse && this.pagedKeys === 0 && this.counts.size === 0;
  }

  /**
   * Takes a state's counts as its own (its pages without a copy): what absorbing it into a
   * pristine histogram counts, in the same unit (absorb keeps a state's unit when it is the finer or
   * the coarsened one, and a state holds at most MAX_KEYS keys unless in minutes). Pages in seconds
   * exist only once a histogram went dense, and then its table of counts holds no key they cover.
   */
  private adopt(s: HistogramState): void {
    this.version++;
    this.unit = s.unit;
    this.coarse = s.coarse;
    this.pageBits = bitsOf(s.unit);
    this.pagedUnder = s.unit === MINUTES ? PAGED_MINUTES : s.unit === SECONDS && s.pages.length ? PAGED_SECONDS : 0;
    this.pages = [];
    this.pagedKeys = 0;
    for (const [no, page] of s.pages) {
      this.pages[no] = page;
      for (let i = 0; i < page.length; i++) if (page[i]) this.pagedKeys++;
    }
    this.counts = new CountTable();
    for (let i = 0; i < s.counts.length; i += 2) this.counts.add(s.counts[i], s.counts[i + 1]);
    this.nextCheck = Math.max(FIRST_CHECK, Math.ceil(this.counts.size * 1.5));
    this.total = s.total;
    this.sum = s.sum;
  }

  /** Counts the values in another unit: finer (exact) or coarser (floored); minutes in pages, seconds in the map until dense. */
  private rekey(to: number): void {
    const held: number[] = [];
    this.entries((v, n) => held.push(v, n));
    this.unit = to;
    this.counts = new CountTable();
    this.pages = [];
    this.pagedKeys = 0;
    this.pagedUnder = to === MINUTES ? PAGED_MINUTES : 0;
    this.pageBits = bitsOf(to);
    this.nextCheck = FIRST_CHECK;
    for (let i = 0; i < held.length; i += 2) this.putKey(Math.floor(held[i] / UNITS[to]), held[i + 1]);
    this.version++;
  }

  /** Values and counts in ascending order of value. */
  private sorted(): Sorted {
    const hit = lastSorted.find((x) => x.of === this && x.version === this.version);
    if (hit) return hit.sorted;
    // the map's keys are outside the pages' range: those under 0 come before the pages, the rest after
    const keys = new Float64Array(this.counts.size);
    let k = 0;
    this.counts.forEach((key) => (keys[k++] = key));
    keys.sort();
    const n = keys.length + this.pagedKeys;
    const sorted: Sorted = { values: new Float64Array(n), counts: new Float64Array(n) };
    let j = 0, m = 0;
    const u = UNITS[this.unit];
    const push = (v: number, c: number) => {
      sorted.values[j] = v;
      sorted.counts[j++] = c;
    };
    for (; m < keys.length && keys[m] < 0; m++) push(keys[m] * u, this.counts.get(keys[m]));
    this.pages.forEach((page, no) => {
      if (page) for (let i = 0; i < page.length; i++) if (page[i]) push(((no << this.pageBits) + i) * u, page[i]);
    });
    for (; m < keys.length; m++) push(keys[m] * u, this.counts.get(keys[m]));
    lastSorted.unshift({ of: this, version: this.version, sorted });
    lastSorted.length = Math.min(lastSorted.length, 2);
    return sorted;
  }

  /** The value at 1-based sorted position `rank`, in ms. */
  private at(rank: number, sorted: Sorted): number {
    let seen = 0;
    for (let i = 0; i < sorted.values.length; i++) {
      seen += sorted.counts[i];
      if (seen >= rank) return sorted.values[i];
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

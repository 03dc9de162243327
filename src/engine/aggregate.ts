import type { Objective } from '../config/types.js';
import { METRICS } from '../config/schema.js';
import { NONE_KEY, NO_POLICY } from './evaluate-ticket.js';
import { STATUSES, type Breach, type Counts, type EvaluatedTicket, type Status } from './result.js';

const NS = STATUSES.length;
const NM = METRICS.length;
const S_INDEX = Object.fromEntries(STATUSES.map((s, i) => [s, i])) as Record<Status, number>;
const I_BREACHED = S_INDEX.breached;
const I_OVERDUE = S_INDEX.overdue;
/** A group's array: statuses per metric, then tickets, tickets with a metric breached, tickets with a metric overdue. */
export const G_TICKETS = NM * NS;
const GROUP_SLOTS = NM * NS + 3;
const I_RES = METRICS.indexOf('resolution');

export function toCounts(a: ArrayLike<number>, offset = 0): Counts {
  const c = {} as Counts;
  STATUSES.forEach((s, i) => (c[s] = a[offset + i]));
  const denom = c.met + c.breached + c.overdue;
  c.compliance = denom === 0 ? null : c.met / denom;
  return c;
}

/**
 * Sorted runs of 64-bit keys with a memory ceiling (given as two 32-bit halves); the caller
 * supplies one that may spill to temporary files, so the engine itself touches no file.
 */
export interface SortedKeys {
  add(hi: number, lo: number): void;
  /** every key in ascending order, then everything is freed */
  merge(visit: (hi: number, lo: number) => void): void;
  dispose(): void;
}

/** Sorted keys held in memory (for API callers that bring none; the CLI spills to disk). */
class MemoryKeys implements SortedKeys {
  private words = new Uint32Array(2048);
  private n = 0;
  add(hi: number, lo: number): void {
    if (this.n * 2 + 2 > this.words.length) {
      const grown = new Uint32Array(Math.max(2048, this.words.length * 2));
      grown.set(this.words);
      this.words = grown;
    }
    this.words[this.n * 2] = lo; // little-endian: low word first
    this.words[this.n * 2 + 1] = hi;
    this.n++;
  }
  merge(visit: (hi: number, lo: number) => void): void {
    const keys = new BigUint64Array(this.words.buffer, 0, this.n).sort();
    const w = new Uint32Array(keys.buffer, 0, this.n * 2);
    for (let i = 0; i < this.n; i++) visit(w[i * 2 + 1], w[i * 2]);
    this.dispose();
  }
  dispose(): void {
    this.words = new Uint32Array(0);
    this.n = 0;
  }
}

/** A value interned to a small integer. */
class Interner {
  readonly ids = new Map<string, number>();
  readonly values: string[] = [];
  id(v: string): number {
    let i = this.ids.get(v);
    if (i === undefined) {
      i = this.values.length;
      this.ids.set(v, i);
      this.values.push(v);
    }
    return i;
  }
}

export interface CategoryAgg {
  tickets: number;
  breached: number;
  /** resolution business minutes (whole minutes) -> count, for exact medians */
  resolution: Map<number, number>;
  satSum: number;
  satCount: number;
}

/** Repeat keys pack customer and category into 32 bits: customer * MAX_CATEGORIES + category. */
const MAX_CATEGORIES = 512;
const MAX_CUSTOMERS = Math.floor(2 ** 32 / MAX_CATEGORIES);

/**
 * Counts per metric, per breakdown group, per objective, per creation day and per category, plus
 * the worst breaches. Nothing is kept per ticket in memory: ticket ids and (customer, category,
 * minute) keys go into sorted runs (spilled to temporary files past a million), from which
 * duplicates and repeat complaints are found at the end.
 */
export class Aggregator {
  readonly metrics = new Float64Array(NM * NS);
  readonly groups: Map<string, Map<string, Float64Array>>;
  readonly objectiveCounts: Float64Array;
  /** local day -> statuses per metric */
  readonly days = new Map<number, Float64Array>();
  /** local day -> category -> tickets */
  readonly dayCategories = new Map<number, Map<string, number>>();
  readonly categories = new Map<string, CategoryAgg>();
  /** channel -> [tickets, breached] */
  readonly channels = new Map<string, [number, number]>();
  /** weekday * 24 + hour -> tickets */
  readonly hours = new Float64Array(7 * 24);
  private readonly repeatRuns: SortedKeys;
  private readonly customers = new Interner();
  private readonly categoryIds = new Interner();
  /** repeat keys taken back out (a replaced duplicate), as "hi:lo" -> count */
  private readonly removedRepeats = new Map<string, number>();
  repeatsUnavailable = false;
  private readonly groupArrs: Float64Array[] = [];
  /** per objective: the metric index it counts, or -1 for overall */
  private readonly objectiveMetric: Int8Array;
  private lastDay = NaN;
  private lastDayArr: Float64Array | undefined;
  private breachList: Breach[] = [];
  /** only breaches at least this far over target can still make the worst list */
  private breachFloor = -Infinity;
  evaluated = 0;

  constructor(
    readonly groupBy: string[],
    readonly objectives: Objective[],
    readonly maxBreaches = 100,
    sortedKeys: () => SortedKeys = () => new MemoryKeys(),
  ) {
    this.repeatRuns = sortedKeys();
    this.groups = new Map(groupBy.map((g) => [g, new Map()]));
    this.objectiveCounts = new Float64Array(objectives.length * NS);
    this.objectiveMetric = Int8Array.from(objectives.map((o) => (o.metric === 'overall' ? -1 : METRICS.indexOf(o.metric))));
  }

  /** Adds one ticket: its statuses, facts and repeat key; a breach may join the worst list. */
  add(c: EvaluatedTicket): void {
    this.apply(c, 1);
    if (c.counted) {
      for (const r of c.results) {
        if ((r.status === 'breached' || r.status === 'overdue') && r.elapsedMs - r.targetMs >= this.breachFloor) {
          const t = c.ticket;
          this.breachList.push({
            id: t.id, metric: r.metric, status: r.status, policy: c.policy?.name ?? NO_POLICY, priority: t.priority,
            targetMs: r.targetMs, elapsedMs: r.elapsedMs, due: r.due, completed: r.completed, file: t.file, row: t.row,
          });
        }
      }
      if (this.breachList.length > this.maxBreaches * 4) this.trimBreaches();
    }
  }

  /** Takes a ticket back out (a later row with the same id replaces it). */
  retract(c: EvaluatedTicket): void {
    this.apply(c, -1);
    const before = this.breachList.length;
    const t = c.ticket;
    this.breachList = this.breachList.filter((b) => !(b.row === t.row && b.file === t.file));
    // the list lost an entry: let anything over target in again until the next trim
    if (this.breachList.length !== before) this.breachFloor = -Infinity;
  }

  private apply(c: EvaluatedTicket, delta: number): void {
    if (!c.counted) return;
    this.evaluated += delta;
    const { ticket: t, results, facts } = c;
    const policy = c.policy?.name ?? NO_POLICY;
    const priority = t.priority || NONE_KEY;
    let dayArr = facts.day === this.lastDay ? this.lastDayArr : this.days.get(facts.day);
    if (!dayArr) this.days.set(facts.day, (dayArr = new Float64Array(NM * NS)));
    this.lastDay = facts.day;
    this.lastDayArr = dayArr;
    const groupArrs = this.groupArrs;
    let g = 0;
    for (const groups of this.groups.values()) {
      const key = c.groupValues[g];
      let arr = groups.get(key);
      if (!arr) groups.set(key, (arr = new Float64Array(GROUP_SLOTS)));
      groupArrs[g++] = arr;
    }
    let breached = false;
    let overdue = false;
    for (let m = 0; m < NM; m++) {
      const s = S_INDEX[results[m].status];
      if (s === I_BREACHED) breached = true;
      else if (s === I_OVERDUE) overdue = true;
      this.metrics[m * NS + s] += delta;
      dayArr[m * NS + s] += delta;
      for (let k = 0; k < g; k++) groupArrs[k][m * NS + s] += delta;
      const objs = this.objectiveMetric;
      for (let o = 0; o < objs.length; o++) {
        if (objs[o] >= 0 && objs[o] !== m) continue;
        const ob = this.objectives[o];
        if (ob.priority !== undefined && ob.priority !== priority) continue;
        if (ob.policy !== undefined && ob.policy !== policy) continue;
        this.objectiveCounts[o * NS + s] += delta;
      }
    }
    for (let k = 0; k < g; k++) {
      const arr = groupArrs[k];
      arr[G_TICKETS] += delta;
      if (breached) arr[G_TICKETS + 1] += delta;
      if (overdue) arr[G_TICKETS + 2] += delta;
    }
    // categories
    const cat = facts.category;
    let ca = this.categories.get(cat);
    if (!ca) this.categories.set(cat, (ca = { tickets: 0, breached: 0, resolution: new Map(), satSum: 0, satCount: 0 }));
    ca.tickets += delta;
    if (breached) ca.breached += delta;
    const res = results[I_RES];
    if (res.status === 'met' || res.status === 'breached') {
      const rm = Math.floor(res.elapsedMs / 60_000);
      ca.resolution.set(rm, (ca.resolution.get(rm) ?? 0) + delta);
    }
    if (Number.isFinite(facts.satisfaction)) {
      ca.satSum += delta * facts.satisfaction;
      ca.satCount += delta;
    }
    let dc = this.dayCategories.get(facts.day);
    if (!dc) this.dayCategories.set(facts.day, (dc = new Map()));
    dc.set(cat, (dc.get(cat) ?? 0) + delta);
    // hotspots
    const channel = facts.channel || NONE_KEY;
    let ch = this.channels.get(channel);
    if (!ch) this.channels.set(channel, (ch = [0, 0]));
    ch[0] += delta;
    if (breached) ch[1] += delta;
    this.hours[facts.weekday * 24 + facts.hour] += delta;
    // repeat complaints: a (customer, category, minute) key per ticket
    if (facts.customer && !this.repeatsUnavailable) {
      const cust = this.customers.id(facts.customer);
      const catId = this.categoryIds.id(cat);
      if (cust >= MAX_CUSTOMERS || catId >= MAX_CATEGORIES) {
        this.repeatsUnavailable = true;
        return;
      }
      const hi = cust * MAX_CATEGORIES + catId;
      const lo = (Math.floor(t.created / 60_000) + 2 ** 31) >>> 0;
      if (delta > 0) this.repeatRuns.add(hi, lo);
      else this.removedRepeats.set(`${hi}:${lo}`, (this.removedRepeats.get(`${hi}:${lo}`) ?? 0) + 1);
    }
  }

  private trimBreaches(): void {
    this.breachList.sort(worstFirst);
    if (this.breachList.length >= this.maxBreaches) {
      this.breachList.length = this.maxBreaches;
      const last = this.breachList[this.maxBreaches - 1];
      this.breachFloor = last.elapsedMs - last.targetMs;
    }
  }

  /** The worst breaches first: by how far past target, then id. */
  worstBreaches(): Breach[] {
    this.trimBreaches();
    return this.breachList.slice();
  }

  /**
   * category -> tickets that repeat a complaint: the same customer and category at most `windowMs`
   * after the previous one, in time order whatever the file order (minute resolution).
   */
  repeatCounts(windowMs: number): Map<string, number> {
    const out = new Map<string, number>();
    const window = Math.floor(windowMs / 60_000);
    let ph = -1, pl = 0;
    const anyRemoved = this.removedRepeats.size > 0;
    this.repeatRuns.merge((hi, lo) => {
      if (anyRemoved) {
        const key = `${hi}:${lo}`;
        const removed = this.removedRepeats.get(key);
        if (removed) {
          this.removedRepeats.set(key, removed - 1);
          return;
        }
      }
      if (hi === ph && lo - pl <= window) {
        const cat = this.categoryIds.values[hi % MAX_CATEGORIES];
        out.set(cat, (out.get(cat) ?? 0) + 1);
      }
      ph = hi;
      pl = lo;
    });
    return out;
  }

  /** Statuses summed over all metrics. */
  overall(): Float64Array {
    const out = new Float64Array(NS);
    for (let m = 0; m < NM; m++) for (let s = 0; s < NS; s++) out[s] += this.metrics[m * NS + s];
    return out;
  }

  dispose(): void {
    this.repeatRuns.dispose();
  }
}

function worstFirst(a: Breach, b: Breach): number {
  const over = b.elapsedMs - b.targetMs - (a.elapsedMs - a.targetMs);
  if (over !== 0) return over;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : a.metric < b.metric ? -1 : 1;
}

/** The median of a minute histogram (the mean of the two middle values for an even count); null when empty. */
export function median(hist: Map<number, number>): number | null {
  let total = 0;
  for (const n of hist.values()) total += n;
  if (total <= 0) return null;
  const lo = quantileRank(hist, Math.floor((total + 1) / 2));
  const hi = quantileRank(hist, Math.floor(total / 2) + 1);
  return (lo + hi) / 2;
}

function quantileRank(hist: Map<number, number>, rank: number): number {
  let seen = 0;
  for (const k of [...hist.keys()].sort((a, b) => a - b)) {
    seen += hist.get(k)!;
    if (seen >= rank) return k;
  }
  return NaN;
}

/** The value at quantile q (nearest rank) of a minute histogram; null when empty. */
export function quantile(hist: Map<number, number>, q: number): number | null {
  let total = 0;
  for (const n of hist.values()) total += n;
  if (total <= 0) return null;
  return quantileRank(hist, Math.max(1, Math.ceil(q * total)));
}

export { NS, NM };

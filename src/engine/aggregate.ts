import type { Objective, Policy } from '../config/types.js';
import { METRICS, type Metric } from '../config/schema.js';
import type { Ticket } from '../input/tickets.js';
import { STATUSES, type MetricResult, type Status } from './evaluate.js';

const NS = STATUSES.length;
const NM = METRICS.length;
const S_INDEX = Object.fromEntries(STATUSES.map((s, i) => [s, i])) as Record<Status, number>;
const I_BREACHED = S_INDEX.breached;
const I_RES = METRICS.indexOf('resolution');

export type Counts = Record<Status, number> & { compliance: number | null };

export function toCounts(a: ArrayLike<number>, offset = 0): Counts {
  const c = {} as Counts;
  STATUSES.forEach((s, i) => (c[s] = a[offset + i]));
  const denom = c.met + c.breached + c.overdue;
  c.compliance = denom === 0 ? null : c.met / denom;
  return c;
}

export interface Breach {
  id: string;
  metric: Metric;
  status: 'breached' | 'overdue';
  policy: string;
  priority: string;
  targetMs: number;
  elapsedMs: number;
  due: number;
  completed: number;
  ordinal: number;
}

/** What a ticket contributes beyond its statuses: category, channel, customer, creation day and hour. */
export interface TicketFacts {
  category: string;
  channel: string;
  customer: string;
  /** local day number of creation (config zone) */
  day: number;
  hour: number;
  weekday: number;
  /** NaN when absent */
  satisfaction: number;
}

/** A value interned to a small integer, so per-ticket state is a few numbers. */
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

export const NONE_KEY = '(none)';
export const NO_POLICY = '(no policy)';

// layout of one ticket's record in the store
const F_COUNTED = 0;
const F_STATUS = 1; // NM entries
const F_POLICY = F_STATUS + NM;
const F_PRIORITY = F_POLICY + 1;
const F_FILE = F_PRIORITY + 1;
const F_ROW = F_FILE + 1;
const F_CATEGORY = F_ROW + 1;
const F_CHANNEL = F_CATEGORY + 1;
const F_CUSTOMER = F_CHANNEL + 1;
const F_DAY = F_CUSTOMER + 1;
const F_HOUR = F_DAY + 1; // weekday * 24 + hour
const F_RESMIN = F_HOUR + 1; // whole resolution minutes, -1 when none
const F_SAT = F_RESMIN + 1; // satisfaction * 100, -1 when none
const F_GROUPS = F_SAT + 1;

/**
 * Counts per metric, per breakdown group, per objective, per creation day and per category, plus
 * the worst breaches. Memory is the aggregates plus a few integers per ticket id, kept so that a
 * later row with the same id can replace the earlier one exactly (its contribution is taken out).
 */
export class Aggregator {
  readonly metrics = new Float64Array(NM * NS);
  readonly groups: Map<string, Map<number, Float64Array>>;
  readonly objectiveCounts: Float64Array;
  /** local day -> statuses per metric */
  readonly days = new Map<number, Float64Array>();
  /** local day -> category id -> tickets */
  readonly dayCategories = new Map<number, Map<number, number>>();
  readonly categories = new Map<number, CategoryAgg>();
  /** channel id -> [tickets, breached] */
  readonly channels = new Map<number, [number, number]>();
  /** weekday * 24 + hour -> tickets */
  readonly hours = new Float64Array(7 * 24);
  /** customer id * 65536 + category id -> creation instants, for repeat complaints */
  readonly repeats = new Map<number, number[]>();
  /** only breaches at least this far over target can still make the worst list */
  private breachFloor = -Infinity;
  private readonly groupKeys: Interner[];
  private readonly groupArrs: Float64Array[] = [];
  private readonly interned = { policy: new Interner(), priority: new Interner(), file: new Interner(), category: new Interner(), channel: new Interner(), customer: new Interner() };
  private readonly ids = new Map<string, number>();
  private store: Int32Array;
  private created: Float64Array;
  private readonly stride: number;
  private count = 0;
  private breachList: Breach[] = [];
  evaluated = 0;

  constructor(
    readonly groupBy: string[],
    readonly objectives: Objective[],
    readonly maxBreaches = 100,
  ) {
    this.groups = new Map(groupBy.map((g) => [g, new Map()]));
    this.groupKeys = groupBy.map(() => new Interner());
    this.objectiveCounts = new Float64Array(objectives.length * NS);
    this.stride = F_GROUPS + groupBy.length;
    this.store = new Int32Array(this.stride * 1024);
    this.created = new Float64Array(1024);
  }

  /** The ordinal the next added ticket gets. */
  nextOrdinal(): number {
    return this.count;
  }

  /**
   * Adds one ticket's results. When the id was seen before, the earlier row's contribution is
   * removed and its position returned, so the caller can report the duplicate.
   */
  add(t: Ticket, policy: Policy | undefined, results: MetricResult[], counted: boolean, groupValues: string[], facts: TicketFacts): { file: string; row: number; ordinal: number } | undefined {
    const prev = this.ids.get(t.id);
    let replaced: { file: string; row: number; ordinal: number } | undefined;
    if (prev !== undefined) {
      const pb = prev * this.stride;
      replaced = { file: this.interned.file.values[this.store[pb + F_FILE]], row: this.store[pb + F_ROW], ordinal: prev };
      this.apply(prev, -1);
      const before = this.breachList.length;
      this.breachList = this.breachList.filter((b) => b.ordinal !== prev);
      // the list lost an entry: let anything over target in again until the next trim
      if (this.breachList.length !== before) this.breachFloor = -Infinity;
    }
    const ord = this.count++;
    if ((ord + 1) * this.stride > this.store.length) {
      const bigger = new Int32Array(this.store.length * 2);
      bigger.set(this.store);
      this.store = bigger;
      const c = new Float64Array(this.created.length * 2);
      c.set(this.created);
      this.created = c;
    }
    this.ids.set(t.id, ord);
    const b = ord * this.stride;
    const st = this.store;
    const I = this.interned;
    st[b + F_COUNTED] = counted ? 1 : 0;
    for (let m = 0; m < NM; m++) st[b + F_STATUS + m] = S_INDEX[results[m].status];
    st[b + F_POLICY] = I.policy.id(policy?.name ?? NO_POLICY);
    st[b + F_PRIORITY] = I.priority.id(t.priority || NONE_KEY);
    st[b + F_FILE] = I.file.id(t.file);
    st[b + F_ROW] = t.row;
    st[b + F_CATEGORY] = I.category.id(facts.category);
    st[b + F_CHANNEL] = I.channel.id(facts.channel || NONE_KEY);
    st[b + F_CUSTOMER] = facts.customer ? I.customer.id(facts.customer) : -1;
    st[b + F_DAY] = facts.day;
    st[b + F_HOUR] = facts.weekday * 24 + facts.hour;
    const res = results[I_RES];
    st[b + F_RESMIN] = res.status === 'met' || res.status === 'breached' ? Math.floor(res.elapsedMs / 60_000) : -1;
    st[b + F_SAT] = Number.isFinite(facts.satisfaction) ? Math.round(facts.satisfaction * 100) : -1;
    for (let g = 0; g < groupValues.length; g++) st[b + F_GROUPS + g] = this.groupKeys[g].id(groupValues[g]);
    this.created[ord] = t.created;
    this.apply(ord, 1);
    if (counted) {
      for (const r of results) {
        if ((r.status === 'breached' || r.status === 'overdue') && r.elapsedMs - r.targetMs >= this.breachFloor) {
          this.breachList.push({
            id: t.id, metric: r.metric, status: r.status, policy: policy?.name ?? NO_POLICY, priority: t.priority,
            targetMs: r.targetMs, elapsedMs: r.elapsedMs, due: r.due, completed: r.completed, ordinal: ord,
          });
        }
      }
      if (this.breachList.length > this.maxBreaches * 4) this.trimBreaches();
    }
    return replaced;
  }

  private apply(ord: number, delta: number): void {
    const st = this.store;
    const b = ord * this.stride;
    if (!st[b + F_COUNTED]) return;
    this.evaluated += delta;
    const I = this.interned;
    const policy = I.policy.values[st[b + F_POLICY]];
    const priority = I.priority.values[st[b + F_PRIORITY]];
    const day = st[b + F_DAY];
    let dayArr = this.days.get(day);
    if (!dayArr) this.days.set(day, (dayArr = new Float64Array(NM * NS)));
    let breached = false;
    const groupArrs = this.groupArrs;
    let g = 0;
    for (const groups of this.groups.values()) {
      const key = st[b + F_GROUPS + g];
      let arr = groups.get(key);
      if (!arr) groups.set(key, (arr = new Float64Array(NM * NS)));
      groupArrs[g++] = arr;
    }
    for (let m = 0; m < NM; m++) {
      const s = st[b + F_STATUS + m];
      if (s === I_BREACHED) breached = true;
      this.metrics[m * NS + s] += delta;
      dayArr[m * NS + s] += delta;
      for (let k = 0; k < g; k++) groupArrs[k][m * NS + s] += delta;
      for (let o = 0; o < this.objectives.length; o++) {
        const ob = this.objectives[o];
        if (ob.metric !== 'overall' && ob.metric !== METRICS[m]) continue;
        if (ob.priority !== undefined && ob.priority !== priority) continue;
        if (ob.policy !== undefined && ob.policy !== policy) continue;
        this.objectiveCounts[o * NS + s] += delta;
      }
    }
    // categories
    const cat = st[b + F_CATEGORY];
    let ca = this.categories.get(cat);
    if (!ca) this.categories.set(cat, (ca = { tickets: 0, breached: 0, resolution: new Map(), satSum: 0, satCount: 0 }));
    ca.tickets += delta;
    if (breached) ca.breached += delta;
    const rm = st[b + F_RESMIN];
    if (rm >= 0) ca.resolution.set(rm, (ca.resolution.get(rm) ?? 0) + delta);
    const sat = st[b + F_SAT];
    if (sat >= 0) {
      ca.satSum += (delta * sat) / 100;
      ca.satCount += delta;
    }
    let dc = this.dayCategories.get(day);
    if (!dc) this.dayCategories.set(day, (dc = new Map()));
    dc.set(cat, (dc.get(cat) ?? 0) + delta);
    // hotspots
    const ch = st[b + F_CHANNEL];
    let c = this.channels.get(ch);
    if (!c) this.channels.set(ch, (c = [0, 0]));
    c[0] += delta;
    if (breached) c[1] += delta;
    this.hours[st[b + F_HOUR]] += delta;
    // repeat complaints: creation instants per customer and category
    const cust = st[b + F_CUSTOMER];
    if (cust >= 0) {
      const key = cust * 65536 + cat;
      let list = this.repeats.get(key);
      if (!list) this.repeats.set(key, (list = []));
      if (delta > 0) list.push(this.created[ord]);
      else list.splice(list.indexOf(this.created[ord]), 1);
    }
  }

  private trimBreaches(): void {
    this.breachList.sort(worstFirst);
    if (this.breachList.length >= this.maxBreaches) {
      this.breachList.length = this.maxBreaches;
      const last = this.breachList[this.maxBreaches - 1];
      // a retracted duplicate may leave room again, so the floor only rises between trims
      this.breachFloor = last.elapsedMs - last.targetMs;
    }
  }

  /** The worst breaches first: by how far past target, then id. */
  worstBreaches(): Breach[] {
    this.trimBreaches();
    return this.breachList.slice();
  }

  groupKey(field: number, id: number): string {
    return this.groupKeys[field].values[id];
  }

  categoryName(id: number): string {
    return this.interned.category.values[id];
  }

  channelName(id: number): string {
    return this.interned.channel.values[id];
  }

  /** category id -> tickets that repeat a complaint (same customer and category within `windowMs` of the previous one). */
  repeatCounts(windowMs: number): Map<number, number> {
    const out = new Map<number, number>();
    for (const [key, times] of this.repeats) {
      if (times.length < 2) continue;
      const sorted = Float64Array.from(times).sort();
      let n = 0;
      for (let i = 1; i < sorted.length; i++) if (sorted[i] - sorted[i - 1] <= windowMs) n++;
      if (n) {
        const cat = key % 65536;
        out.set(cat, (out.get(cat) ?? 0) + n);
      }
    }
    return out;
  }

  /** Statuses summed over all metrics. */
  overall(): Float64Array {
    const out = new Float64Array(NS);
    for (let m = 0; m < NM; m++) for (let s = 0; s < NS; s++) out[s] += this.metrics[m * NS + s];
    return out;
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
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const k of [...hist.keys()].sort((a, b) => a - b)) {
    seen += hist.get(k)!;
    if (seen >= rank) return k;
  }
  return null;
}

export { NS, NM };

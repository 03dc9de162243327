/**
 * The aggregates of an audit. Nothing is kept per ticket in memory: each ticket adds to counters
 * and histograms — KPI accumulators for the whole, each breakdown group, each period, each
 * objective's tickets, each scorecard group and each side of a --split — to per-day status counts
 * for the trend, to categories, channels and hours, and perhaps to the worst breaches. A ticket can
 * be taken back out (a later row with the same id replaces it). Repeat complaints are found at the
 * end from sorted (customer, category, minute) keys, each carrying the accumulators its ticket went
 * to, so every accumulator learns its repeats.
 *
 * Aggregates are mergeable: a part of the tickets (a byte range of a file, read and evaluated in its
 * own thread) hands its aggregates over as plain data (exportState), and the parts are absorbed in
 * file order into the first part's aggregator, which then gives what one pass over every ticket
 * gives. Rows a later duplicate replaces are taken out after merging (retract), as one pass takes
 * them out once the duplicate is found.
 */
import type { CreditsConfig, CustomKpi, Objective, Scorecard } from '../config/types.js';
import { CreditsAcc, type CreditsState } from './credits.js';
import type { MetricName, Period } from '../config/schema.js';
import { NO_POLICY } from './filters.js';
import { ExactSum } from './exact-sum.js';
import { Histogram, type HistogramState } from './histogram.js';
import { KpiAcc, type KpiState } from './kpi.js';
import { periodOf } from './periods.js';
import { shareOf } from './share.js';
import type { HandedKeys } from '../model/sorted-keys.js';
import { STATUSES, type Breach, type Counts, type EvaluatedTicket, type RepeatCustomer, type Status } from './result.js';

const NS = STATUSES.length;
const S_INDEX = Object.fromEntries(STATUSES.map((s, i) => [s, i])) as Record<Status, number>;
const I_BREACHED = S_INDEX.breached;
/** every config measures first_response and resolution first (config.metrics) */
const I_RES = 1;

export function toCounts(a: ArrayLike<number>, offset = 0): Counts {
  const c = {} as Counts;
  STATUSES.forEach((s, i) => (c[s] = a[offset + i]));
  const denom = c.met + c.breached + c.overdue;
  c.compliance = denom === 0 ? null : c.met / denom;
  return c;
}

/**
 * Sorted runs of 64-bit keys with a 32-bit payload and a memory ceiling (keys given as two 32-bit
 * halves); the caller supplies one that may spill to temporary files, so the engine touches no file.
 */
export interface SortedKeys {
  add(hi: number, lo: number, payload: number): void;
  /** every record in key order, then everything is freed */
  merge(visit: (hi: number, lo: number, payload: number) => void): void;
  /** every record handed to another owner (another thread's), then nothing is held here */
  handOver(): HandedKeys;
  /** another owner's records handed over, as if added here now (after those added so far) */
  adopt(h: HandedKeys): void;
  /** every record another owner handed over, in key order (equal keys in the order added), then what it left is removed */
  mergeHanded(h: HandedKeys, visit: (hi: number, lo: number, payload: number) => void): void;
  /** what another owner handed over, removed unread */
  discard(h: HandedKeys): void;
  dispose(): void;
}

/** Sorted keys held in memory (for API callers that bring none; the CLI spills to disk). */
class MemoryKeys implements SortedKeys {
  private records: [number, number, number][] = [];
  add(hi: number, lo: number, payload: number): void {
    this.records.push([hi, lo, payload]);
  }
  merge(visit: (hi: number, lo: number, payload: number) => void): void {
    // a stable sort: equal keys in the order added
    this.records.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (const [hi, lo, p] of this.records) visit(hi, lo, p);
    this.dispose();
  }
  handOver(): HandedKeys {
    const n = this.records.length;
    const out = { hi: new Uint32Array(n), lo: new Uint32Array(n), pay: new Uint32Array(n) };
    let i = 0;
    this.merge((hi, lo, p) => {
      out.hi[i] = hi;
      out.lo[i] = lo;
      out.pay[i++] = p;
    });
    return { files: [], dirs: [], records: out };
  }
  adopt(h: HandedKeys): void {
    this.mergeHanded(h, (hi, lo, p) => this.add(hi, lo, p));
  }
  mergeHanded(h: HandedKeys, visit: (hi: number, lo: number, payload: number) => void): void {
    // records kept in memory only: runs in files are another store's to read
    if (h.files.length) throw new Error('sorted keys held in memory cannot merge runs from files');
    const r = h.records;
    if (r) for (let i = 0; i < r.hi.length; i++) visit(r.hi[i], r.lo[i], r.pay[i]);
  }
  discard(h: HandedKeys): void {
    if (h.files.length) throw new Error('sorted keys held in memory cannot remove runs from files');
  }
  dispose(): void {
    this.records = [];
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

/** Lists of small integers interned to one integer each, found by a hash of their elements (no string built). */
class ListInterner {
  private readonly byHash = new Map<number, number[]>();
  readonly values: number[][] = [];
  id(list: number[]): number {
    let h = 0x811c9dc5;
    for (const x of list) h = Math.imul(h ^ x, 0x01000193);
    let bucket = this.byHash.get(h);
    if (bucket) {
      for (const i of bucket) {
        const v = this.values[i];
        if (v.length === list.length && v.every((x, j) => x === list[j])) return i;
      }
    } else this.byHash.set(h, (bucket = []));
    bucket.push(this.values.length);
    this.values.push(list.slice());
    return this.values.length - 1;
  }
}

export interface CategoryAgg {
  tickets: number;
  breached: number;
  /** resolution business ms of resolved tickets */
  resolution: Histogram;
  /** ratings of its rated tickets, summed exactly (the same in any order, in one pass or in parts) */
  sat: ExactSum;
  satCount: number;
}

/** Repeat keys pack customer and category into 32 bits: customer * MAX_CATEGORIES + category. */
const MAX_CATEGORIES = 512;
const MAX_CUSTOMERS = Math.floor(2 ** 32 / MAX_CATEGORIES);

/** One side of a --split: its tickets' KPIs, categories and scorecard groups. */
export interface SplitSide {
  overall: KpiAcc;
  categories: Map<string, number>;
  /** per scorecard: group -> accumulator */
  scorecards: Map<string, KpiAcc>[];
}

export interface AggregatorOptions {
  /** the judged metrics (config.metrics, then the OLAs'), in the order of a ticket's results */
  metrics: readonly MetricName[];
  /** the OLA groups, when the config has an olas: section: hand-off and group-time KPIs */
  olaGroups?: readonly string[];
  groupBy: string[];
  objectives: Objective[];
  scorecards: Scorecard[];
  /** --period: KPIs per period too */
  period?: Period;
  /** --split: before and after this instant */
  split?: number;
  maxBreaches?: number;
  sortedKeys?: () => SortedKeys;
  /** satisfaction.good */
  goodRating: number;
  /** how many escalation levels there are (config.levels) */
  levels: number;
  /** service credits, when the config has them */
  credits?: CreditsConfig;
  /** the config's custom KPIs (kpis:): every accumulator computes them too */
  customKpis?: readonly CustomKpi[];
  /** list the customers with repeat complaints (-o repeats.csv): first and last ticket per customer and category */
  listRepeats?: boolean;
}

/**
 * A customer's first and last ticket in a category, as they were added, and how many tickets of
 * that id and instant are still in (a replaced row is taken back out: at 0 only the end's minute is
 * known again, from the sorted keys).
 */
interface RepeatEnds {
  firstAt: number;
  firstId: string;
  firstN: number;
  /** tickets of other ids at firstAt, by id (made when there is one): a merge counts the first's id across parts from them */
  firstOthers?: Map<string, number>;
  lastAt: number;
  lastId: string;
  lastN: number;
  /** a ticket of another id came at lastAt before the last one (lastN counts the last id's run since) */
  lastMixed: boolean;
}

/** Counts a ticket of another id than the first's at the first instant. */
function addOther(e: RepeatEnds, id: string, n: number): void {
  const others = (e.firstOthers ??= new Map());
  others.set(id, (others.get(id) ?? 0) + n);
}

/** Accumulators by key, as their places in AggregatorState.accs. */
type Ids = Map<string, number>;

/**
 * A part's aggregates as plain data that survives structured clone (postMessage): numbers,
 * strings, arrays, typed arrays, plain objects, Maps. Accumulators are listed once (accs, by their
 * id in the part) and named by that id where they sit; repeat keys carry the part's own customer,
 * category and accumulator-set numbers, which absorb maps to the receiving aggregator's.
 */
export interface AggregatorState {
  evaluated: number;
  withoutHistory: number;
  accs: KpiState[];
  overall: number;
  /** per --group-by field (in order): value -> accumulator */
  groups: Ids[];
  periods: Ids;
  objectives: { total: number; periods: Ids | null }[];
  scorecards: { total: Ids; periods: Map<string, Ids> }[];
  split: { overall: number; categories: Map<string, number>; scorecards: Ids[] }[] | undefined;
  days: Map<number, Float64Array>;
  dayCategories: Map<number, Map<string, number>>;
  dayLevels: Map<number, Float64Array>;
  credits: CreditsState | undefined;
  categories: Map<string, Omit<CategoryAgg, 'resolution' | 'sat'> & { resolution: HistogramState; sat: number[] }>;
  channels: Map<string, [number, number]>;
  hours: Float64Array;
  /** the worst-breach list as kept (rows as the part counted them) and its trimming floor */
  breaches: Breach[];
  breachFloor: number;
  repeats: RepeatState;
}

/** A part's repeat-complaint keys: records as columns, and what their numbers stand for. */
interface RepeatState {
  /** the part's repeat keys, handed over (in files, when the part spills to disk) */
  keys: HandedKeys;
  customers: string[];
  categories: string[];
  /** payload -> the part's accumulator ids */
  accSets: number[][];
  /** records taken back out: [hi, lo, payload, count] */
  removed: [number, number, number, number][];
  unavailable: boolean;
  anyCustomer: boolean;
  ends: Map<number, RepeatEnds> | undefined;
}

export class Aggregator {
  /** every accumulator, by id */
  private readonly accs: KpiAcc[] = [];
  readonly overall: KpiAcc;
  readonly groups: Map<string, Map<string, KpiAcc>>;
  /** --period: period label -> accumulator */
  readonly periods = new Map<string, KpiAcc>();
  /** per objective: its tickets' accumulator (the overall one when it covers every ticket), and per --period when it has an effective range */
  readonly objectives: { total: KpiAcc; periods: Map<string, KpiAcc> | null; shared: boolean }[] = [];
  /** per scorecard: group -> accumulator, for all tickets and per its period */
  readonly scorecards: { total: Map<string, KpiAcc>; periods: Map<string, Map<string, KpiAcc>> }[];
  readonly split: SplitSide[] | undefined;
  /** local day -> statuses per metric (the trend chart) */
  readonly days = new Map<number, Float64Array>();
  /** local day -> category -> tickets */
  readonly dayCategories = new Map<number, Map<string, number>>();
  /** local day -> tickets by the highest escalation level they reached, then the same for those still open */
  readonly dayLevels = new Map<number, Float64Array>();
  readonly credits: CreditsAcc | undefined;
  readonly categories = new Map<string, CategoryAgg>();
  /** channel -> [tickets, breached] */
  readonly channels = new Map<string, [number, number]>();
  /** weekday * 24 + hour -> tickets */
  readonly hours = new Float64Array(7 * 24);
  private readonly repeatRuns: SortedKeys;
  private readonly customers = new Interner();
  private readonly categoryIds = new Interner();
  /** sets of accumulators a ticket went to, interned: the payload of its repeat key */
  private readonly accSets = new ListInterner();
  /** repeat records taken back out (a replaced duplicate), as "hi:lo:payload" -> count */
  private readonly removedRepeats = new Map<string, number>();
  repeatsUnavailable = false;
  /** -o repeats.csv: per repeat key's customer and category (hi), its first and last ticket */
  private readonly ends: Map<number, RepeatEnds> | undefined;
  /** the customers with repeat complaints, found with the repeat counts */
  repeatCustomers: RepeatCustomer[] = [];
  private anyCustomer = false;
  private lastDay = NaN;
  private lastDayArr: Float64Array | undefined;
  /** per period kind: local day -> label */
  private readonly periodLabels = new Map<Period, Map<number, string>>();
  private breachList: Breach[] = [];
  /** repeat complaints per category, restored from a warehouse's aggregates */
  private restoredRepeats: Map<string, number> | undefined;
  /** only breaches at least this share of their target can still make the worst list */
  private breachFloor = -Infinity;
  private readonly touched: number[] = [];
  /** the status index of each metric of the ticket being applied */
  private readonly status: Int8Array;
  private readonly nm: number;
  private readonly maxBreaches: number;
  evaluated = 0;
  /** evaluated tickets whose status history has no row (with --events: taken as never reopened) */
  withoutHistory = 0;

  constructor(private readonly o: AggregatorOptions) {
    this.maxBreaches = o.maxBreaches ?? 100;
    this.nm = o.metrics.length;
    this.credits = o.credits ? new CreditsAcc(o.credits, o.metrics) : undefined;
    this.status = new Int8Array(this.nm);
    this.repeatRuns = (o.sortedKeys ?? (() => new MemoryKeys()))();
    this.ends = o.listRepeats ? new Map() : undefined;
    this.overall = this.acc();
    this.groups = new Map(o.groupBy.map((g) => [g, new Map()]));
    for (const ob of o.objectives) {
      // an objective over every ticket (no priority, policy, where or range) reads the overall accumulator
      const all = ob.kind === 'kpi' && !ob.priority && !ob.policy && !ob.where.length && ob.from === undefined && ob.to === undefined;
      this.objectives.push({ total: all ? this.overall : this.acc(), periods: ob.kind === 'kpi' && o.period && (ob.from !== undefined || ob.to !== undefined) ? new Map() : null, shared: all });
    }
    this.scorecards = o.scorecards.map(() => ({ total: new Map(), periods: new Map() }));
    this.split = o.split === undefined ? undefined : [0, 1].map(() => ({ overall: this.acc(), categories: new Map(), scorecards: o.scorecards.map(() => new Map()) }));
  }

  private acc(): KpiAcc {
    const a = new KpiAcc(this.accs.length, this.o.goodRating, this.o.metrics, this.o.customKpis, this.o.olaGroups);
    this.accs.push(a);
    return a;
  }

  /** The accumulator under a key of one of this aggregator's maps (made when first needed; also for aggregates restored from a warehouse). */
  accIn<K>(map: Map<K, KpiAcc>, key: K): KpiAcc {
    let a = map.get(key);
    if (!a) map.set(key, (a = this.acc()));
    return a;
  }

  /** The label of the period (of a kind) a local day falls in, cached. */
  private periodLabel(day: number, kind: Period): string {
    let labels = this.periodLabels.get(kind);
    if (!labels) this.periodLabels.set(kind, (labels = new Map()));
    let label = labels.get(day);
    if (label === undefined) {
      label = periodOf(day, kind);
      if (labels.size < 100_000) labels.set(day, label);
    }
    return label;
  }

  /** Adds one ticket: its statuses, facts and repeat key; a breach may join the worst list. */
  add(c: EvaluatedTicket): void {
    this.apply(c, 1);
    if (c.counted) {
      for (const r of c.results) {
        if ((r.status === 'breached' || r.status === 'overdue') && shareOf(r.elapsedMs, r.targetMs) >= this.breachFloor) {
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
    if (c.facts.noHistory) this.withoutHistory += delta;
    this.touched.length = 0;
    for (let m = 0; m < this.nm; m++) this.status[m] = S_INDEX[c.results[m].status];
    this.kpiSlots(c, delta);
    this.trend(c, delta);
    // a category's or channel's breaches are the customer's: OLA metrics (after the SLA ones) are left out
    let breached = false;
    for (let m = 0; m < this.overall.sla; m++) if (c.results[m].status === 'breached') breached = true;
    this.categoryAndHotspots(c, delta, breached);
    this.repeatKey(c, delta);
    if (c.level >= 0) this.escalation(c, delta);
    this.credits?.add(c, delta);
  }

  private escalation(c: EvaluatedTicket, delta: number): void {
    const L = this.o.levels;
    let arr = this.dayLevels.get(c.facts.day);
    if (!arr) this.dayLevels.set(c.facts.day, (arr = new Float64Array(2 * L)));
    arr[c.level] += delta;
    if (c.facts.open) arr[L + c.level] += delta;
  }

  private touch(a: KpiAcc, c: EvaluatedTicket, delta: number): void {
    a.add(c, delta, this.status);
    this.touched.push(a.id);
  }

  /** Every KPI accumulator the ticket belongs to (plain loops: no closure per ticket). */
  private kpiSlots(c: EvaluatedTicket, delta: number): void {
    const day = c.facts.day;
    this.touch(this.overall, c, delta);
    let g = 0;
    for (const groups of this.groups.values()) this.touch(this.accIn(groups, c.groupValues[g++]), c, delta);
    if (this.o.period) this.touch(this.accIn(this.periods, this.periodLabel(day, this.o.period)), c, delta);
    for (let i = 0; i < this.o.objectives.length; i++) {
      const slot = this.objectives[i];
      if (slot.shared || !c.objectiveHits[i]) continue;
      this.touch(slot.total, c, delta);
      if (slot.periods) this.touch(this.accIn(slot.periods, this.periodLabel(day, this.o.period!)), c, delta);
    }
    for (let i = 0; i < this.o.scorecards.length; i++) {
      const sc = this.o.scorecards[i];
      const key = c.scorecardKeys[i];
      this.touch(this.accIn(this.scorecards[i].total, key), c, delta);
      if (sc.period) {
        const label = this.periodLabel(day, sc.period);
        let m = this.scorecards[i].periods.get(label);
        if (!m) this.scorecards[i].periods.set(label, (m = new Map()));
        this.touch(this.accIn(m, key), c, delta);
      }
    }
    if (this.split) {
      const side = this.split[c.ticket.created < this.o.split! ? 0 : 1];
      this.touch(side.overall, c, delta);
      for (let i = 0; i < side.scorecards.length; i++) this.touch(this.accIn(side.scorecards[i], c.scorecardKeys[i]), c, delta);
    }
  }

  /** Statuses per metric per local day of creation (periods for the trend chart are made of days). */
  private trend(c: EvaluatedTicket, delta: number): void {
    const day = c.facts.day;
    let dayArr = day === this.lastDay ? this.lastDayArr : this.days.get(day);
    if (!dayArr) this.days.set(day, (dayArr = new Float64Array(this.nm * NS)));
    this.lastDay = day;
    this.lastDayArr = dayArr;
    for (let m = 0; m < this.nm; m++) dayArr[m * NS + this.status[m]] += delta;
  }

  private categoryAndHotspots(c: EvaluatedTicket, delta: number, breached: boolean): void {
    const { results, facts } = c;
    const cat = facts.category;
    let ca = this.categories.get(cat);
    if (!ca) this.categories.set(cat, (ca = { tickets: 0, breached: 0, resolution: new Histogram(), sat: new ExactSum(), satCount: 0 }));
    ca.tickets += delta;
    if (breached) ca.breached += delta;
    const res = results[I_RES];
    if (res.status === 'met' || res.status === 'breached') ca.resolution.add(res.elapsedMs, delta);
    if (Number.isFinite(facts.satisfaction)) {
      ca.sat.add(delta * facts.satisfaction);
      ca.satCount += delta;
    }
    let dc = this.dayCategories.get(facts.day);
    if (!dc) this.dayCategories.set(facts.day, (dc = new Map()));
    dc.set(cat, (dc.get(cat) ?? 0) + delta);
    if (this.split) {
      const side = this.split[c.ticket.created < this.o.split! ? 0 : 1];
      side.categories.set(cat, (side.categories.get(cat) ?? 0) + delta);
    }
    const channel = facts.channel || '(none)';
    let ch = this.channels.get(channel);
    if (!ch) this.channels.set(channel, (ch = [0, 0]));
    ch[0] += delta;
    if (breached) ch[1] += delta;
    this.hours[facts.weekday * 24 + facts.hour] += delta;
  }

  /** A (customer, category, minute) key per ticket, carrying the accumulators it went to. */
  private repeatKey(c: EvaluatedTicket, delta: number): void {
    const facts = c.facts;
    if (!facts.customer || this.repeatsUnavailable) return;
    this.anyCustomer = true;
    const cust = this.customers.id(facts.customer);
    const catId = this.categoryIds.id(facts.category);
    if (cust >= MAX_CUSTOMERS || catId >= MAX_CATEGORIES) {
      this.repeatsUnavailable = true;
      return;
    }
    const hi = cust * MAX_CATEGORIES + catId;
    const lo = (Math.floor(c.ticket.created / 60_000) + 2 ** 31) >>> 0;
    const payload = this.accSets.id(this.touched);
    if (this.ends) this.repeatEnds(hi, c.ticket.created, c.ticket.id, delta);
    if (delta > 0) this.repeatRuns.add(hi, lo, payload);
    else {
      const key = `${hi}:${lo}:${payload}`;
      this.removedRepeats.set(key, (this.removedRepeats.get(key) ?? 0) + 1);
    }
  }

  /** A customer's first and last ticket in a category: the earliest (the first read on ties) and the latest (the last read on ties). */
  private repeatEnds(hi: number, at: number, id: string, delta: number): void {
    const e = this.ends!.get(hi);
    if (!e) {
      // a ticket taken back out was added before, so there is an entry whenever delta < 0
      if (delta > 0) this.ends!.set(hi, { firstAt: at, firstId: id, firstN: 1, lastAt: at, lastId: id, lastN: 1, lastMixed: false });
      return;
    }
    if (at === e.firstAt && id === e.firstId) e.firstN += delta;
    else if (delta > 0 && at < e.firstAt) Object.assign(e, { firstAt: at, firstId: id, firstN: 1, firstOthers: undefined });
    else if (at === e.firstAt) addOther(e, id, delta);
    if (at === e.lastAt && id === e.lastId) e.lastN += delta;
    else if (delta > 0 && at >= e.lastAt) Object.assign(e, { lastMixed: at === e.lastAt, lastAt: at, lastId: id, lastN: 1 });
  }

  /**
   * One customer and category's line of -o repeats.csv: counts and the ends' minutes from the sorted
   * keys (exact: replaced rows are out), ids and instants from the ends kept as tickets were added.
   * An end whose ticket was replaced by a row with another time, customer or category is known only
   * by its minute: its id is then null.
   */
  private repeatCustomer(hi: number, tickets: number, repeats: number, firstMin: number, lastMin: number): RepeatCustomer {
    const e = this.ends!.get(hi)!;
    const minuteMs = (m: number) => (m - 2 ** 31) * 60_000;
    return {
      customer: this.customers.values[Math.floor(hi / MAX_CATEGORIES)], category: this.categoryIds.values[hi % MAX_CATEGORIES], tickets, repeats,
      firstId: e.firstN > 0 ? e.firstId : null, firstAt: e.firstN > 0 ? e.firstAt : minuteMs(firstMin),
      lastId: e.lastN > 0 ? e.lastId : null, lastAt: e.lastN > 0 ? e.lastAt : minuteMs(lastMin),
    };
  }

  /**
   * Keeps the worst twice as many breaches as are reported: the rows a later duplicate replaces are
   * taken out only at the end, and each one taken out of the list must leave the next worst in it
   * (exact as long as no more than maxBreaches of those kept are replaced).
   */
  private trimBreaches(): void {
    this.breachList.sort(worstFirst);
    const keep = this.maxBreaches * 2;
    if (this.breachList.length >= keep) {
      this.breachList.length = keep;
      const last = this.breachList[keep - 1];
      this.breachFloor = shareOf(last.elapsedMs, last.targetMs);
    }
  }

  /** The worst breaches first: by how far past target, then id. */
  worstBreaches(): Breach[] {
    this.trimBreaches();
    return this.breachList.slice(0, this.maxBreaches);
  }

  /**
   * Aggregates computed elsewhere (a warehouse's relations, engine/restore.ts): the worst breaches,
   * and the repeat complaints per category, each accumulator's repeats already set.
   */
  restored(breaches: Breach[], repeatsByCategory: Map<string, number>): void {
    this.breachList = breaches;
    this.restoredRepeats = repeatsByCategory;
  }

  /**
   * Repeat complaints: a ticket whose customer had a ticket in the same category at most
   * `windowMs` earlier, in time order whatever the file order (minute resolution). Each
   * accumulator learns its repeats; returns category -> repeats (consumes the keys).
   */
  repeatCounts(windowMs: number): Map<string, number> {
    if (this.restoredRepeats) return this.restoredRepeats;
    const out = new Map<string, number>();
    if (this.repeatsUnavailable || !this.anyCustomer) {
      for (const a of this.accs) a.repeats = null;
      this.repeatRuns.dispose();
      return out;
    }
    const window = Math.floor(windowMs / 60_000);
    let ph = -1, pl = 0;
    // -o repeats.csv: the current customer and category's tickets, repeats and first minute
    let run = { tickets: 0, repeats: 0, first: 0 };
    const endRun = () => {
      if (this.ends && run.repeats > 0) this.repeatCustomers.push(this.repeatCustomer(ph, run.tickets, run.repeats, run.first, pl));
    };
    const anyRemoved = this.removedRepeats.size > 0;
    this.repeatRuns.merge((hi, lo, payload) => {
      if (anyRemoved) {
        const key = `${hi}:${lo}:${payload}`;
        const removed = this.removedRepeats.get(key);
        if (removed) {
          this.removedRepeats.set(key, removed - 1);
          return;
        }
      }
      if (hi !== ph) {
        endRun();
        run = { tickets: 0, repeats: 0, first: lo };
      }
      run.tickets++;
      if (hi === ph && lo - pl <= window) {
        run.repeats++;
        const cat = this.categoryIds.values[hi % MAX_CATEGORIES];
        out.set(cat, (out.get(cat) ?? 0) + 1);
        for (const id of this.accSets.values[payload]) this.accs[id].repeats! += 1;
      }
      ph = hi;
      pl = lo;
    });
    endRun();
    return out;
  }

  dispose(): void {
    this.repeatRuns.dispose();
  }

  /**
   * After the part's last ticket (before repeatCounts): its aggregates as plain data. Ends this
   * aggregator: its arrays, histograms and sorted keys are handed over (dispose it after).
   */
  exportState(): AggregatorState {
    const ids = (m: Map<string, KpiAcc>): Ids => new Map([...m].map(([k, a]) => [k, a.id]));
    const categories: AggregatorState['categories'] = new Map();
    for (const [name, c] of this.categories) categories.set(name, { ...c, resolution: c.resolution.exportState(), sat: c.sat.exportState() });
    return {
      evaluated: this.evaluated, withoutHistory: this.withoutHistory,
      accs: this.accs.map((a) => a.exportState()),
      overall: this.overall.id,
      groups: [...this.groups.values()].map(ids),
      periods: ids(this.periods),
      objectives: this.objectives.map((o) => ({ total: o.total.id, periods: o.periods && ids(o.periods) })),
      scorecards: this.scorecards.map((sc) => ({ total: ids(sc.total), periods: new Map([...sc.periods].map(([label, m]) => [label, ids(m)])) })),
      split: this.split?.map((side) => ({ overall: side.overall.id, categories: side.categories, scorecards: side.scorecards.map(ids) })),
      days: this.days, dayCategories: this.dayCategories, dayLevels: this.dayLevels,
      credits: this.credits?.exportState(),
      categories, channels: this.channels, hours: this.hours,
      breaches: this.breachList, breachFloor: this.breachFloor,
      repeats: {
        keys: this.repeatRuns.handOver(), customers: this.customers.values, categories: this.categoryIds.values, accSets: this.accSets.values,
        removed: [...this.removedRepeats].map(([k, n]) => [...(k.split(':').map(Number) as [number, number, number]), n]),
        unavailable: this.repeatsUnavailable, anyCustomer: this.anyCustomer, ends: this.ends,
      },
    };
  }

  /**
   * Adds a later part's aggregates to this one (parts are absorbed in file order). `rowShift` is
   * added to every row number the state holds (the worst breaches'): a part counts its rows from 0.
   * Exact: every count and list is what one pass over both parts gives (histograms: see histogram.ts;
   * fractional sums: see KpiAcc.absorb), given that rows a later duplicate replaces are retracted
   * only after the parts are merged.
   */
  absorb(s: AggregatorState, rowShift: number): void {
    this.evaluated += s.evaluated;
    this.withoutHistory += s.withoutHistory;
    const idMap = this.absorbAccs(s);
    this.absorbTables(s);
    // every part's list is kept whole (each at most 4 × maxBreaches): rows replaced after merging
    // leave the next worst of any part in, and the list is cut once, when it is read
    for (const b of s.breaches) this.breachList.push(rowShift ? { ...b, row: b.row + rowShift } : b);
    this.breachFloor = Math.max(this.breachFloor, s.breachFloor);
    this.absorbRepeats(s.repeats, idMap);
  }

  /** Every accumulator of the part into the one at the same place here (made if new); returns the part's id -> this one's. */
  private absorbAccs(s: AggregatorState): Int32Array {
    const idMap = new Int32Array(s.accs.length).fill(-1);
    const take = (a: KpiAcc, id: number) => {
      a.absorb(s.accs[id]);
      idMap[id] = a.id;
    };
    const takeAll = (into: Map<string, KpiAcc>, from: Ids) => {
      for (const [key, id] of from) take(this.accIn(into, key), id);
    };
    take(this.overall, s.overall);
    [...this.groups.values()].forEach((m, g) => takeAll(m, s.groups[g]));
    takeAll(this.periods, s.periods);
    this.objectives.forEach((slot, i) => {
      const o = s.objectives[i];
      // an objective over every ticket reads the overall accumulator: taken already
      if (!slot.shared) take(slot.total, o.total);
      if (slot.periods && o.periods) takeAll(slot.periods, o.periods);
    });
    this.scorecards.forEach((slot, i) => {
      const o = s.scorecards[i];
      takeAll(slot.total, o.total);
      for (const [label, from] of o.periods) {
        let m = slot.periods.get(label);
        if (!m) slot.periods.set(label, (m = new Map()));
        takeAll(m, from);
      }
    });
    this.split?.forEach((side, i) => {
      const o = s.split![i];
      take(side.overall, o.overall);
      addCounts(side.categories, o.categories);
      side.scorecards.forEach((m, j) => takeAll(m, o.scorecards[j]));
    });
    return idMap;
  }

  /** Per-day counts, categories, channels, hours, credits. */
  private absorbTables(s: AggregatorState): void {
    const addArrays = (into: Map<number, Float64Array>, from: Map<number, Float64Array>) => {
      for (const [day, arr] of from) {
        const mine = into.get(day);
        if (!mine) into.set(day, arr);
        else for (let i = 0; i < arr.length; i++) mine[i] += arr[i];
      }
    };
    addArrays(this.days, s.days);
    addArrays(this.dayLevels, s.dayLevels);
    for (const [day, cats] of s.dayCategories) {
      const mine = this.dayCategories.get(day);
      if (!mine) this.dayCategories.set(day, cats);
      else addCounts(mine, cats);
    }
    if (s.credits) this.credits!.absorb(s.credits);
    for (const [name, c] of s.categories) {
      let ca = this.categories.get(name);
      if (!ca) this.categories.set(name, (ca = { tickets: 0, breached: 0, resolution: new Histogram(), sat: new ExactSum(), satCount: 0 }));
      ca.tickets += c.tickets;
      ca.breached += c.breached;
      ca.sat.absorb(c.sat);
      ca.satCount += c.satCount;
      ca.resolution.absorb(c.resolution);
    }
    for (const [channel, [n, b]] of s.channels) {
      const ch = this.channels.get(channel);
      if (!ch) this.channels.set(channel, [n, b]);
      else {
        ch[0] += n;
        ch[1] += b;
      }
    }
    for (let i = 0; i < this.hours.length; i++) this.hours[i] += s.hours[i];
  }

  /**
   * The part's repeat keys with its customers, categories and accumulator sets renumbered as here;
   * equal keys stay in reading order (this part's records before the later part's). A customer's
   * first ticket in a category is the earlier part's on equal instants, the last the later part's.
   */
  private absorbRepeats(r: RepeatState, idMap: Int32Array): void {
    this.anyCustomer ||= r.anyCustomer;
    if (r.unavailable) this.repeatsUnavailable = true;
    if (this.repeatsUnavailable) return this.repeatRuns.discard(r.keys);
    const cust = r.customers.map((c) => this.customers.id(c));
    const cat = r.categories.map((c) => this.categoryIds.id(c));
    if (this.customers.values.length > MAX_CUSTOMERS || this.categoryIds.values.length > MAX_CATEGORIES) {
      this.repeatsUnavailable = true;
      return this.repeatRuns.discard(r.keys);
    }
    const hiOf = (hi: number) => cust[Math.floor(hi / MAX_CATEGORIES)] * MAX_CATEGORIES + cat[hi % MAX_CATEGORIES];
    const pay = r.accSets.map((set) => this.accSets.id(set.map((id) => idMap[id])));
    // numbered as here (the first part into an aggregator that had no keys): its runs are taken as they are
    const same = (a: number[]) => a.every((x, i) => x === i);
    if (same(cust) && same(cat) && same(pay)) this.repeatRuns.adopt(r.keys);
    else this.repeatRuns.mergeHanded(r.keys, (hi, lo, p) => this.repeatRuns.add(hiOf(hi), lo, pay[p]));
    for (const [h, l, p, n] of r.removed) {
      const key = `${hiOf(h)}:${l}:${pay[p]}`;
      this.removedRepeats.set(key, (this.removedRepeats.get(key) ?? 0) + n);
    }
    if (this.ends && r.ends) for (const [h, b] of r.ends) this.absorbEnds(hiOf(h), b);
  }

  /**
   * A later part's first and last ticket of a customer and category, as one pass would have kept
   * them on reading that part after this one (parts hold no replaced rows: those come after merging).
   */
  private absorbEnds(key: number, b: RepeatEnds): void {
    const e = this.ends!.get(key);
    if (!e) {
      this.ends!.set(key, b);
      return;
    }
    // the first: the earliest instant; on equal instants this part's id, counted in both parts
    if (b.firstAt === e.firstAt) {
      e.firstN += b.firstId === e.firstId ? b.firstN : b.firstOthers?.get(e.firstId) ?? 0;
      if (b.firstId !== e.firstId) addOther(e, b.firstId, b.firstN);
      for (const [id, n] of b.firstOthers ?? []) if (id !== e.firstId) addOther(e, id, n);
    } else if (b.firstAt < e.firstAt) Object.assign(e, { firstAt: b.firstAt, firstId: b.firstId, firstN: b.firstN, firstOthers: b.firstOthers });
    // the last: the latest instant; on equal instants the later part's, its run going on from this
    // part's when that part had no other id at the instant
    if (b.lastAt === e.lastAt) {
      const goesOn = b.lastId === e.lastId && !b.lastMixed;
      Object.assign(e, { lastN: goesOn ? e.lastN + b.lastN : b.lastN, lastMixed: e.lastMixed || b.lastMixed || b.lastId !== e.lastId, lastId: b.lastId });
    } else if (b.lastAt > e.lastAt) Object.assign(e, { lastAt: b.lastAt, lastId: b.lastId, lastN: b.lastN, lastMixed: b.lastMixed });
  }
}

/** Adds counts by key (keys new here come after the ones already in, in the other map's order). */
function addCounts<K>(into: Map<K, number>, from: Map<K, number>): void {
  for (const [k, n] of from) into.set(k, (into.get(k) ?? 0) + n);
}

/**
 * The worst breaches first: by the share of the target used (a P1 four times over its 30 minutes
 * before a P4 a day over its week), then how far over, then id.
 */
function worstFirst(a: Breach, b: Breach): number {
  const share = shareOf(b.elapsedMs, b.targetMs) - shareOf(a.elapsedMs, a.targetMs);
  if (share !== 0 && !Number.isNaN(share)) return share;
  const over = b.elapsedMs - b.targetMs - (a.elapsedMs - a.targetMs);
  if (over !== 0) return over;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : a.metric < b.metric ? -1 : 1;
}

export { NS };

import type { Objective, Policy } from '../config/types.js';
import { METRICS, type Metric } from '../config/schema.js';
import type { Ticket } from '../input/tickets.js';
import { STATUSES, type MetricResult, type Status } from './evaluate.js';

const NS = STATUSES.length;
const NM = METRICS.length;
const S_INDEX = Object.fromEntries(STATUSES.map((s, i) => [s, i])) as Record<Status, number>;
const I_MET = S_INDEX.met, I_BREACHED = S_INDEX.breached, I_OVERDUE = S_INDEX.overdue;

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

export const NONE_KEY = '(none)';
export const NO_POLICY = '(no policy)';

/**
 * Counts per metric, per breakdown group and per objective, plus the worst breaches. Memory is the
 * aggregates plus a few integers per ticket id, kept so that a later row with the same id can
 * replace the earlier one exactly (its counts are taken back out).
 */
export class Aggregator {
  readonly metrics = new Float64Array(NM * NS);
  readonly groups: Map<string, Map<number, Float64Array>>;
  readonly objectiveCounts: Float64Array;
  private readonly groupKeys: Interner[];
  private readonly policies = new Interner();
  private readonly priorities = new Interner();
  private readonly ids = new Map<string, number>();
  /** per ordinal: counted, status per metric, policy id, priority id, group key ids, file id, row */
  private store: Int32Array;
  private readonly stride: number;
  private count = 0;
  private readonly files = new Interner();
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
    this.stride = 1 + NM + 2 + groupBy.length + 2;
    this.store = new Int32Array(this.stride * 1024);
  }

  /**
   * Adds one ticket's results. When the id was seen before, the earlier row's counts are removed
   * and its position returned, so the caller can report the duplicate.
   */
  add(t: Ticket, policy: Policy | undefined, results: MetricResult[], counted: boolean, groupValues: string[]): { file: string; row: number; ordinal: number } | undefined {
    const prev = this.ids.get(t.id);
    let replaced: { file: string; row: number; ordinal: number } | undefined;
    if (prev !== undefined) {
      const pb = prev * this.stride + this.stride - 2;
      replaced = { file: this.files.values[this.store[pb]], row: this.store[pb + 1], ordinal: prev };
      this.apply(prev, -1);
      this.breachList = this.breachList.filter((b) => b.ordinal !== prev);
    }
    const ord = this.count++;
    if (ord * this.stride >= this.store.length) {
      const bigger = new Int32Array(this.store.length * 2);
      bigger.set(this.store);
      this.store = bigger;
    }
    this.ids.set(t.id, ord);
    const base = ord * this.stride;
    const st = this.store;
    st[base + this.stride - 2] = this.files.id(t.file);
    st[base + this.stride - 1] = t.row;
    st[base] = counted ? 1 : 0;
    for (let m = 0; m < NM; m++) st[base + 1 + m] = S_INDEX[results[m].status];
    st[base + 1 + NM] = this.policies.id(policy?.name ?? NO_POLICY);
    st[base + 2 + NM] = this.priorities.id(t.priority || NONE_KEY);
    for (let g = 0; g < groupValues.length; g++) st[base + 3 + NM + g] = this.groupKeys[g].id(groupValues[g]);
    this.apply(ord, 1);
    if (counted) {
      for (const r of results) {
        if (r.status === 'breached' || r.status === 'overdue') {
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
    const base = ord * this.stride;
    if (!st[base]) return;
    this.evaluated += delta;
    const policy = this.policies.values[st[base + 1 + NM]];
    const priority = this.priorities.values[st[base + 2 + NM]];
    for (let m = 0; m < NM; m++) {
      const s = st[base + 1 + m];
      this.metrics[m * NS + s] += delta;
      let g = 0;
      for (const groups of this.groups.values()) {
        const key = st[base + 3 + NM + g++];
        let arr = groups.get(key);
        if (!arr) groups.set(key, (arr = new Float64Array(NM * NS)));
        arr[m * NS + s] += delta;
      }
      for (let o = 0; o < this.objectives.length; o++) {
        const ob = this.objectives[o];
        if (ob.metric !== 'overall' && ob.metric !== METRICS[m]) continue;
        if (ob.priority !== undefined && ob.priority !== priority) continue;
        if (ob.policy !== undefined && ob.policy !== policy) continue;
        this.objectiveCounts[o * NS + s] += delta;
      }
    }
  }

  /** The ordinal the next added ticket gets. */
  nextOrdinal(): number {
    return this.count;
  }

  private trimBreaches(): void {
    this.breachList.sort(worstFirst);
    this.breachList.length = Math.min(this.breachList.length, this.maxBreaches);
  }

  /** The worst breaches first: by how far past target, then id. */
  worstBreaches(): Breach[] {
    this.trimBreaches();
    return this.breachList.slice();
  }

  groupKey(field: number, id: number): string {
    return this.groupKeys[field].values[id];
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

export { I_MET, I_BREACHED, I_OVERDUE, NS, NM };

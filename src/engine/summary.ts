/** The aggregates turned into the audit's result: compliance, objectives, breakdowns, categories, trends, hotspots. */
import { METRICS, type Metric } from '../config/schema.js';
import type { Config, Objective } from '../config/types.js';
import { Aggregator, G_TICKETS, NM, NS, median, quantile, toCounts } from './aggregate.js';
import { autoPeriod, periodOf, type Period } from './periods.js';
import type { CategoryRow, Counts, GroupRow, Hotspots, ObjectiveResult, PeriodRow } from './result.js';

/** Counts per metric from a metric × status array. */
function metricCounts(arr: Float64Array): Record<Metric, Counts> {
  const m = {} as Record<Metric, Counts>;
  METRICS.forEach((name, i) => (m[name] = toCounts(arr, i * NS)));
  return m;
}

/** Statuses summed over all metrics. */
function overallOf(arr: Float64Array): Float64Array {
  const all = new Float64Array(NS);
  for (let i = 0; i < NM; i++) for (let s = 0; s < NS; s++) all[s] += arr[i * NS + s];
  return all;
}

export function metricsOf(agg: Aggregator): Record<Metric, Counts> {
  return metricCounts(agg.metrics);
}

export function objectiveResults(agg: Aggregator, objectives: Objective[]): ObjectiveResult[] {
  return objectives.map((o, i) => {
    const c = toCounts(agg.objectiveCounts, i * NS);
    const n = c.met + c.breached + c.overdue;
    const base = {
      metric: o.metric, ...(o.priority ? { priority: o.priority } : {}), ...(o.policy ? { policy: o.policy } : {}), ...(o.origin ? { origin: o.origin } : {}),
      min: o.min, actual: c.compliance, tickets: n,
    };
    if (n === 0 || n < o.minTickets) {
      return { ...base, passed: true, skipped: n === 0 ? 'no completed or overdue tickets' : `only ${n} tickets (min_tickets ${o.minTickets})` };
    }
    return { ...base, passed: c.compliance! >= o.min - 1e-12 };
  });
}

/** "Group 3" before "Group 29": runs of digits compare as numbers, the rest by code unit. */
function naturalCompare(a: string, b: string): number {
  const ra = a.match(/\d+|\D+/g) ?? [];
  const rb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(ra.length, rb.length); i++) {
    const x = ra[i], y = rb[i];
    if (x === y) continue;
    const nx = /^\d/.test(x), ny = /^\d/.test(y);
    if (nx && ny) return Number(x) - Number(y) || x.length - y.length;
    return x < y ? -1 : 1;
  }
  return ra.length - rb.length;
}

/** Breakdown rows per --group-by field: most tickets first, then by name in natural order. */
export function groupRows(agg: Aggregator): Record<string, GroupRow[]> {
  return Object.fromEntries(
    [...agg.groups].map(([field, map]) => {
      const rows: GroupRow[] = [];
      for (const [key, arr] of map) {
        if (arr[G_TICKETS] === 0) continue;
        rows.push({
          key, tickets: arr[G_TICKETS], tickets_breached: arr[G_TICKETS + 1], tickets_overdue: arr[G_TICKETS + 2],
          metrics: metricCounts(arr), overall: toCounts(overallOf(arr)),
        });
      }
      rows.sort((a, b) => b.tickets - a.tickets || naturalCompare(a.key, b.key));
      return [field, rows];
    }),
  );
}

/** Categories in Pareto order, with repeat complaints counted from the sorted repeat keys. */
export function categoryRows(agg: Aggregator, config: Config, warnings: string[]): CategoryRow[] {
  const repeats = agg.repeatCounts(config.categories.repeatWithinMs);
  const rows = [...agg.categories].filter(([, c]) => c.tickets > 0);
  rows.sort((a, b) => b[1].tickets - a[1].tickets || (a[0] < b[0] ? -1 : 1));
  const total = rows.reduce((a, [, c]) => a + c.tickets, 0);
  let cum = 0;
  const out = rows.map(([name, c]) => {
    cum += c.tickets;
    return {
      name,
      tickets: c.tickets,
      share: c.tickets / total,
      cumulative_share: cum / total,
      breached: c.breached,
      breach_rate: c.breached / c.tickets,
      median_resolution_minutes: median(c.resolution),
      p90_resolution_minutes: quantile(c.resolution, 0.9),
      satisfaction: c.satCount ? Math.round((c.satSum / c.satCount) * 100) / 100 : null,
      repeat: agg.repeatsUnavailable ? null : repeats.get(name) ?? 0,
    };
  });
  if (agg.repeatsUnavailable) warnings.push('repeat complaints were not counted: more than 8,388,608 customers or 512 categories');
  return out;
}

/** Days rolled up into the asked period (or one that fits the span, for the trend chart). */
export function periodRows(agg: Aggregator, asked: Period | undefined): { kind: Period; rows: PeriodRow[] } {
  const dayNums = [...agg.days.keys()].sort((a, b) => a - b);
  const kind = asked ?? autoPeriod(dayNums.length ? dayNums[dayNums.length - 1] - dayNums[0] + 1 : 1);
  const byPeriod = new Map<string, { arr: Float64Array; cats: Map<string, number> }>();
  for (const d of dayNums) {
    const key = periodOf(d, kind);
    let p = byPeriod.get(key);
    if (!p) byPeriod.set(key, (p = { arr: new Float64Array(NM * NS), cats: new Map() }));
    const arr = agg.days.get(d)!;
    for (let i = 0; i < arr.length; i++) p.arr[i] += arr[i];
    for (const [cat, n] of agg.dayCategories.get(d) ?? []) p.cats.set(cat, (p.cats.get(cat) ?? 0) + n);
  }
  const rows = [...byPeriod].filter(([, p]) => p.arr.some((v) => v !== 0)).map(([period, p]) => {
    // category names come from the tickets: an own property each, whatever the name (even "__proto__")
    const cats: Record<string, number> = Object.fromEntries([...p.cats].filter(([, n]) => n).sort((a, b) => b[1] - a[1]));
    return { period, metrics: metricCounts(p.arr), overall: toCounts(overallOf(p.arr)), categories: cats };
  });
  return { kind, rows };
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export function hotspotsOf(agg: Aggregator): Hotspots {
  return {
    channels: [...agg.channels].filter(([, c]) => c[0] > 0).map(([channel, c]) => ({ channel, tickets: c[0], breached: c[1], breach_rate: c[1] / c[0] }))
      .sort((a, b) => b.tickets - a.tickets || (a.channel < b.channel ? -1 : 1)),
    // hours are kept Sunday first; the report starts the week on Monday
    hours: WEEKDAYS.map((weekday, i) => ({ weekday, counts: Array.from(agg.hours.subarray(((i + 1) % 7) * 24, ((i + 1) % 7) * 24 + 24)) })),
  };
}

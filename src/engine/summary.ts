/** The aggregates turned into the audit's result: compliance, KPIs, objectives, breakdowns, categories, trends, scorecards, hotspots. */
import { describeCondition } from '../config/sections/conditions.js';
import { anyKpiDef, kpiDef } from '../config/kpis.js';
import type { Metric, MetricName, Period } from '../config/schema.js';
import type { Config, CustomKpi, KpiObjective, Objective, Scorecard } from '../config/types.js';
import { minutes } from '../time/units.js';
import { Aggregator, NS, toCounts } from './aggregate.js';
import type { KpiAcc } from './kpi.js';
import { autoPeriod, periodOf } from './periods.js';
import type { CategoryRow, Counts, EscalationResult, GroupRow, Hotspots, KpiValues, MetricCounts, ObjectiveResult, PeriodRow, ScorecardResult, SplitResult } from './result.js';
import { scoreCard } from './scorecard.js';

/** Counts per measured metric from a metric × status array. */
function metricCounts(arr: Float64Array, metrics: readonly MetricName[]): MetricCounts {
  const m = {} as MetricCounts;
  metrics.forEach((name, i) => (m[name] = toCounts(arr, i * NS)));
  return m;
}

/** Statuses summed over the SLA metrics (the first `sla`: OLAs are internal agreements, not in the overall). */
function overallOf(arr: Float64Array, sla: number): Float64Array {
  const all = new Float64Array(NS);
  for (let i = 0; i < sla * NS; i++) all[i % NS] += arr[i];
  return all;
}

export function metricsOf(acc: KpiAcc): MetricCounts {
  return metricCounts(acc.statuses, acc.metrics);
}

export function overallCounts(acc: KpiAcc): Counts {
  return toCounts(overallOf(acc.statuses, acc.sla));
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
      const rows: GroupRow[] = [...map].filter(([, a]) => a.tickets > 0).map(([key, a]) => ({
        key, kpis: a.values(), tickets: a.tickets, tickets_breached: a.ticketsBreached, tickets_overdue: a.ticketsOverdue,
        metrics: metricCounts(a.statuses, a.metrics), overall: toCounts(overallOf(a.statuses, a.sla)),
      }));
      rows.sort((a, b) => b.tickets - a.tickets || naturalCompare(a.key, b.key));
      return [field, rows];
    }),
  );
}

/** How an objective is written, for its result. */
function objectiveShape(o: Objective): Omit<ObjectiveResult, 'actual' | 'tickets' | 'passed'> {
  if (o.kind === 'scorecard') return { scorecard: o.scorecard, min_score: o.minScore, ...(o.origin ? { origin: o.origin } : {}) };
  const where = o.where.map(describeCondition).join(', ');
  return {
    ...(o.metric ? { metric: o.metric } : { kpi: o.kpi }),
    ...(o.priority ? { priority: o.priority } : {}),
    ...(o.policy ? { policy: o.policy } : {}),
    ...(where ? { where } : {}),
    ...(o.fromText || o.toText ? { effective: { ...(o.fromText ? { from: o.fromText } : {}), ...(o.toText ? { to: o.toText } : {}) } } : {}),
    ...(o.origin ? { origin: o.origin } : {}),
    ...(o.min !== undefined ? { min: o.min } : {}),
    ...(o.max !== undefined ? { max: o.max } : {}),
  };
}

/** A KPI objective judged on one accumulator: not judged without data or under min_tickets. */
function judge(o: KpiObjective, acc: KpiAcc): Pick<ObjectiveResult, 'actual' | 'tickets' | 'passed' | 'skipped'> {
  const actual = acc.values()[o.kpi];
  const { n } = acc.basis(o.kpi);
  const base = { actual, tickets: n };
  if (actual === null || n === 0) {
    return { ...base, passed: true, skipped: kpiDef(o.kpi)?.name.endsWith('.compliance') ? 'no completed or overdue tickets' : 'no data for this KPI' };
  }
  if (n < o.minTickets) return { ...base, passed: true, skipped: `only ${n} tickets (min_tickets ${o.minTickets})` };
  const eps = 1e-12;
  return { ...base, passed: (o.min === undefined || actual >= o.min - eps) && (o.max === undefined || actual <= o.max + eps) };
}

export function objectiveResults(agg: Aggregator, objectives: Objective[], scorecards: ScorecardResult[]): ObjectiveResult[] {
  return objectives.flatMap((o, i): ObjectiveResult[] => {
    const shape = objectiveShape(o);
    if (o.kind === 'scorecard') {
      const sc = scorecards.find((s) => s.name === o.scorecard)!;
      const scored = sc.cards.flatMap((c) => c.rows.filter((r) => r.composite !== null).map((r) => ({ r, period: c.period })));
      if (!scored.length) return [{ ...shape, actual: null, tickets: 0, passed: true, skipped: 'no group was scored' }];
      const lowest = scored.reduce((a, b) => (b.r.composite! < a.r.composite! ? b : a));
      return [{
        ...shape, actual: lowest.r.composite, group: lowest.period ? `${lowest.r.key} (${lowest.period})` : lowest.r.key,
        tickets: scored.length, passed: scored.every((x) => x.r.composite! >= o.minScore - 1e-9),
      }];
    }
    const slot = agg.objectives[i];
    // judged per period under --period; with no ticket in any period, once: not judged (never left out)
    if (!slot.periods?.size) return [{ ...shape, ...judge(o, slot.total) }];
    return [...slot.periods].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([period, acc]) => ({ ...shape, period, ...judge(o, acc) }));
  });
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
    const median = c.resolution.median();
    const p90 = c.resolution.quantile(0.9);
    return {
      name,
      tickets: c.tickets,
      share: c.tickets / total,
      cumulative_share: cum / total,
      breached: c.breached,
      breach_rate: c.breached / c.tickets,
      median_resolution_minutes: median === null ? null : minutes(median),
      p90_resolution_minutes: p90 === null ? null : minutes(p90),
      satisfaction: c.satCount ? Math.round((c.sat.value() / c.satCount) * 100) / 100 : null,
      repeat: agg.repeatsUnavailable ? null : repeats.get(name) ?? 0,
    };
  });
  if (agg.repeatsUnavailable) warnings.push('repeat complaints were not counted: more than 8,388,608 customers or 512 categories');
  return out;
}

/** Days rolled up into the asked period (or one that fits the span, for the trend chart); KPIs per asked period. */
export function periodRows(agg: Aggregator, asked: Period | undefined): { kind: Period; rows: PeriodRow[] } {
  const dayNums = [...agg.days.keys()].sort((a, b) => a - b);
  const kind = asked ?? autoPeriod(dayNums.length ? dayNums[dayNums.length - 1] - dayNums[0] + 1 : 1);
  const byPeriod = new Map<string, { arr: Float64Array; cats: Map<string, number> }>();
  for (const d of dayNums) {
    const key = periodOf(d, kind);
    let p = byPeriod.get(key);
    if (!p) byPeriod.set(key, (p = { arr: new Float64Array(agg.overall.metrics.length * NS), cats: new Map() }));
    const arr = agg.days.get(d)!;
    for (let i = 0; i < arr.length; i++) p.arr[i] += arr[i];
    for (const [cat, n] of agg.dayCategories.get(d) ?? []) p.cats.set(cat, (p.cats.get(cat) ?? 0) + n);
  }
  const rows = [...byPeriod].filter(([, p]) => p.arr.some((v) => v !== 0)).map(([period, p]) => {
    // category names come from the tickets: an own property each, whatever the name (even "__proto__")
    const cats: Record<string, number> = Object.fromEntries([...p.cats].filter(([, n]) => n).sort((a, b) => b[1] - a[1]));
    const kpis = asked ? agg.periods.get(period)?.values() : undefined;
    return { period, ...(kpis ? { kpis } : {}), metrics: metricCounts(p.arr, agg.overall.metrics), overall: toCounts(overallOf(p.arr, agg.overall.sla)), categories: cats };
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

/** Every scorecard: a card over all tickets, then one per period when the scorecard has a period. */
export function scorecardResults(agg: Aggregator, scorecards: Scorecard[]): ScorecardResult[] {
  return scorecards.map((sc, i) => {
    const slot = agg.scorecards[i];
    const periods = [...slot.periods].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    return {
      name: sc.name, by: sc.by, method: sc.method, period: sc.period ?? null, grades: sc.grades, below: sc.below,
      cards: [scoreCard(sc, slot.total, null), ...periods.map(([label, groups]) => scoreCard(sc, groups, label))],
    };
  });
}

/** Before and after --split: every KPI, every category's share, every scorecard group's composite. */
export function splitResult(agg: Aggregator, scorecards: Scorecard[], custom: CustomKpi[], at: string): SplitResult | undefined {
  if (!agg.split) return undefined;
  const [before, after] = agg.split;
  const rows: SplitResult['rows'] = [];
  const row = (what: string, b: number | null, a: number | null, higherIsBetter: boolean) => {
    const change = a === null || b === null ? null : a - b;
    rows.push({ what, before: b, after: a, change, worse: change !== null && Math.abs(change) > 1e-12 && (higherIsBetter ? change < 0 : change > 0) });
  };
  const vb: KpiValues = before.overall.values();
  const va: KpiValues = after.overall.values();
  for (const k of Object.keys(vb)) row(k, vb[k], va[k], anyKpiDef(k, custom)?.higherIsBetter ?? true);
  const share = (side: typeof before, cat: string) => (side.overall.tickets ? (side.categories.get(cat) ?? 0) / side.overall.tickets : null);
  const cats = [...new Set([...before.categories.keys(), ...after.categories.keys()])].sort();
  // a complaint category taking a larger share of the tickets is marked as worse
  for (const c of cats) row(`category ${c} share`, share(before, c), share(after, c), false);
  scorecards.forEach((sc, i) => {
    const b = scoreCard(sc, before.scorecards[i], null).rows;
    const a = scoreCard(sc, after.scorecards[i], null).rows;
    const keys = [...new Set([...b.map((r) => r.key), ...a.map((r) => r.key)])].sort(naturalCompare);
    for (const k of keys) row(`scorecard ${sc.name} ${k}`, b.find((r) => r.key === k)?.composite ?? null, a.find((r) => r.key === k)?.composite ?? null, true);
  });
  return { at, rows };
}

/** Tickets that reached each escalation level (cumulative from the top), overall and per period of the trend. */
export function escalationResult(agg: Aggregator, levels: string[], kind: Period): EscalationResult {
  const L = levels.length;
  const cumulative = (arr: Float64Array, offset: number) => {
    const out = new Array<number>(L).fill(0);
    for (let i = L - 1, run = 0; i >= 0; i--) out[i] = run += arr[offset + i];
    return out;
  };
  const total = new Float64Array(2 * L);
  const byPeriod = new Map<string, Float64Array>();
  for (const d of [...agg.dayLevels.keys()].sort((a, b) => a - b)) {
    const arr = agg.dayLevels.get(d)!;
    const key = periodOf(d, kind);
    let p = byPeriod.get(key);
    if (!p) byPeriod.set(key, (p = new Float64Array(L)));
    for (let i = 0; i < L; i++) p[i] += arr[i];
    for (let i = 0; i < 2 * L; i++) total[i] += arr[i];
  }
  const tickets = cumulative(total, 0);
  const open = cumulative(total, L);
  return {
    levels,
    reached: levels.map((level, i) => ({ level, tickets: tickets[i], open: open[i] })),
    periods: [...byPeriod].filter(([, p]) => p.some((v) => v !== 0)).map(([period, p]) => ({ period, reached: cumulative(p, 0) })),
  };
}

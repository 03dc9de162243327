/**
 * The audit's result from aggregates a warehouse computed: the relations of the compiled SQL
 * script (sla_acc, sla_acc_status, sla_acc_times, sla_days, …; README "Running where your data
 * is"), fetched from the database or read from CSV files, are put back into the engine's own
 * accumulators, and the engine's own summary (audit.ts summarise) turns them into the result. No
 * ticket is seen here: each relation holds exact sums, counts and the histogram of durations, so
 * every KPI, median and percentile is the one the streaming engine computes from the tickets.
 */
import type { Config } from '../config/types.js';
import type { MetricName } from '../config/schema.js';
import type { RowProblem } from '../model/ticket.js';
import { daysFromCivil } from '../time/civil.js';
import type { Aggregator } from './aggregate.js';
import type { CreditsState, PeriodSums } from './credits.js';
import { startAudit, type EngineOptions } from './audit.js';
import { ExactSum } from './exact-sum.js';
import { Histogram } from './histogram.js';
import { KpiAcc } from './kpi.js';
import { judgedMetrics } from './olas.js';
import { STATUSES, type AuditResult, type Breach, type Status } from './result.js';

/** A relation's rows: column name -> value as text (NULL: null), as a CSV export or a database gives them. */
type RelationRows = Record<string, string | null>[];
type Relations = Partial<Record<string, RelationRows>>;

/** The problems the warehouse left out, and where they are named (a table, a file). */
export interface RestoreInput {
  relations: Relations;
  /** what the report names as the input (the table, or the folder of exports) */
  inputs: string[];
  /** the row problems, as the report lists them */
  problems: RowProblem[];
  /** the objective scope's dimension (its place among the objectives the script was compiled with) -> its place among the run's; default: the same */
  objectiveIndex?: number[];
}

const NS = STATUSES.length;
const S_INDEX = Object.fromEntries(STATUSES.map((s, i) => [s, i])) as Record<Status, number>;

const num = (v: string | null | undefined): number => (v === null || v === undefined || v === '' ? NaN : Number(v));
const count = (v: string | null | undefined): number => {
  const n = num(v);
  return Number.isNaN(n) ? 0 : n;
};

/** A local day 'YYYY-MM-DD' as the engine's day number. */
function dayNumber(text: string | null): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text ?? '');
  if (!m) throw new Error(`not a day: ${text}`);
  return daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** The accumulators of one audit, found by a relation row's scope, dimension, key and period label. */
class Accs {
  constructor(
    private readonly agg: Aggregator,
    private readonly config: Config,
    private readonly metrics: readonly MetricName[],
    private readonly objectiveIndex: number[] | undefined,
  ) {}

  private inMap<K>(map: Map<K, KpiAcc>, key: K): KpiAcc {
    return this.agg.accIn(map, key);
  }

  /** The accumulator a row is about; undefined for one this run does not have (a group field not asked for). */
  of(r: Record<string, string | null>): KpiAcc | undefined {
    const agg = this.agg;
    const dim = r.dimension ?? '';
    const key = r.key ?? '';
    const label = r.period_label ?? '';
    switch (r.scope) {
      case 'overall':
        return agg.overall;
      case 'group': {
        const m = agg.groups.get(dim);
        return m && this.inMap(m, key);
      }
      case 'period':
        return this.inMap(agg.periods, key || label);
      case 'objective': {
        const slot = agg.objectives[this.objectiveIndex ? this.objectiveIndex[Number(dim)] ?? -1 : Number(dim)];
        if (!slot) return undefined;
        if (label && slot.periods) return this.inMap(slot.periods, label);
        return slot.shared ? undefined : slot.total;
      }
      case 'scorecard': {
        const i = this.config.scorecards.findIndex((s) => s.name === dim);
        if (i < 0) return undefined;
        const slot = agg.scorecards[i];
        if (!label) return this.inMap(slot.total, key);
        let m = slot.periods.get(label);
        if (!m) slot.periods.set(label, (m = new Map()));
        return this.inMap(m, key);
      }
      default:
        return undefined;
    }
  }

  metricIndex(name: string | null): number {
    return this.metrics.indexOf(name as MetricName);
  }
}

/** sla_acc, sla_acc_status and sla_acc_times into the KPI accumulators. */
function restoreAccs(accs: Accs, rel: Relations): void {
  for (const r of rel.sla_acc ?? []) {
    const a = accs.of(r);
    if (!a) continue;
    a.tickets = count(r.tickets);
    a.backlog = count(r.backlog);
    a.ticketsBreached = count(r.tickets_breached);
    a.ticketsOverdue = count(r.tickets_overdue);
    a.satN = count(r.sat_n);
    // the ratings' exact sum from their distinct values where the script gives them (sla_acc_sat)
    if (!rel.sla_acc_sat) a.sat.add(count(r.sat_sum));
    a.satGood = count(r.sat_good);
    a.npsN = count(r.nps_n);
    a.promoters = count(r.promoters);
    a.detractors = count(r.detractors);
    a.fcrBase = count(r.fcr_base);
    a.fcrYes = count(r.fcr_yes);
    a.reopenBase = count(r.reopen_base);
    a.reopened = count(r.reopened);
    a.repeats = r.repeats === null || r.repeats === '' || r.repeats === undefined ? null : count(r.repeats);
  }
  for (const r of rel.sla_acc_status ?? []) {
    const a = accs.of(r);
    const m = accs.metricIndex(r.metric);
    const s = S_INDEX[r.status as Status];
    if (!a || m < 0 || s === undefined) continue;
    a.statuses[m * NS + s] = count(r.n);
  }
  for (const r of rel.sla_acc_sat ?? []) {
    const a = accs.of(r);
    const value = num(r.value);
    if (a && !Number.isNaN(value)) addTimes(a.sat, value, count(r.n));
  }
  for (const r of rel.sla_acc_times ?? []) {
    const a = accs.of(r);
    const m = accs.metricIndex(r.metric);
    if (!a || m < 0 || m >= a.sla) continue;
    a.times[m].add(num(r.elapsed_ms), count(r.n));
  }
}

/** `value` added `n` times, exactly: n in binary, each bit's share value × 2^k (a power of two scales a double exactly). */
function addTimes(sum: ExactSum, value: number, n: number): void {
  let scale = 1;
  for (let rest = n; rest > 0; rest = Math.floor(rest / 2), scale *= 2) if (rest % 2 === 1) sum.add(value * scale);
}

/**
 * sla_acc_custom (each custom KPI's distinct values and their counts, per scope) into the
 * accumulators, summed exactly as the streaming engine sums the cells one by one.
 */
function restoreCustom(accs: Accs, rel: Relations, config: Config): void {
  for (const r of rel.sla_acc_custom ?? []) {
    const a = accs.of(r);
    const i = config.customKpis.findIndex((k) => k.name === r.kpi);
    const value = num(r.value);
    if (!a || i < 0 || Number.isNaN(value)) continue;
    const n = count(r.n);
    a.customN[i] += n;
    addTimes(a.customSum[i], value, n);
  }
}

/** The trend, categories, hotspots and escalation counts. */
function restoreFacts(agg: Aggregator, rel: Relations, metricIndex: (m: string | null) => number, levels: number): void {
  const nm = agg.overall.metrics.length;
  for (const r of rel.sla_days ?? []) {
    const d = dayNumber(r.day);
    const m = metricIndex(r.metric);
    const s = S_INDEX[r.status as Status];
    if (m < 0 || s === undefined) continue;
    let arr = agg.days.get(d);
    if (!arr) agg.days.set(d, (arr = new Float64Array(nm * NS)));
    arr[m * NS + s] += count(r.n);
  }
  for (const r of rel.sla_day_categories ?? []) {
    const d = dayNumber(r.day);
    let dc = agg.dayCategories.get(d);
    if (!dc) agg.dayCategories.set(d, (dc = new Map()));
    dc.set(r.category ?? '', (dc.get(r.category ?? '') ?? 0) + count(r.tickets));
  }
  for (const r of rel.sla_categories ?? []) {
    agg.categories.set(r.category ?? '', { tickets: count(r.tickets), breached: count(r.breached), resolution: new Histogram(), sat: rel.sla_category_sat ? new ExactSum() : ExactSum.of(count(r.sat_sum)), satCount: count(r.sat_n) });
  }
  for (const r of rel.sla_category_sat ?? []) {
    const value = num(r.value);
    const c = agg.categories.get(r.category ?? '');
    if (c && !Number.isNaN(value)) addTimes(c.sat, value, count(r.n));
  }
  for (const r of rel.sla_category_times ?? []) agg.categories.get(r.category ?? '')?.resolution.add(num(r.elapsed_ms), count(r.n));
  for (const r of rel.sla_channels ?? []) agg.channels.set(r.channel || '(none)', [count(r.tickets), count(r.breached)]);
  // the relation's weekday 0 is Monday; the engine keeps Sunday first
  for (const r of rel.sla_hours ?? []) agg.hours[((count(r.weekday) + 1) % 7) * 24 + count(r.hour)] += count(r.tickets);
  for (const r of rel.sla_escalation ?? []) {
    const d = dayNumber(r.day);
    const level = count(r.level);
    if (level < 0 || level >= levels) continue;
    let arr = agg.dayLevels.get(d);
    if (!arr) agg.dayLevels.set(d, (arr = new Float64Array(2 * levels)));
    arr[level] += count(r.tickets);
    arr[levels + level] += count(r.open);
  }
}

/** sla_credits (per contract period and priority) as the engine's per-period sums. */
function restoreCredits(agg: Aggregator, rel: Relations): void {
  if (!agg.credits || !rel.sla_credits) return;
  const periods = new Map<string, PeriodSums>();
  for (const r of rel.sla_credits) {
    const label = r.period ?? '';
    let p = periods.get(label);
    if (!p) periods.set(label, (p = { day: dayNumber(r.first_day), met: 0, judged: 0, breaches: 0, hoursOver: 0, charges: new ExactSum() }));
    p.day = Math.min(p.day, dayNumber(r.first_day));
    p.met += count(r.met);
    p.judged += count(r.judged);
    p.breaches += count(r.breaches);
    p.hoursOver += count(r.hours_over);
    // Σ per_breach + per_hour_over · hours over the priority's breaches
    p.charges.add(count(r.per_breach) * count(r.breaches) + count(r.per_hour_over) * count(r.hours_over));
  }
  const state: CreditsState = new Map([...periods].map(([label, p]) => [label, { ...p, charges: p.charges.exportState() }]));
  agg.credits.absorb(state);
}

/** sla_worst_breaches as the engine's breach list (the input named as the table or folder). */
function breachesOf(rel: Relations, file: string): Breach[] {
  return (rel.sla_worst_breaches ?? []).map((r) => ({
    id: r.id ?? '', metric: r.metric as MetricName, status: r.status as Breach['status'], policy: r.policy ?? '', priority: r.priority ?? '',
    targetMs: num(r.target_ms), elapsedMs: num(r.elapsed_ms), due: r.due_ms === null || r.due_ms === '' ? Infinity : num(r.due_ms), completed: num(r.completed_ms),
    file, row: count(r.row_no),
  }));
}

/** The audit's result from a warehouse's aggregate relations, summed up by the engine's own summary. */
export function restoreAudit(input: RestoreInput, o: EngineOptions): AuditResult {
  const { config } = o;
  const rel = input.relations;
  const run = startAudit(o);
  const agg = run.agg;
  try {
    const accs = new Accs(agg, config, judgedMetrics(config), input.objectiveIndex);
    restoreAccs(accs, rel);
    restoreCustom(accs, rel, config);
    restoreFacts(agg, rel, (m) => accs.metricIndex(m), config.levels.length);
    restoreCredits(agg, rel);
    const t = rel.sla_totals?.[0] ?? {};
    agg.evaluated = count(t.evaluated);
    if (t.without_history !== null && t.without_history !== undefined) agg.withoutHistory = count(t.without_history);
    const repeats = new Map<string, number>();
    for (const r of rel.sla_categories ?? []) if (r.repeats !== null && r.repeats !== undefined && r.repeats !== '') repeats.set(r.category ?? '', count(r.repeats));
    agg.restored(breachesOf(rel, input.inputs[0] ?? ''), repeats);
    run.tickets = count(t.tickets);
    // with a status history: its rows, and those left out with problems
    const history = t.event_rows !== null && t.event_rows !== undefined && t.event_rows !== '';
    run.problems.absorb({ kept: input.problems, dropped: 0, rows: count(t.problems), events: count(t.event_problems), messages: 0, cells: count(t.kpi_cell_problems) });
    return run.finish({ kind: 'end', inputs: input.inputs, rows: count(t.rows), warnings: [], ...(history ? { eventRows: count(t.event_rows) } : {}) });
  } finally {
    agg.dispose();
  }
}

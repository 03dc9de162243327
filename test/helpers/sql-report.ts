/**
 * The report's aggregates as the compiled script leaves them (sla_days, sla_categories, …), put
 * back into the shapes of check's result (AuditResult's periods, categories, hotspots, breaches,
 * escalation, credits, totals) with the engine's own roll-up rules (periods, cumulative levels,
 * cents, exact medians), so that a test compares them with the streaming engine's result field by field.
 */
import { expect } from 'vitest';
import type { AuditResult } from '../../src/index.js';
import { periodOf } from '../../src/engine/periods.js';
import { Histogram } from '../../src/engine/histogram.js';
import { cents } from '../../src/engine/credits.js';
import { minutes } from '../../src/time/units.js';
import { parseDay } from '../../src/time/civil.js';
import type { SqlRunner } from './sql-parity.js';

const STATUSES = ['met', 'breached', 'overdue', 'running', 'at_risk', 'not_applicable', 'not_measured'] as const;
const n = (v: unknown) => Number(v);
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Whether the script defines a relation (the category ones are left out where the dialect cannot fold text). */
export async function hasRelation(db: SqlRunner, name: string): Promise<boolean> {
  const rows = await db.run(`SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name = '${name}'`);
  return n(rows[0].n) > 0;
}

/** The trend: per period of the engine's kind, counts per metric and status, and tickets per category. */
export async function sqlPeriods(db: SqlRunner, kind: AuditResult['periodKind'], withCategories: boolean) {
  const days = await db.run('SELECT * FROM sla_days');
  const out = new Map<string, { metrics: Record<string, Record<string, number>>; categories: Record<string, number> }>();
  const at = (day: string) => {
    const key = periodOf(parseDay(day)!, kind);
    let p = out.get(key);
    if (!p) out.set(key, (p = { metrics: {}, categories: {} }));
    return p;
  };
  for (const r of days) {
    const m = (at(String(r.day)).metrics[String(r.metric)] ??= Object.fromEntries(STATUSES.map((s) => [s, 0])));
    m[String(r.status)] += n(r.n);
  }
  if (withCategories) {
    for (const r of await db.run('SELECT * FROM sla_day_categories')) {
      const c = at(String(r.day)).categories;
      c[String(r.category)] = (c[String(r.category)] ?? 0) + n(r.tickets);
    }
  }
  return out;
}

/** Categories in the engine's Pareto order with its fields. */
export async function sqlCategories(db: SqlRunner) {
  const rows = await db.run('SELECT * FROM sla_categories');
  const times = await db.run('SELECT * FROM sla_category_times');
  const total = rows.reduce((a, r) => a + n(r.tickets), 0);
  rows.sort((a, b) => n(b.tickets) - n(a.tickets) || byText(String(a.category), String(b.category)));
  let cum = 0;
  return rows.map((r) => {
    const h = new Histogram();
    for (const t of times.filter((x) => x.category === r.category)) h.add(n(t.elapsed_ms), n(t.n));
    cum += n(r.tickets);
    const median = h.median();
    const p90 = h.quantile(0.9);
    return {
      name: String(r.category), tickets: n(r.tickets), share: n(r.tickets) / total, cumulative_share: cum / total,
      breached: n(r.breached), breach_rate: n(r.breached) / n(r.tickets),
      median_resolution_minutes: median === null ? null : minutes(median), p90_resolution_minutes: p90 === null ? null : minutes(p90),
      satisfaction: n(r.sat_n) ? Math.round((n(r.sat_sum) / n(r.sat_n)) * 100) / 100 : null,
      repeat: r.repeats === null ? null : n(r.repeats),
    };
  });
}

/** Channels (most tickets first) and hours (Monday first), as the engine's hotspots. */
export async function sqlHotspots(db: SqlRunner): Promise<AuditResult['hotspots']> {
  const channels = (await db.run('SELECT * FROM sla_channels')).map((r) => ({ channel: String(r.channel), tickets: n(r.tickets), breached: n(r.breached), breach_rate: n(r.breached) / n(r.tickets) }))
    .sort((a, b) => b.tickets - a.tickets || byText(a.channel, b.channel));
  const names = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  const hours = names.map((weekday) => ({ weekday, counts: new Array<number>(24).fill(0) }));
  for (const r of await db.run('SELECT * FROM sla_hours')) {
    expect(r.weekday_name).toBe(names[n(r.weekday)]);
    hours[n(r.weekday)].counts[n(r.hour)] += n(r.tickets);
  }
  return { channels, hours };
}

/** The worst breaches in rank order, as the engine's Breach (without its file). */
export async function sqlBreaches(db: SqlRunner) {
  const nul = (v: unknown) => (v === null || v === undefined ? NaN : n(v));
  return (await db.run('SELECT * FROM sla_worst_breaches ORDER BY rank')).map((r, i) => {
    expect(n(r.rank)).toBe(i + 1);
    return {
      id: String(r.id), metric: String(r.metric), status: String(r.status), policy: String(r.policy), priority: String(r.priority),
      targetMs: n(r.target_ms), elapsedMs: n(r.elapsed_ms), due: nul(r.due_ms), completed: nul(r.completed_ms), row: n(r.row_no),
    };
  });
}

/** Escalation: tickets that reached each level (cumulative from the top) overall, open ones, and per period. */
export async function sqlEscalation(db: SqlRunner, levels: string[], kind: AuditResult['periodKind']): Promise<AuditResult['escalation']> {
  const L = levels.length;
  const rows = await db.run('SELECT * FROM sla_escalation ORDER BY day');
  const total = new Array<number>(2 * L).fill(0);
  const byPeriod = new Map<string, number[]>();
  for (const r of rows) {
    const lv = n(r.level);
    total[lv] += n(r.tickets);
    total[L + lv] += n(r.open);
    const key = periodOf(parseDay(String(r.day))!, kind);
    if (!byPeriod.has(key)) byPeriod.set(key, new Array<number>(L).fill(0));
    byPeriod.get(key)![lv] += n(r.tickets);
  }
  const cumulative = (arr: number[], offset: number) => {
    const out = new Array<number>(L).fill(0);
    for (let i = L - 1, run = 0; i >= 0; i--) out[i] = run += arr[offset + i];
    return out;
  };
  const tickets = cumulative(total, 0);
  const open = cumulative(total, L);
  return {
    levels,
    reached: levels.map((level, i) => ({ level, tickets: tickets[i], open: open[i] })),
    periods: [...byPeriod].sort((a, b) => byText(a[0], b[0])).filter(([, p]) => p.some((v) => v !== 0)).map(([period, p]) => ({ period, reached: cumulative(p, 0) })),
  };
}

/** Per credit period: judged clocks, breaches, hours over and the breaches' amount (cents). */
export async function sqlCredits(db: SqlRunner) {
  const per = new Map<string, { tickets_judged: number; breaches: number; hours_over: number; charges: number; met: number }>();
  for (const r of await db.run('SELECT * FROM sla_credits')) {
    const p = per.get(String(r.period)) ?? { tickets_judged: 0, breaches: 0, hours_over: 0, charges: 0, met: 0 };
    p.tickets_judged += n(r.judged);
    p.met += n(r.met);
    p.breaches += n(r.breaches);
    p.hours_over += n(r.hours_over);
    p.charges += n(r.breaches) * n(r.per_breach) + n(r.hours_over) * n(r.per_hour_over);
    expect(Math.abs(n(r.charges) - (n(r.breaches) * n(r.per_breach) + n(r.hours_over) * n(r.per_hour_over)))).toBeLessThan(1e-6);
    per.set(String(r.period), p);
  }
  return [...per].sort((a, b) => byText(a[0], b[0])).map(([period, p]) => ({
    period, tickets_judged: p.tickets_judged, compliance: p.tickets_judged ? p.met / p.tickets_judged : null, breaches: p.breaches, hours_over: p.hours_over, breach_amount: cents(p.charges),
  }));
}

/** The totals check reports (with a history: without_history). */
export async function sqlTotals(db: SqlRunner, history: boolean) {
  const [t] = await db.run('SELECT * FROM sla_totals');
  return {
    rows: n(t.rows), tickets: n(t.tickets), evaluated: n(t.evaluated), problems: n(t.problems), outside_range: n(t.outside_range),
    ...(history ? { without_history: n(t.without_history) } : {}),
  };
}

/**
 * The KPI relations of the compiled SQL (sla_acc, sla_acc_status, sla_acc_times, sla_kpis,
 * sla_objectives) beside the streaming engine's result for the same rows, --group-by and --period;
 * and an independent slow computation of the status counts and completed-time histograms from
 * the engine's per-ticket rows (what -o tickets.csv writes), sorting plain arrays.
 */
import type { Period } from '../../src/config/schema.js';
import { audit, loadConfig, parseInstant, type Config } from '../../src/index.js';
import { compileSql, type CompileInput } from '../../src/sql/index.js';
import { spineRangeFor } from '../../src/sql/range.js';
import { loadTable, type SqlRunner } from './sql-parity.js';

export interface KpiRunOptions {
  tickets?: string;
  events?: string;
  config?: string;
  groupBy?: string[];
  period?: Period;
}

/** One ticket as the engine evaluated it: statuses and business ms per metric, group values, creation. */
interface TicketRow {
  created: number;
  groups: string[];
  metrics: { metric: string; status: string; elapsedMs: number }[];
}

type Row = Record<string, unknown>;

export async function kpiRun(db: SqlRunner, dir: string, asOfText: string, o: KpiRunOptions = {}) {
  const config: Config = loadConfig(`${dir}/${o.config ?? 'sla.yaml'}`);
  const asOf = parseInstant('--as-of', asOfText, config.zone);
  const tickets = `${dir}/${o.tickets ?? 'tickets.csv'}`;
  const events = o.events ? `${dir}/${o.events}` : undefined;
  const rows: (TicketRow & { at: string })[] = [];
  const replaced = new Set<string>();
  let first = Infinity;
  const result = await audit({
    config, inputs: [tickets], asOf, events: events ? [events] : [], groupBy: o.groupBy, period: o.period,
    // a ticket a later row with the same id replaced is in no accumulator
    observers: [{ replaced: (ev) => replaced.add(`${ev.ticket.file}:${ev.ticket.row}`) }],
    onTicket: (ev) => {
      first = Math.min(first, ev.ticket.created);
      rows.push({ at: `${ev.ticket.file}:${ev.ticket.row}`, created: ev.ticket.created, groups: ev.groupValues, metrics: ev.results.map((r) => ({ metric: r.metric, status: r.status, elapsedMs: r.elapsedMs })) });
    },
  });
  const header = await loadTable(db, 'tickets', tickets);
  const find = (headers: string[], wanted: string[]) => wanted.map((w) => headers.find((h) => h.toLowerCase() === w.trim().toLowerCase())).find((h) => h !== undefined);
  const columns = { column: (key: string) => find(header, config.tickets.columns[key as keyof typeof config.tickets.columns] ?? [key]) };
  let history: CompileInput['history'];
  if (events) {
    const eh = await loadTable(db, 'history', events);
    const ec = config.events.columns;
    history = { table: 'history', id: find(eh, ec.ticket_id)!, time: find(eh, ec.timestamp)!, status: find(eh, ec.status)!, order: '_row' };
  }
  const compiled = compileSql({
    config, dialect: db.name, table: 'tickets', columns, rowColumn: '_row', history, asOf, range: spineRangeFor(config, Number.isFinite(first) ? first : asOf, asOf),
    objectives: config.objectives.filter((x) => x.kind === 'kpi' && !x.kpi.includes('ola') && !config.customKpis.some((k) => k.name === x.kpi)), groupBy: o.groupBy, period: o.period,
  });
  await db.run(compiled.statements.join('\n'));
  const read = (t: string) => db.run(`SELECT * FROM ${t}`);
  return {
    config, result, rows: rows.filter((t) => !replaced.has(t.at)), groupBy: o.groupBy ?? ['priority', 'policy'],
    acc: await read('sla_acc'), status: await read('sla_acc_status'), times: await read('sla_acc_times'), kpis: await read('sla_kpis'),
    objectives: await db.run('SELECT * FROM sla_objectives ORDER BY objective, period'),
  };
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** sla_kpis of one scope as a KpiValues-like record. */
export function kpisOf(kpis: Row[], scope: string, dimension: string, key: string, label = ''): Record<string, number | null> {
  const rows = kpis.filter((r) => r.scope === scope && r.dimension === dimension && r.key === key && r.period_label === label);
  return Object.fromEntries(rows.map((r) => [String(r.kpi), num(r.value)]));
}

/** The engine's values of the KPIs the SQL computes. */
export function engineKpis(values: Record<string, number | null>, names: string[]): Record<string, number | null> {
  return Object.fromEntries(names.map((n) => [n, values[n] ?? null]));
}

/** Status counts and completed-time histograms of a set of tickets, by sorting arrays: "metric status" -> n, "metric" -> [ms, n][]. */
export function slowCounts(tickets: TicketRow[]) {
  const status = new Map<string, number>();
  const times = new Map<string, number[]>();
  for (const t of tickets) {
    for (const m of t.metrics) {
      if (m.metric !== 'first_response' && m.metric !== 'resolution') continue;
      status.set(`${m.metric} ${m.status}`, (status.get(`${m.metric} ${m.status}`) ?? 0) + 1);
      if (m.status === 'met' || m.status === 'breached') times.set(m.metric, [...(times.get(m.metric) ?? []), m.elapsedMs]);
    }
  }
  const hist = new Map<string, [number, number][]>();
  for (const [m, v] of times) {
    v.sort((a, b) => a - b);
    const out: [number, number][] = [];
    for (const x of v) {
      if (out.length && out[out.length - 1][0] === x) out[out.length - 1][1]++;
      else out.push([x, 1]);
    }
    hist.set(m, out);
  }
  return { status, hist, sorted: times };
}

/** sla_acc_status and sla_acc_times of one scope in slowCounts' shape. */
export function sqlCounts(status: Row[], times: Row[], scope: string, dimension: string, key: string, label = '') {
  const mine = (r: Row) => r.scope === scope && r.dimension === dimension && r.key === key && r.period_label === label;
  const s = new Map(status.filter(mine).map((r) => [`${r.metric} ${r.status}`, Number(r.n)]));
  const hist = new Map<string, [number, number][]>();
  for (const r of times.filter(mine).sort((a, b) => Number(a.elapsed_ms) - Number(b.elapsed_ms))) {
    const m = String(r.metric);
    hist.set(m, [...(hist.get(m) ?? []), [Number(r.elapsed_ms), Number(r.n)]]);
  }
  return { status: s, hist };
}

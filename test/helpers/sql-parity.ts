/**
 * Parity between the streaming engine and the compiled SQL on real engines: the per-ticket rows
 * the engine hands its observers, and the rows sla_ticket_metrics gives on DuckDB and PostgreSQL
 * (PGlite, in-process), from the same CSV files loaded as text tables.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { audit, csvLines, loadConfig, parseInstant, type Config } from '../../src/index.js';
import { compileSql, type CompileInput, type DialectName } from '../../src/sql/index.js';
import { spineRangeFor } from '../../src/sql/range.js';

export interface MetricRow {
  ticket_id: string; policy: string; priority: string; metric: string; status: string;
  target_ms: number | null; elapsed_ms: number | null; due_ms: number | null; completed_ms: number | null;
}

const num = (v: number) => (Number.isFinite(v) ? v : null);

/** The engine's rows, in reading order, and the range of instants they span. */
export async function engineRows(config: Config, inputs: string[], asOf: number, events: string[] = [], maxBreaches?: number) {
  const byTicket: MetricRow[][] = [];
  const replaced = new Set<string>();
  let first = Infinity;
  let last = asOf;
  const result = await audit({
    config, inputs, asOf, events, maxBreaches,
    observers: [{ replaced: (ev) => replaced.add(`${ev.ticket.file}:${ev.ticket.row}`) }],
    onTicket: (ev) => {
      first = Math.min(first, ev.ticket.created);
      const rows: MetricRow[] = [];
      byTicket.push(rows);
      (rows as unknown as { key: string }).key = `${ev.ticket.file}:${ev.ticket.row}`;
      (rows as unknown as { csv: string[] }).csv = csvLines(ev, config.zone).trimEnd().split('\n');
      for (const r of ev.results) {
        const na = r.status === 'not_applicable' || r.status === 'not_measured';
        rows.push({
          ticket_id: ev.ticket.id, policy: ev.policy?.name ?? '', priority: ev.ticket.priority, metric: r.metric, status: r.status,
          target_ms: na ? null : num(r.targetMs), elapsed_ms: na ? null : num(r.elapsedMs), due_ms: na ? null : num(r.due), completed_ms: num(r.completed),
        });
        for (const t of [r.completed, r.due]) if (Number.isFinite(t)) last = Math.max(last, t);
      }
    },
  });
  // a ticket a later row with the same id replaced is not in the per-ticket rows
  const kept = byTicket.filter((rs) => !replaced.has((rs as unknown as { key: string }).key));
  const rows = kept.flat();
  const csv = kept.flatMap((rs) => (rs as unknown as { csv: string[] }).csv);
  return { rows, csv, result, first: Number.isFinite(first) ? first : asOf, last };
}

/** A CSV file as a header and rows of text (fixtures are UTF-8). */
export function readCsvText(path: string): { header: string[]; rows: string[][] } {
  const all: string[][] = parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''), { relax_column_count: true });
  return { header: all[0], rows: all.slice(1) };
}

export interface SqlRunner {
  name: DialectName;
  /** runs statements; returns the rows of the last */
  run(sql: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export async function duckdbRunner(): Promise<SqlRunner> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:', { threads: '1' });
  const con = await db.connect();
  return {
    name: 'duckdb',
    async run(sql) {
      const r = await con.runAndReadAll(sql);
      return r.getRowObjectsJS() as Record<string, unknown>[];
    },
    async close() {
      con.closeSync();
      db.closeSync();
    },
  };
}

export async function pgliteRunner(): Promise<SqlRunner> {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create();
  return {
    name: 'postgres',
    async run(sql) {
      const rs = await db.exec(sql);
      return (rs[rs.length - 1]?.rows ?? []) as Record<string, unknown>[];
    },
    async close() {
      await db.close();
    },
  };
}

/** A real PostgreSQL server (test/helpers/postgres-server.ts) through node-postgres: one session, so TEMP tables last. */
export async function pgRunner(url: string): Promise<SqlRunner> {
  const { default: pg } = await import('pg');
  // bigint and numeric as text, as PGlite gives them to Number()
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    name: 'postgres',
    async run(sql) {
      const rs = await client.query(sql);
      const last = Array.isArray(rs) ? rs[rs.length - 1] : rs;
      return (last?.rows ?? []) as Record<string, unknown>[];
    },
    async close() {
      await client.end();
    },
  };
}

const lit = (v: string) => `'${v.replace(/'/g, "''")}'`;
const ident = (v: string) => `"${v.replace(/"/g, '""')}"`;

/** Loads a CSV as a table of text columns (named as its header) with its row number in _row. */
export async function loadTable(db: SqlRunner, name: string, path: string): Promise<string[]> {
  const { header, rows } = readCsvText(path);
  const cols = header.map((h) => ident(h.trim()));
  await db.run(`DROP TABLE IF EXISTS ${ident(name)} CASCADE; CREATE TABLE ${ident(name)} (_row BIGINT, ${cols.map((c) => `${c} TEXT`).join(', ')})`);
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500).map((r, j) => `(${i + j + 2}, ${header.map((_, k) => (r[k] === undefined ? 'NULL' : lit(r[k]))).join(', ')})`);
    if (chunk.length) await db.run(`INSERT INTO ${ident(name)} VALUES ${chunk.join(', ')}`);
  }
  return header.map((h) => h.trim());
}

/** The compiled SQL's rows on one engine, in reading order. */
async function sqlRows(db: SqlRunner, config: Config, ticketsFile: string, asOf: number, range: { from: number; to: number }, eventsFile?: string, maxBreaches?: number) {
  const header = await loadTable(db, 'tickets', ticketsFile);
  const find = (headers: string[], wanted: string[]) => wanted.map((w) => headers.find((h) => h.toLowerCase() === w.trim().toLowerCase())).find((h) => h !== undefined);
  const columns = {
    column(key: string) {
      const canon = config.tickets.columns[key as keyof typeof config.tickets.columns];
      return find(header, canon ?? [key]);
    },
  };
  let history: CompileInput['history'];
  if (eventsFile) {
    const eh = await loadTable(db, 'history', eventsFile);
    const ec = config.events.columns;
    history = { table: 'history', id: find(eh, ec.ticket_id)!, time: find(eh, ec.timestamp)!, status: find(eh, ec.status)!, order: '_row' };
  }
  const compiled = compileSql({ config, dialect: db.name, table: 'tickets', columns, rowColumn: '_row', history, asOf, range, maxBreaches, objectives: config.objectives.filter((o) => o.kind === 'kpi' && o.kpi.endsWith('.compliance')) });
  await db.run(compiled.statements.join('\n'));
  const problems = await db.run('SELECT * FROM sla_problems ORDER BY row_no');
  const summary = await db.run('SELECT * FROM sla_summary');
  const objectives = await db.run('SELECT * FROM sla_objectives ORDER BY objective');
  const rows = await db.run('SELECT * FROM sla_ticket_metrics ORDER BY row_no, metric');
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    problems, summary, objectives,
    rows: rows.map((r): MetricRow => ({
      ticket_id: String(r.ticket_id), policy: String(r.policy), priority: String(r.priority), metric: String(r.metric), status: String(r.status),
      target_ms: n(r.target_ms), elapsed_ms: n(r.elapsed_ms), due_ms: n(r.due_ms), completed_ms: n(r.completed_at_ms),
    })),
    text: rows.map((r) => [r.ticket_id, r.policy, r.priority, r.metric, r.status, r.target_minutes ?? '', r.elapsed_minutes ?? '', r.due_at ?? '', r.completed_at ?? ''].join(',')),
  };
}

export async function fixtureParity(db: SqlRunner, dir: string, asOfText: string, opts: { tickets?: string; events?: string; config?: string; range?: { from: number; to: number }; maxBreaches?: number } = {}) {
  const config = loadConfig(`${dir}/${opts.config ?? 'sla.yaml'}`);
  const asOf = parseInstant('--as-of', asOfText, config.zone);
  const tickets = `${dir}/${opts.tickets ?? 'tickets.csv'}`;
  const events = opts.events ? `${dir}/${opts.events}` : undefined;
  const engine = await engineRows(config, [tickets], asOf, events ? [events] : [], opts.maxBreaches);
  // as the CLI lays the spine out (sql: --from to --as-of; --engine duckdb: the first creation to
  // --as-of), not from the engine's due times, which the script must reach by itself
  const range = opts.range ?? spineRangeFor(config, engine.first, asOf);
  const sql = await sqlRows(db, config, tickets, asOf, range, events, opts.maxBreaches);
  return { engine, sql, config };
}

/** Per-ticket metric rows as [id, metric, status, target min, elapsed min, due ISO] — the shape hand-worked SQL tests compare. */
export const minuteRows = (rows: { ticket_id: string; metric: string; status: string; target_ms: number | null; elapsed_ms: number | null; due_ms: number | null }[]) =>
  rows.map((r) => [r.ticket_id, r.metric, r.status, r.target_ms === null ? null : r.target_ms / 60000, r.elapsed_ms === null ? null : r.elapsed_ms / 60000, r.due_ms === null ? null : new Date(r.due_ms).toISOString().replace('.000Z', 'Z')]);

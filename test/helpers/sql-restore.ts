/**
 * The warehouse route in-process: the compiled script run on a SQL engine (PGlite, DuckDB, a
 * PostgreSQL server), its aggregate relations read as text (as `check --engine postgres` fetches
 * them and `report --from` reads them), put back into the engine's accumulators (engine/restore.ts)
 * — beside the streaming engine's result for the same file, options and --as-of.
 */
import type { Period } from '../../src/config/schema.js';
import { audit, loadConfig, parseInstant } from '../../src/index.js';
import { compileSql } from '../../src/sql/index.js';
import { spineRangeFor } from '../../src/sql/range.js';
import { restoreAudit } from '../../src/engine/restore.js';
import { RELATION_COLUMNS, problemsOf } from '../../src/warehouse/relations.js';
import { loadTable, type SqlRunner } from './sql-parity.js';

export interface RestoreRunOptions {
  tickets?: string;
  config?: string;
  groupBy?: string[];
  period?: Period;
}

const text = (v: unknown): string | null => (v === null || v === undefined ? null : typeof v === 'bigint' ? v.toString() : String(v));

export async function restoredRun(db: SqlRunner, dir: string, asOfText: string, o: RestoreRunOptions = {}) {
  const config = loadConfig(`${dir}/${o.config ?? 'sla.yaml'}`);
  const asOf = parseInstant('--as-of', asOfText, config.zone);
  const tickets = `${dir}/${o.tickets ?? 'tickets.csv'}`;
  let first = Infinity;
  const streaming = await audit({ config, inputs: [tickets], asOf, groupBy: o.groupBy, period: o.period, onTicket: (ev) => (first = Math.min(first, ev.ticket.created)) });
  const header = await loadTable(db, 'tickets', tickets);
  const find = (wanted: string[]) => wanted.map((w) => header.find((h) => h.toLowerCase() === w.trim().toLowerCase())).find((h) => h !== undefined);
  const columns = { column: (key: string) => find(config.tickets.columns[key as keyof typeof config.tickets.columns] ?? [key]) };
  // as check --engine postgres: the KPI objectives compiled, the scorecard ones judged from the relations
  const objectiveIndex = config.objectives.flatMap((x, i) => (x.kind === 'kpi' ? [i] : []));
  const compiled = compileSql({
    config, dialect: db.name, table: 'tickets', columns, rowColumn: '_row', asOf, range: spineRangeFor(config, Number.isFinite(first) ? first : asOf, asOf),
    objectives: objectiveIndex.map((i) => config.objectives[i]), groupBy: o.groupBy, period: o.period,
  });
  await db.run(compiled.statements.join('\n'));
  const defined = new Set(compiled.statements.flatMap((s) => [...s.matchAll(/(?:TABLE|VIEW) "(sla_[a-z_]+)"/g)].map((m) => m[1])));
  const relations: Record<string, Record<string, string | null>[]> = {};
  for (const name of Object.keys(RELATION_COLUMNS)) {
    if (!defined.has(name)) continue;
    const order = name === 'sla_problems' ? ' ORDER BY source DESC, row_no' : '';
    relations[name] = (await db.run(`SELECT * FROM ${name}${order}`)).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, text(v)])));
  }
  const problems = problemsOf(relations.sla_problems ?? [], tickets, undefined, (_, field) => columns.column(field), config.customKpis);
  const restored = restoreAudit({ relations, inputs: [tickets], problems, objectiveIndex }, { config, asOf, groupBy: o.groupBy, period: o.period });
  return { config, streaming, restored, relations, compiled };
}

/**
 * The BigQuery script of every hand-worked SQL fixture (test/sql/fixtures.ts, with the custom KPI
 * and exact-ratings fixtures, which only PostgreSQL and BigQuery compile) parses in sqlglot's
 * bigquery dialect. No BigQuery runs here: this proves the text is BigQuery's grammar as sqlglot
 * knows it (a misplaced keyword, a function written in another dialect's syntax, a bad quote), not
 * that BigQuery accepts every function and type, nor that the numbers are right (README: "What is
 * checked of the BigQuery and Snowflake scripts"). Needs the venv test/spark/setup.sh makes.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { loadConfig, parseInstant } from '../../src/index.js';
import { compileSql } from '../../src/sql/index.js';
import { readCsvText } from '../helpers/sql-parity.js';
import { FIXTURES } from '../sql/fixtures.js';

const PYTHON = process.env.SPARK_PYTHON;

const ALL: [string, string, string?][] = [...FIXTURES, ['kpis/custom-kpis', '2026-06-01T00:00'], ['sql/exact-ratings', '2026-03-10T00:00'], ['sql/report-aggregates', '2026-03-10T00:00']];

function bigquery(dir: string, asOfText: string, events?: string): string {
  const config = loadConfig(`fixtures/${dir}/sla.yaml`);
  const asOf = parseInstant('--as-of', asOfText, config.zone);
  const tickets = `fixtures/${dir}/tickets.csv`;
  const header = readCsvText(tickets).header.map((h) => h.trim());
  const find = (wanted: string[]) => wanted.map((w) => header.find((h) => h.toLowerCase() === w.trim().toLowerCase())).find((h) => h !== undefined);
  const columns = { column: (key: string) => find(config.tickets.columns[key as keyof typeof config.tickets.columns] ?? [key]) };
  let history;
  if (events) {
    const eh = readCsvText(`fixtures/${dir}/${events}`).header.map((h) => h.trim());
    const f = (w: string[]) => w.map((x) => eh.find((h) => h.toLowerCase() === x.toLowerCase())).find((h) => h !== undefined)!;
    history = { table: '`history`', id: f(config.events.columns.ticket_id), time: f(config.events.columns.timestamp), status: f(config.events.columns.status), order: '_row' };
  }
  // a spine of three years before --as-of to a month after it: every fixture's tickets are in it
  const range = { from: asOf - 3 * 366 * 86_400_000, to: asOf + 31 * 86_400_000 };
  return compileSql({
    config, dialect: 'bigquery', table: '`tickets`', columns, rowColumn: '_row', history, asOf, range,
    objectives: config.objectives.filter((o) => o.kind === 'kpi'), gate: true,
  }).sql;
}

describe('the BigQuery script of every fixture parses in sqlglot\'s bigquery dialect', () => {
  test('every fixture, with its custom KPIs, history, credits and KPI objectives, and the gate', () => {
    expect(PYTHON, 'SPARK_PYTHON (npm run test:spark sets it to the venv test/spark/setup.sh makes)').toBeTruthy();
    const scripts = Object.fromEntries(ALL.map(([dir, asOf, events]) => [dir, bigquery(dir, asOf, events)]));
    const out = JSON.parse(execFileSync(PYTHON!, ['test/spark/parse_dialects.py', '--as', 'bigquery'], { input: JSON.stringify(scripts), encoding: 'utf8', maxBuffer: 1 << 28 }));
    expect(out).toEqual(Object.fromEntries(ALL.map(([dir]) => [dir, []])));
    // the custom KPIs are in the script parsed (BigQuery normalises text: it compiles them)
    expect(scripts['kpis/custom-kpis']).toContain('sla_acc_custom');
    expect(scripts['sql/exact-ratings']).toContain('sla_acc_sat');
  }, 600_000);
});

/**
 * `sql --schema NAME` run twice with different configs: the second run drops, in the same
 * transaction, every relation of the kept set an earlier run wrote that it does not make itself
 * (sla_credits of a config with credits:, sla_acc_custom of one with kpis:), so the schema holds
 * exactly this run's relations and an export of it gives check's report. On DuckDB and PGlite; on a
 * real PostgreSQL server through psql: operational-script.server.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { duckdbRunner, loadTable, pgliteRunner, type SqlRunner } from '../helpers/sql-parity.js';
import { cli } from '../cli/run.js';
import { DEMO } from './gate.js';

const AS_OF = '2026-11-01T00:00';
const DEMO_YAML = readFileSync(join(DEMO, 'sla.yaml'), 'utf8');
/** the demo with a service-credit schedule: the script makes sla_credits */
const WITH_CREDITS = `${DEMO_YAML}\ncredits:\n  currency: CNY\n  period: month\n  fee: 1000\n  tiers:\n    - { below: 90%, credit: 10% }\n`;
/** the demo with a custom KPI: PostgreSQL's script makes sla_acc_custom */
const WITH_KPIS = `${DEMO_YAML}\nkpis:\n  csat_mean: { mean: { column: CSAT } }\n`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sla-stale-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The script for a config text; what its header says it keeps. */
async function script(dialect: string, yaml: string, name: string) {
  const config = join(dir, name);
  writeFileSync(config, yaml);
  const r = await cli(['sql', '--dialect', dialect, '-c', config, '--table', 'tickets', '--row-column', '_row', '--from', '2023-01-01', '--to', '2026-11-01', '--as-of', AS_OF, '--schema', 'kept']);
  expect(r.exitCode).toBe(0);
  const kept = /^-- Kept: (.*) in schema kept/m.exec(r.stdout)![1].split(', ');
  return { sql: r.stdout, kept, config };
}

const tablesIn = async (db: SqlRunner) => (await db.run("SELECT table_name FROM information_schema.tables WHERE table_schema = 'kept'")).map((r) => String(r.table_name)).sort();

describe('--schema run twice with different configs', () => {
  test('DuckDB: the first run\'s sla_credits is dropped by a run without credits; the export gives check\'s report', async () => {
    const db = await duckdbRunner();
    const out = mkdtempSync(join(dir, 'export-'));
    try {
      await loadTable(db, 'tickets', join(DEMO, 'tickets.csv'));
      const first = await script('duckdb', WITH_CREDITS, 'credits.yaml');
      expect(first.kept).toContain('sla_credits');
      await db.run(first.sql);
      expect(await tablesIn(db)).toEqual([...first.kept].sort());
      const second = await script('duckdb', DEMO_YAML, 'plain.yaml');
      expect(second.kept).not.toContain('sla_credits');
      await db.run(second.sql);
      expect(await tablesIn(db)).toEqual([...second.kept].sort());
      for (const r of second.kept.filter((t) => t !== 'sla_ticket_metrics' && t !== 'sla_kpis')) await db.run(`COPY (SELECT * FROM kept.${r}) TO '${join(out, `${r}.csv`)}' (HEADER)`);
      const [fromDir, check] = await Promise.all([
        cli(['report', '--from', out, '-c', second.config, '-f', 'json']),
        cli(['check', '-c', second.config, join(DEMO, 'tickets.csv'), '--as-of', AS_OF, '-f', 'json']),
      ]);
      expect(fromDir.exitCode).toBe(check.exitCode);
      const [a, b] = [fromDir.stdout, check.stdout].map((t) => JSON.parse(t) as Record<string, unknown>);
      for (const k of ['kpis', 'totals', 'objectives']) expect(a[k], k).toEqual(b[k]);
    } finally {
      await db.close();
    }
  });

  test('PGlite: the first run\'s sla_acc_custom is dropped by a run without kpis:', async () => {
    const db = await pgliteRunner();
    try {
      await loadTable(db, 'tickets', join(DEMO, 'tickets.csv'));
      const first = await script('postgres', WITH_KPIS, 'kpis.yaml');
      expect(first.kept).toContain('sla_acc_custom');
      await db.run(first.sql);
      expect(await tablesIn(db)).toEqual([...first.kept].sort());
      const second = await script('postgres', DEMO_YAML, 'plain.yaml');
      expect(second.kept).not.toContain('sla_acc_custom');
      await db.run(second.sql);
      expect(await tablesIn(db)).toEqual([...second.kept].sort());
    } finally {
      await db.close();
    }
  });
});

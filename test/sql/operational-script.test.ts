/**
 * The script as an operational step on DuckDB: `--gate` stops the script with error() naming each
 * failed objective with its actual and minimum (the figures `check` gives on the same export), and
 * `--schema` writes its tables in one transaction, replaced by a second run. The same on a real
 * PostgreSQL server through psql: operational-script.server.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { duckdbRunner, loadTable, readCsvText } from '../helpers/sql-parity.js';
import { cli } from '../cli/run.js';
import { RELATION_COLUMNS } from '../../src/warehouse/relations.js';
import { checkObjectives, DEMO, failedNames } from './gate.js';

const header = readCsvText(join(DEMO, 'tickets.csv')).header;

describe('DuckDB: --gate with error(), --schema in one transaction', () => {
  test('the gate names the failed objectives; the schema\'s tables are replaced by a second run', async () => {
    const db = await duckdbRunner();
    try {
      await db.run(`CREATE TABLE tickets AS SELECT * FROM read_csv('${join(DEMO, 'tickets.csv')}', header = true, all_varchar = true, columns = {${header.map((h) => `'${h}': 'VARCHAR'`).join(', ')}})`);
      const config = join(DEMO, 'sla.yaml');
      const expected = await checkObjectives(config, '2026-11-01');
      const r = await cli(['sql', '--dialect', 'duckdb', '-c', config, '--from', '2026-10-01', '--to', '2026-11-01', '--as-of', '2026-11-01', '--schema', 'sla_report', '--gate']);
      const names = failedNames(expected.objectives);
      await expect(db.run(r.stdout)).rejects.toThrow(`sla-audit gate: ${names.join('; ')} failed`);
      const [first] = await db.run('SELECT count(*) AS n FROM sla_report.sla_ticket_metrics');
      expect(Number(first.n)).toBe(expected.evaluated * 2);
      const again = await cli(['sql', '--dialect', 'duckdb', '-c', config, '--from', '2026-10-01', '--to', '2026-11-01', '--as-of', '2026-10-15T00:00', '--schema', 'sla_report']);
      await db.run(again.stdout);
      const earlier = await checkObjectives(config, '2026-10-15T00:00');
      const [second] = await db.run('SELECT count(*) AS n FROM sla_report.sla_ticket_metrics');
      expect(Number(second.n)).toBe(earlier.evaluated * 2);
    } finally {
      await db.close();
    }
  });
});

describe('DuckDB: --schema keeps every relation report --from reads', () => {
  test('exported from the kept schema alone, the relations give check\'s report and exit code', async () => {
    const asOf = '2026-11-01T00:00';
    const config = join(DEMO, 'sla.yaml');
    const sql = await cli(['sql', '--dialect', 'duckdb', '-c', config, '--table', 'tickets', '--row-column', '_row', '--from', '2023-01-01', '--to', '2026-11-01', '--as-of', asOf, '--schema', 'kept']);
    // the demo's categories read aliases, which DuckDB cannot NFKC-fold: those four relations are not made (a note says so)
    expect([sql.exitCode, sql.stderr]).toEqual([0, expect.stringContaining('not compiled: complaint categories')]);
    const db = await duckdbRunner();
    const dir = mkdtempSync(join(tmpdir(), 'sla-kept-'));
    try {
      await loadTable(db, 'tickets', join(DEMO, 'tickets.csv'));
      await db.run(sql.stdout);
      const kept = new Set((await db.run("SELECT table_name FROM information_schema.tables WHERE table_schema = 'kept'")).map((r) => String(r.table_name)));
      // every relation report --from reads that this script makes: not the categories (above), credits or custom KPIs (none in the config)
      expect(Object.keys(RELATION_COLUMNS).filter((n) => !kept.has(n)).sort()).toEqual(['sla_acc_custom', 'sla_categories', 'sla_category_sat', 'sla_category_times', 'sla_credits', 'sla_day_categories']);
      for (const r of kept) await db.run(`COPY (SELECT * FROM kept.${r}) TO '${join(dir, `${r}.csv`)}' (HEADER)`);
      const [fromDir, check] = await Promise.all([
        cli(['report', '--from', dir, '-c', config, '-f', 'json']),
        cli(['check', '-c', config, join(DEMO, 'tickets.csv'), '--as-of', asOf, '-f', 'json']),
      ]);
      expect(fromDir.stderr).not.toMatch(/ is not /);
      expect(fromDir.exitCode).toBe(check.exitCode);
      const [a, b] = [fromDir.stdout, check.stdout].map((t) => JSON.parse(t) as Record<string, unknown>);
      for (const k of ['kpis', 'totals', 'objectives', 'groups', 'escalation']) expect(a[k], k).toEqual(b[k]);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

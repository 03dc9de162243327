/**
 * The script as an operational step on DuckDB: `--gate` stops the script with error() naming each
 * failed objective with its actual and minimum (the figures `check` gives on the same export), and
 * `--schema` writes its tables in one transaction, replaced by a second run. The same on a real
 * PostgreSQL server through psql: operational-script.server.test.ts.
 */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { duckdbRunner, readCsvText } from '../helpers/sql-parity.js';
import { cli } from '../cli/run.js';
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

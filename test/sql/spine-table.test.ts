/**
 * --spine-table: the spine loaded from `sla-audit calendar -f csv` into a table gives the same
 * rows as the spine written into the script, on DuckDB and PostgreSQL; a spine that does not reach
 * a ticket makes that ticket a problem instead of a wrong number.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, parseInstant } from '../../src/index.js';
import { calendarSpine } from '../../src/calendar/listing.js';
import { calendarSpineReport } from '../../src/report/calendar.js';
import { compileSql } from '../../src/sql/index.js';
import { spineRangeFor } from '../../src/sql/range.js';
import { duckdbRunner, engineRows, pgliteRunner, readCsvText, type SqlRunner } from '../helpers/sql-parity.js';

const dir = mkdtempSync(join(tmpdir(), 'sla-spine-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function load(db: SqlRunner, name: string, path: string) {
  const { header, rows } = readCsvText(path);
  const q = (v: string) => `'${v.replace(/'/g, "''")}'`;
  await db.run(`DROP TABLE IF EXISTS ${name} CASCADE; CREATE TABLE ${name} (_row BIGINT, ${header.map((h) => `"${h}" TEXT`).join(', ')})`);
  if (rows.length) await db.run(`INSERT INTO ${name} VALUES ${rows.map((r, i) => `(${i + 2}, ${r.map(q).join(', ')})`).join(', ')}`);
}

for (const [name, make] of [['DuckDB', duckdbRunner], ['PostgreSQL (PGlite)', pgliteRunner]] as const) {
  describe(name, () => {
    let db: SqlRunner;
    beforeAll(async () => {
      db = await make();
    });
    afterAll(async () => {
      await db?.close();
    });

    test('the demo with its spine read from a table, and with a spine too short', async () => {
      const config = loadConfig('fixtures/demo/sla.yaml');
      const asOf = parseInstant('--as-of', '2026-11-01', config.zone);
      const engine = await engineRows(config, ['fixtures/demo/tickets.csv'], asOf);
      const range = spineRangeFor(config, engine.first, engine.last);
      // every calendar's spine in one CSV, as `sla-audit calendar NAME -f csv` writes each
      const csv = [...new Set(config.policies.map((p) => p.calendar))].map((cal, i) => {
        const text = calendarSpineReport(calendarSpine(cal, range.from, range.to), 'csv');
        return i === 0 ? text : text.split('\n').slice(1).join('\n');
      }).join('');
      writeFileSync(join(dir, 'spine.csv'), csv);
      await load(db, 'spine', join(dir, 'spine.csv'));
      await load(db, 'tickets', 'fixtures/demo/tickets.csv');
      const header = readCsvText('fixtures/demo/tickets.csv').header;
      const columns = { column: (k: string) => (config.tickets.columns as Record<string, string[] | undefined>)[k]?.[0] ?? (header.includes(k) ? k : undefined) };
      const run = async (spineTable?: string) => {
        const c = compileSql({ config, dialect: db.name, table: 'tickets', columns, rowColumn: '_row', asOf, range, spineTable, objectives: [] });
        await db.run(c.statements.join('\n'));
        return {
          rows: (await db.run('SELECT ticket_id, metric, status, target_ms, elapsed_ms, due_ms, completed_at_ms, due_at FROM sla_ticket_metrics ORDER BY row_no, metric')).map((r) => JSON.stringify(Object.values(r), (_, v) => (typeof v === 'bigint' ? Number(v) : v))),
          problems: (await db.run('SELECT row_no, problem FROM sla_problems ORDER BY row_no')).map((r) => `${r.row_no} ${r.problem}`),
        };
      };
      const inline = await run();
      const fromTable = await run('spine');
      expect(inline.problems).toEqual([]);
      expect(fromTable.problems).toEqual([]);
      expect(fromTable.rows).toEqual(inline.rows);
      expect(inline.rows).toHaveLength(engine.rows.length);
      // the spine cut at 20 October: tickets created before then whose due time lies after, and
      // every open ticket (measured at --as-of, 1 November), are problems; none gets a number
      await db.run(`DELETE FROM spine WHERE window_start_utc >= '2026-10-20'`);
      const short = await run('spine');
      expect(short.problems.length).toBeGreaterThan(0);
      expect(short.problems.every((p) => p.endsWith('outside the calendar spine (widen --from/--to)'))).toBe(true);
    });
  });
}

/**
 * A nightly run after hours: the `Nbd` target of a ticket created after the close reaches into a
 * business day the spine laid out up to --as-of must still hold (the script reads the target day's
 * own row). Mon-Fri 09:00-18:00 UTC, first response 1bd, resolution 8h, --as-of Thursday
 * 2026-10-01 20:00. The script got target 0, overdue and due = creation here; now the engine's
 * numbers on DuckDB and PostgreSQL, and past a spine too short a problem row, never a wrong target.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixtureParity, minuteRows as rowsOf, type SqlRunner } from '../helpers/sql-parity.js';
import { sqlEngines } from '../helpers/sql-engines.js';

const DIR = 'fixtures/sql/bd-target-day-past-spine';
const AS_OF = '2026-10-01T20:00';

// T1, created Thursday 19:00, after the close: Thursday's 9 h are behind it (offset 540 min into
// Thursday); 1bd later is Friday at offset 540, Friday 18:00; business time from creation to there
// is Friday 09:00-18:00 = 540 min; nothing elapsed by 20:00: running. 8h: Friday 09:00-17:00.
// T2, created Thursday 10:00: 1bd is Friday 10:00, Thursday 10:00-18:00 + Friday 09:00-10:00 =
// 480 + 60 = 540 min; by 20:00, 480 elapsed (10:00-18:00), 480/540 = 89% >= 75%: at risk. 8h: due
// Thursday 18:00, 480 elapsed: overdue.
const EXPECTED = [
  ['T1', 'first_response', 'running', 540, 0, '2026-10-02T18:00:00Z'],
  ['T1', 'resolution', 'running', 480, 0, '2026-10-02T17:00:00Z'],
  ['T2', 'first_response', 'at_risk', 540, 480, '2026-10-02T10:00:00Z'],
  ['T2', 'resolution', 'overdue', 480, 480, '2026-10-01T18:00:00Z'],
];

for (const e of sqlEngines()) {
  describe.skipIf(e.skip !== undefined)(`${e.name}: an Nbd target day past the old spine${e.skip ? ` (skipped: ${e.skip})` : ''}`, () => {
    // one database per engine for the file's tests: each test loads its own tables and runs the whole script
    let db: SqlRunner;
    beforeAll(async () => {
      db = await e.make();
    });
    afterAll(async () => {
      await db?.close();
    });

    test('the engine\'s numbers, worked by hand, and no problem row', async () => {
      const { engine, sql } = await fixtureParity(db, DIR, AS_OF);
      expect(rowsOf(engine.rows)).toEqual(EXPECTED);
      expect(rowsOf(sql.rows)).toEqual(EXPECTED);
      expect(sql.problems).toEqual([]);
      expect(sql.text).toEqual(engine.csv);
    });

    test('a spine that ends before the target day: the ticket is a problem row, its target not 0', async () => {
      // the spine the script laid out before: to Monday 00:00, without Friday's successor
      const range = { from: Date.parse('2026-09-29T00:00:00Z'), to: Date.parse('2026-10-05T00:00:00Z') };
      const { sql } = await fixtureParity(db, DIR, AS_OF, { range });
      // Friday itself is there, so T2's target day is; T1's (the business day after Friday) is not
      expect(sql.problems.map((p) => [Number(p.row_no), p.problem])).toEqual([[2, 'outside the calendar spine (widen --from/--to)']]);
      const t1 = sql.rows.find((r) => r.ticket_id === 'T1' && r.metric === 'first_response')!;
      expect([t1.target_ms, t1.due_ms]).toEqual([null, null]);
    });
  });
}

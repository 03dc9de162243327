/**
 * A paused `Nbd` ticket whose due time, pushed out by its pause, lies past the day the spine
 * would reach without pauses. Mon-Thu 09:00-18:00, Friday 09:00-10:00 (a short Friday), UTC;
 * first response 1h, resolution 1bd, paused while Pending; --as-of Thursday 2026-10-01 20:00. The script gave the
 * end of the pause as the due time; now the engine's on DuckDB and PostgreSQL, and past a spine too
 * short a problem row, never a wrong due time.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixtureParity, minuteRows as rowsOf, type SqlRunner } from '../helpers/sql-parity.js';
import { sqlEngines } from '../helpers/sql-engines.js';

const DIR = 'fixtures/sql/paused-bd-due-past-spine';
const AS_OF = '2026-10-01T20:00';

// P1, created Thursday 09:00, first reply 09:30: 1h from 09:00 is due 10:00, 30 min elapsed: met.
// Resolution 1bd: Friday at the same offset (0) is Friday 09:00, so the target is Thursday's 9 h,
// 540 min. Pending 10:00-19:00 stops the clock for Thursday 10:00-18:00 (480 min): by 20:00, 60 min
// elapsed (09:00-10:00): running. The 480 min left run from 19:00: Friday 09:00-10:00 (60), then
// Monday 09:00-16:00 (420): due Monday 2026-10-05 16:00.
const EXPECTED = [
  ['P1', 'first_response', 'met', 60, 30, '2026-10-01T10:00:00Z'],
  ['P1', 'resolution', 'running', 540, 60, '2026-10-05T16:00:00Z'],
];

for (const e of sqlEngines()) {
  describe.skipIf(e.skip !== undefined)(`${e.name}: a paused bd due time past the unpaused reach${e.skip ? ` (skipped: ${e.skip})` : ''}`, () => {
    // one database per engine for the file's tests: each test loads its own tables and runs the whole script
    let db: SqlRunner;
    beforeAll(async () => {
      db = await e.make();
    });
    afterAll(async () => {
      await db?.close();
    });

    test('the engine\'s numbers, worked by hand, and no problem row', async () => {
      const { engine, sql } = await fixtureParity(db, DIR, AS_OF, { events: 'history.csv' });
      expect(rowsOf(engine.rows)).toEqual(EXPECTED);
      expect(rowsOf(sql.rows)).toEqual(EXPECTED);
      expect(sql.problems).toEqual([]);
      expect(sql.text).toEqual(engine.csv);
    });

    test('a spine that ends before the due time: the ticket is a problem row, its due time not the pause\'s end', async () => {
      // the spine laid out before: to Monday 00:00 (1bd from --as-of reached Friday 10:00)
      const range = { from: Date.parse('2026-09-29T00:00:00Z'), to: Date.parse('2026-10-05T00:00:00Z') };
      const { sql } = await fixtureParity(db, DIR, AS_OF, { events: 'history.csv', range });
      expect(sql.problems.map((p) => [Number(p.row_no), p.problem])).toEqual([[2, 'outside the calendar spine (widen --from/--to)']]);
      const res = sql.rows.find((r) => r.metric === 'resolution')!;
      expect([res.status, res.target_ms, res.elapsed_ms, res.due_ms]).toEqual(['running', 540 * 60000, 60 * 60000, null]);
    });
  });
}

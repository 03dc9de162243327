/**
 * fixtures/sql/exact-ratings, worked by hand, on DuckDB, PGlite and a PostgreSQL server: the
 * relations put back into the engine's accumulators (as check --engine postgres and report --from
 * do) give the streaming engine's satisfaction and custom KPI problems.
 *
 * 24x7, UTC, all tickets resolved in an hour (met), category Billing.
 *   Ratings: R1 3, R2 1.8 (team A); R3 4.2, R4 2.7, R5 4.2 (team B; R5's first row, 4.9, is replaced).
 *   Overall 3 + 1.8 + 4.2 + 2.7 + 4.2 = 15.9: the exact sum of the five doubles rounds once to the
 *   double 15.9, and 15.9 / 5 = 3.18. Added one after the other, in any of the 120 orders, the
 *   doubles give a mean of 3.1799999999999997 or 3.1800000000000006, never 3.18 (so a SUM of doubles, in
 *   whatever order an engine adds them, is not check's number). Team A (3 + 1.8) / 2 = 2.4; team B
 *   4.2 + 2.7 + 4.2: each double is 2^-52 × 0.8 above its decimal, their exact sum (the double 11.1 plus 2^-50) lies
 *   half-way between the doubles 11.1 (0x4026333333333333) and 11.100000000000001 (…334): a tie,
 *   rounded to the even one, 11.100000000000001, over 3; Billing's rating 3.18.
 *   handle_minutes (a custom KPI mean): R1 10, R2 20, R3 "x" (a problem of that KPI only, row 4: the
 *   header is row 1), R4 40, R5 50 → 120 / 4 = 30. R5's first row (row 6) has "abc", but row 7 has
 *   the same id and replaces it: that row is not evaluated, so its cell leaves no ticket out and is
 *   no problem of the KPI; the duplicate id is its one problem (README: every row is in exactly one
 *   of evaluated, outside_range or problems). Rows 6, tickets 5, evaluated 5, problems 1 (the
 *   replaced row), kpi_cell_problems 1 (row 4).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sqlEngines } from '../helpers/sql-engines.js';
import { restoredRun } from '../helpers/sql-restore.js';
import type { SqlRunner } from '../helpers/sql-parity.js';

const DIR = 'fixtures/sql/exact-ratings';
const AS_OF = '2026-03-10T00:00';
const TAIL = '; custom KPI handle_minutes leaves this ticket out (it is evaluated for everything else). Write plain numbers such as 12 or 12.5, without units or thousands separators';

describe('the ratings added in order are not the exact sum (why the test has these ratings)', () => {
  test('no order of 3, 1.8, 4.2, 2.7, 4.2 gives 3.18', () => {
    const perms = (a: number[]): number[][] => (a.length <= 1 ? [a] : a.flatMap((x, i) => perms([...a.slice(0, i), ...a.slice(i + 1)]).map((p) => [x, ...p])));
    const means = new Set(perms([3, 1.8, 4.2, 2.7, 4.2]).map((p) => p.reduce((s, x) => s + x, 0) / 5));
    expect([...means].sort()).toEqual([3.1799999999999997, 3.1800000000000006]);
    expect(15.9 / 5).toBe(3.18);
  });
});

for (const e of sqlEngines()) {
  describe.skipIf(e.skip !== undefined)(`${e.name}: exact ratings and a replaced row's custom KPI cell${e.skip ? ` (skipped: ${e.skip})` : ''}`, () => {
    let db: SqlRunner;
    beforeAll(async () => {
      db = await e.make();
    });
    afterAll(async () => {
      await db?.close();
    });

    test('satisfaction.mean, per group and per category, exactly as check sums the ratings', async () => {
      const { streaming, restored, relations } = await restoredRun(db, DIR, AS_OF, { groupBy: ['team'] });
      const sat = (r: typeof streaming) => [r.kpis['satisfaction.mean'], ...['A', 'B'].map((t) => r.groups.team.find((g) => g.key === t)!.kpis['satisfaction.mean'])];
      expect(sat(streaming)).toEqual([3.18, 2.4, 11.100000000000001 / 3]);
      expect(sat(restored)).toEqual(sat(streaming));
      expect(restored.categories.map((c) => [c.name, c.satisfaction])).toEqual([['Billing', 3.18]]);
      expect(restored.categories).toEqual(streaming.categories);
      // the relations carry each distinct rating with its count
      const overall = relations.sla_acc_sat!.filter((r) => r.scope === 'overall').map((r) => [Number(r.value), Number(r.n)]).sort((a, b) => a[0] - b[0]);
      expect(overall).toEqual([[1.8, 1], [2.7, 1], [3, 1], [4.2, 2]]);
    });

    test.skipIf(e.name === 'DuckDB')('a replaced row\'s custom KPI cell is no problem: the duplicate id is its one problem, in check and in SQL', async () => {
      const { streaming, restored } = await restoredRun(db, DIR, AS_OF);
      // the duplicate's message is worded by the SQL (without the later row's number): row and column compared
      const listed = (r: typeof streaming) => r.problems.map((p) => [p.row, p.column, p.column === 'id' ? 'duplicate' : p.message]);
      expect(listed(streaming)).toEqual([[4, 'minutes', `"x" is not a number${TAIL}`], [6, 'id', 'duplicate']]);
      expect(streaming.problems[1].message).toBe('duplicate ticket id "R5": row 7 has the same id and replaces this row');
      expect(streaming.totals).toEqual({ rows: 6, tickets: 5, evaluated: 5, problems: 1, outside_range: 0, kpi_cell_problems: 1 });
      expect(streaming.kpis.handle_minutes).toBe(30);
      expect(listed(restored)).toEqual(listed(streaming));
      expect(restored.totals).toEqual(streaming.totals);
      expect(restored.kpis.handle_minutes).toBe(30);
    });
  });
}

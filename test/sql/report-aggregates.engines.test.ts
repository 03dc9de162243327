/**
 * The report's aggregates worked by hand (fixtures/sql/report-aggregates: Shanghai, around the
 * clock, first response 1h and 0m for P1, resolution 10h, a ladder lead 50% / manager 100% /
 * director 200%, monthly credits; --as-of 2026-03-10 00:00), on DuckDB, PGlite and a PostgreSQL
 * server, and the same as the streaming engine's result.
 *
 * Tickets (local times): T1 created Mon 03-02 23:30 (15:30Z), replied after 75 min (breached, 1.25
 * of 1h), resolved after 6 h; T2 created Tue 03-03 00:10 — the same UTC day as T1 (16:10Z on 03-02),
 * another local day —, replied after 30 min, resolved after 12 h (breached, 1.2, 2 h over); T10
 * 01:10 and T9 02:11:30, each resolved after 11 h (1.1, 1 h over: a tie, broken by id in code-unit
 * order, T10 before T9, though T9's row comes first); T5 (P1) replied after 5 min on a 0 target
 * (breached, an infinite share: first of all); T6 (P1) replied at creation (0 of 0: met, share 1);
 * T7 Sun 03-08 10:00, nothing by --as-of: 38 h, first response overdue 2220 min over (share 38),
 * resolution 1680 min over (3.8); T8 Mon 03-09 20:00, replied after 30 min, open 4 h (running).
 * T11 is created after --as-of (outside the range), T12 has no creation time (a problem).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixtureParity, type SqlRunner } from '../helpers/sql-parity.js';
import { sqlEngines } from '../helpers/sql-engines.js';
import { sqlBreaches, sqlCategories, sqlCredits, sqlEscalation, sqlHotspots, sqlTotals } from '../helpers/sql-report.js';

const DIR = 'fixtures/sql/report-aggregates';
const AS_OF = '2026-03-10T00:00';
const MIN = 60_000;

for (const e of sqlEngines()) {
  describe.skipIf(e.skip !== undefined)(`${e.name}: the report's aggregates by hand${e.skip ? ` (skipped: ${e.skip})` : ''}`, () => {
    // one database per engine for the file's tests: each test loads its own tables and runs the whole script
    let db: SqlRunner;
    beforeAll(async () => {
      db = await e.make();
    });
    afterAll(async () => {
      await db?.close();
    });

    test('trend days, categories and repeats, channels, hours, escalation, breaches, credits and totals', async () => {
      const { engine, config } = await fixtureParity(db, DIR, AS_OF);
      const res = engine.result;
      // the local day decides: T1 on 03-02, T2, T10 and T9 on 03-03 though T1 and T2 share a UTC day
      const days = (await db.run("SELECT day, metric, status, n FROM sla_days WHERE status <> 'not_applicable' ORDER BY day, metric, status")).map((r) => [r.day, r.metric, r.status, Number(r.n)]);
      expect(days).toEqual([
        ['2026-03-02', 'first_response', 'breached', 1], ['2026-03-02', 'resolution', 'met', 1],
        ['2026-03-03', 'first_response', 'met', 3], ['2026-03-03', 'resolution', 'breached', 3],
        ['2026-03-04', 'first_response', 'breached', 1], ['2026-03-04', 'first_response', 'met', 1], ['2026-03-04', 'resolution', 'met', 2],
        ['2026-03-08', 'first_response', 'overdue', 1], ['2026-03-08', 'resolution', 'overdue', 1],
        ['2026-03-09', 'first_response', 'met', 1], ['2026-03-09', 'resolution', 'running', 1],
      ]);
      // Billing: C1 at 23:30, 00:10 (40 min: a repeat), 01:10 (60 min, the window's edge: a repeat),
      // 02:11:30 (minute 02:11, 61 min: not); resolutions 360, 720, 660, 660 min: median 660, p90 720.
      // Shipping: C2's T5 and T6 in the same minute (a repeat); 60 and 30 min: median 45, p90 60.
      // T8 has no category (the default) and no customer.
      const cats = await sqlCategories(db);
      expect(cats.map((c) => [c.name, c.tickets, c.breached, c.repeat, c.median_resolution_minutes, c.p90_resolution_minutes])).toEqual([
        ['Billing', 4, 4, 2, 660, 720], ['Shipping', 3, 1, 1, 45, 60], ['Other', 1, 0, 0, null, null],
      ]);
      expect(cats).toEqual(res.categories);
      // an empty channel is (none); T7 and T8 overdue or running only: Phone has no breached ticket
      const hot = await sqlHotspots(db);
      expect(hot.channels.map((c) => [c.channel, c.tickets, c.breached])).toEqual([['Email', 3, 3], ['Chat', 2, 1], ['Phone', 2, 0], ['(none)', 1, 1]]);
      const cell = (wd: number, h: number) => hot.hours[wd].counts[h];
      expect([cell(0, 23), cell(0, 20), cell(1, 0), cell(1, 1), cell(1, 2), cell(2, 9), cell(6, 10)]).toEqual([1, 1, 1, 1, 1, 2, 1]);
      expect(hot.hours.flatMap((d) => d.counts).reduce((a, b) => a + b)).toBe(8);
      expect(hot).toEqual(res.hotspots);
      // levels: T8 lead (0.5), T1, T2, T10, T9, T6 manager (1.25 … 1), T5 (infinite) and T7 (38) director; T7 and T8 open
      expect(config.levels).toEqual(['lead', 'manager', 'director']);
      const esc = (await db.run('SELECT day, level, tickets, open FROM sla_escalation ORDER BY day, level')).map((r) => [r.day, Number(r.level), Number(r.tickets), Number(r.open)]);
      expect(esc).toEqual([['2026-03-02', 1, 1, 0], ['2026-03-03', 1, 3, 0], ['2026-03-04', 1, 1, 0], ['2026-03-04', 2, 1, 0], ['2026-03-08', 2, 1, 1], ['2026-03-09', 0, 1, 1]]);
      expect(await sqlEscalation(db, config.levels, res.periodKind)).toEqual(res.escalation);
      // worst first: T5's infinite share, T7 (38, 3.8), T1 1.25, T2 1.2, then T10 and T9 tied at 1.1 and 60 min over
      const breaches = await sqlBreaches(db);
      expect(breaches.map((b) => [b.id, b.metric, b.status, b.targetMs / MIN, b.elapsedMs / MIN])).toEqual([
        ['T5', 'first_response', 'breached', 0, 5], ['T7', 'first_response', 'overdue', 60, 2280], ['T7', 'resolution', 'overdue', 600, 2280],
        ['T1', 'first_response', 'breached', 60, 75], ['T2', 'resolution', 'breached', 600, 720], ['T10', 'resolution', 'breached', 600, 660], ['T9', 'resolution', 'breached', 600, 660],
      ]);
      expect(breaches).toEqual(res.breaches.map(({ file: _file, ...b }) => b));
      // credits: 8 met of 15 judged (53%, above the 50% tier); 7 breaches; hours over 1 + 2 + 1 + 1 + 1 + 37 + 28 = 71;
      // per breach 100 (T5, P1) + 6 × 10 = 160, plus 71 × 1 per hour: 231
      expect(await sqlCredits(db)).toEqual([{ period: '2026-03', tickets_judged: 15, compliance: 8 / 15, breaches: 7, hours_over: 71, breach_amount: 231 }]);
      expect(res.credits!.periods.map((p) => [p.tickets_judged, p.breaches, p.hours_over, p.breach_amount])).toEqual([[15, 7, 71, 231]]);
      // 10 rows: T12 a problem, T11 after --as-of
      expect(await sqlTotals(db, false)).toEqual({ rows: 10, tickets: 9, evaluated: 8, problems: 1, outside_range: 1 });
      expect(res.totals).toMatchObject({ rows: 10, tickets: 9, evaluated: 8, problems: 1, outside_range: 1 });
    });

    test('ratings: the number at the start of the cell, as JavaScript\'s parseFloat reads it', async () => {
      // fixtures/sql/report-ratings: 5, "4.", ".5", "+3", "4 stars" (4), "1e1" (10), "-1" and "2.5e-1x" (0.25) are
      // ratings: 25.75 over 8; "1e400" (Infinity), "abc", "Infinity" and an empty cell are not
      const { engine } = await fixtureParity(db, 'fixtures/sql/report-ratings', AS_OF);
      const [row] = await db.run('SELECT sat_sum, sat_n FROM sla_categories');
      expect([Number(row.sat_sum), Number(row.sat_n)]).toEqual([25.75, 8]);
      expect(engine.result.categories[0].satisfaction).toBe(3.22);
      expect(await sqlCategories(db)).toEqual(engine.result.categories);
    });

    test('a worst list longer than N keeps the first N in the same order', async () => {
      const { engine } = await fixtureParity(db, DIR, AS_OF, { maxBreaches: 3 });
      const breaches = await sqlBreaches(db);
      expect(breaches.map((b) => [b.id, b.metric])).toEqual([['T5', 'first_response'], ['T7', 'first_response'], ['T7', 'resolution']]);
      expect(breaches).toEqual(engine.result.breaches.map(({ file: _file, ...b }) => b));
    });
  });
}

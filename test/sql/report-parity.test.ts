/**
 * The report's other aggregates in SQL against the streaming engine on every hand-worked fixture
 * (their numbers are worked out by hand in the fixtures' own tests): the trend per period, the
 * categories with their repeat complaints, channels and hours, the worst breaches in the engine's
 * order, escalation levels, service credits and the totals, on DuckDB and PostgreSQL (PGlite).
 * DuckDB cannot fold text as the engine does (NFKC): there the category relations are left out,
 * and the script says so.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { duckdbRunner, fixtureParity, pgliteRunner, type SqlRunner } from '../helpers/sql-parity.js';
import { hasRelation, sqlBreaches, sqlCategories, sqlCredits, sqlEscalation, sqlHotspots, sqlPeriods, sqlTotals } from '../helpers/sql-report.js';
import { FIXTURES } from './fixtures.js';

for (const [name, make] of [['DuckDB', duckdbRunner], ['PostgreSQL (PGlite)', pgliteRunner]] as const) {
  describe(`${name}: the report's aggregates equal the engine's`, () => {
    let db: SqlRunner;
    beforeAll(async () => {
      db = await make();
    });
    afterAll(async () => {
      await db?.close();
    });
    test.each(FIXTURES)('%s as of %s', async (dir, asOf, events) => {
      const { engine, config } = await fixtureParity(db, `fixtures/${dir}`, asOf, { events });
      const res = engine.result;
      const cats = await hasRelation(db, 'sla_categories');
      // left out only where the dialect lacks NFKC and the config folds text
      const folds = config.categories.aliases.size > 0 || config.categories.rules.length > 0 || config.satisfaction.values.size > 0;
      expect(cats).toBe(name.startsWith('PostgreSQL') || !folds);
      const periods = await sqlPeriods(db, res.periodKind, cats);
      expect([...periods.keys()].sort()).toEqual(res.periods.map((p) => p.period).sort());
      for (const p of res.periods) {
        const s = periods.get(p.period)!;
        for (const m of ['first_response', 'resolution'] as const) for (const st of ['met', 'breached', 'overdue', 'running', 'at_risk', 'not_applicable', 'not_measured'] as const) expect(s.metrics[m][st]).toBe(p.metrics[m][st]);
        if (cats) expect(s.categories).toEqual(p.categories);
      }
      if (cats) expect(await sqlCategories(db)).toEqual(res.categories);
      expect(await sqlHotspots(db)).toEqual(res.hotspots);
      expect(await sqlBreaches(db)).toEqual(res.breaches.map(({ file: _file, ...b }) => b));
      expect(await sqlEscalation(db, config.levels, res.periodKind)).toEqual(res.escalation);
      if (res.credits) {
        expect(await sqlCredits(db)).toEqual(res.credits.periods.map((p) => ({ period: p.period, tickets_judged: p.tickets_judged, compliance: p.compliance, breaches: p.breaches, hours_over: p.hours_over, breach_amount: p.breach_amount })));
      }
      expect(await sqlTotals(db, !!events)).toEqual({ rows: res.totals.rows, tickets: res.totals.tickets, evaluated: res.totals.evaluated, problems: res.totals.problems, outside_range: res.totals.outside_range, ...(events ? { without_history: res.totals.without_history } : {}) });
    });
  });
}

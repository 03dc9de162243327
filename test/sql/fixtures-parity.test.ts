/**
 * The compiled SQL against the streaming engine on every hand-worked fixture with one row per
 * ticket (their minutes are worked out by hand in the fixtures' own tests): the same per-ticket
 * rows (status, target, elapsed, due and completion to the millisecond, and the CSV's text) on
 * DuckDB and on real PostgreSQL (PGlite). Fixtures the SQL refuses are tested in refusals.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { duckdbRunner, fixtureParity, pgliteRunner, type SqlRunner } from '../helpers/sql-parity.js';
import { FIXTURES } from './fixtures.js';


for (const [name, make] of [['DuckDB', duckdbRunner], ['PostgreSQL (PGlite)', pgliteRunner]] as const) {
  describe(`${name}: sla_ticket_metrics equals the engine's per-ticket rows`, () => {
    let db: SqlRunner;
    beforeAll(async () => {
      db = await make();
    });
    afterAll(async () => {
      await db?.close();
    });
    test.each(FIXTURES)('%s as of %s', async (dir, asOf, events) => {
      const { engine, sql } = await fixtureParity(db, `fixtures/${dir}`, asOf, { events });
      // the same rows left out, in the tickets file and in the history (one entry per row)
      const left = (xs: string[]) => [...new Set(xs)].sort();
      expect(left(sql.problems.map((p) => `${p.source} ${p.row_no}`))).toEqual(left(engine.result.problems.map((p) => `${p.file.endsWith('tickets.csv') ? 'tickets' : 'history'} ${p.row}`)));
      expect(engine.rows.length).toBeGreaterThan(0);
      expect(sql.rows).toEqual(engine.rows);
      expect(sql.text).toEqual(engine.csv);
      // sla_summary: the counts and compliance of the report's metrics, overall and breakdowns
      const STATUSES = ['met', 'breached', 'overdue', 'running', 'at_risk', 'not_applicable', 'not_measured'] as const;
      const counts = (r: Record<string, unknown>) => ({ ...Object.fromEntries(STATUSES.map((k) => [k, Number(r[k])])), compliance: r.compliance === null ? null : Number(r.compliance) });
      const summary = (breakdown: string, key: string, metric: string) => counts(sql.summary.find((r) => r.breakdown === breakdown && r.group_key === key && r.metric === metric)!);
      const res = engine.result;
      for (const m of ['first_response', 'resolution'] as const) expect(summary('all', '', m)).toEqual(res.metrics[m]);
      expect(summary('all', '', 'overall')).toEqual(res.overall);
      for (const field of ['priority', 'policy'] as const) {
        expect(sql.summary.filter((r) => r.breakdown === field && r.metric === 'overall')).toHaveLength(res.groups[field].length);
        for (const g of res.groups[field]) {
          expect(summary(field, g.key, 'overall')).toEqual(g.overall);
          for (const m of ['first_response', 'resolution'] as const) expect(summary(field, g.key, m)).toEqual(g.metrics[m]);
        }
      }
      // sla_objectives: each compliance objective's actual, tickets and verdict
      const compliance = res.objectives.filter((o) => o.metric !== undefined || o.kpi?.endsWith('.compliance'));
      expect(sql.objectives.map((o) => ({ actual: o.actual === null ? null : Number(o.actual), tickets: Number(o.tickets), passed: o.passed })))
        .toEqual(compliance.map((o) => ({ actual: o.actual, tickets: o.tickets, passed: o.skipped ? 'not judged' : o.passed ? 'passed' : 'failed' })));
    });
  });
}

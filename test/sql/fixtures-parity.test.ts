/**
 * The compiled SQL against the streaming engine on every hand-worked fixture with one row per
 * ticket (their minutes are worked out by hand in the fixtures' own tests): the same per-ticket
 * rows (status, target, elapsed, due and completion to the millisecond, and the CSV's text) on
 * DuckDB and on real PostgreSQL (PGlite). Fixtures the SQL refuses are tested in refusals.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { duckdbRunner, fixtureParity, pgliteRunner, type SqlRunner } from '../helpers/sql-parity.js';

/** fixture, --as-of (as its own test uses it), history file */
const FIXTURES: [string, string, string?][] = [
  ['engine/policy-match-and-business-hours', '2026-10-31T00:00'], // lunch breaks, holiday range, make-up day, bd, policy versions
  ['engine/new-york-dst', '2026-11-03T00:00'], // a DST change under a business day
  ['engine/not-measured', '2026-05-01T18:00'],
  ['engine/statuses-at-as-of', '2026-05-01T12:00'],
  ['engine/as-of-replay', '2026-05-02T00:00', 'history.csv'], // --as-of replay, pauses, reopen
  ['events/pauses-from-history', '2026-06-08T12:00', 'history.csv'], // pauses over a weekend, reopen, paused at --as-of
  ['input/customer-support-slice', '2024-01-01T00:00'],
  ['presets/zendesk', '2026-03-04T00:00'], // the vendor's first-reply minutes
  ['reports/categories', '2026-03-10T00:00'],
  ['reports/workbook', '2026-11-01T00:00'],
  ['reports/html-labels', '2026-11-01T00:00'],
  ['scorecards/kpi-sheet', '2026-06-01T00:00'],
  ['scorecards/kpi-catalogue', '2026-10-01T00:00', 'history.csv'],
  ['demo', '2026-11-01T00:00'], // 412 tickets: National Day, a make-up Saturday, lunch breaks, bd
];

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

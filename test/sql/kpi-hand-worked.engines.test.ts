/**
 * The KPI relations on a hand-worked case, on DuckDB, PGlite and a real PostgreSQL server:
 * medians of an even count (the mean of the two middle values), p90 by nearest rank at n = 10 and
 * n = 11, a group without completed times (NULL), repeat complaints inside and outside the window
 * at minute resolution, and a where-filtered KPI objective that fails. Every expected number is
 * worked out below by hand (a 24x7 calendar: business minutes are clock minutes).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { kpiRun, kpisOf } from '../helpers/sql-kpi-parity.js';
import { sqlEngines } from '../helpers/sql-engines.js';

const CONFIG = `timezone: UTC
tickets:
  columns: { id: id, created_at: created, first_response_at: replied, resolved_at: resolved, team: team, customer: customer, category: category }
categories:
  field: category
  repeat_within: 1h
policies:
  - name: Desk
    calendar: 24x7
    targets: { first_response: 1h, resolution: 100h }
objectives:
  - { kpi: resolution.median, max: 50m, where: { team: A } }
  - { kpi: resolution.p90, max: 100m, where: { team: B } }
`;

const at = (day: number, h: number, m: number, s = 0) => Date.UTC(2026, 2, day, h, m, s);
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19);
const MIN = 60_000;

/** id, created, resolution minutes (null: open, not replied), team, customer, category */
const TICKETS: [string, number, number | null, string, string, string][] = [
  // customer X, billing: 09:00:00; 09:59:59 (minute 09:59, 59 min after 09:00: a repeat); 11:00:30 (61 min
  // after 09:59: not); 12:00:59 (minute 12:00, 60 min after 11:00: a repeat, though 60 min 29 s after it)
  ['A1', at(2, 9, 0), 10, 'A', 'X', 'billing'],
  ['A2', at(2, 9, 59, 59), 20, 'A', 'X', 'billing'],
  ['A3', at(2, 11, 0, 30), 30, 'A', 'X', 'billing'],
  ['A4', at(2, 12, 0, 59), 40, 'A', 'X', 'billing'],
  ['A5', at(3, 1, 0), 50, 'A', '', ''],
  ['A6', at(3, 2, 0), 61, 'A', '', ''],
  ['A7', at(3, 3, 0), 70, 'A', '', ''],
  ['A8', at(3, 4, 0), 80, 'A', '', ''],
  ['A9', at(3, 5, 0), 90, 'A', '', ''],
  ['A10', at(3, 6, 0), 100, 'A', '', ''],
  // another customer in billing, and X in another category: no repeat
  ['B1', at(2, 9, 30), 10, 'B', 'Y', 'billing'],
  ['B2', at(2, 9, 10), 20, 'B', 'X', 'shipping'],
  ...[3, 4, 5, 6, 7, 8, 9, 10, 11].map((i): [string, number, number, string, string, string] => [`B${i}`, at(3, 7 + i, 0), 10 * i, 'B', '', '']),
  // open at --as-of 2026-03-04 10:30, 30 minutes old: running, nothing completed
  ['C1', at(4, 10, 0), null, 'C', '', ''],
  ['C2', at(4, 10, 0), null, 'C', '', ''],
];

describe.each(sqlEngines())('KPIs worked by hand on $name', (engine) => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sla-kpis-'));
    writeFileSync(join(dir, 'sla.yaml'), CONFIG);
    const rows = TICKETS.map(([id, c, res, team, cust, cat]) => [id, iso(c), res === null ? '' : iso(c + 5 * MIN), res === null ? '' : iso(c + res * MIN), team, cust, cat].join(','));
    writeFileSync(join(dir, 'tickets.csv'), `id,created,replied,resolved,team,customer,category\n${rows.join('\n')}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test.skipIf(engine.skip !== undefined)('medians, p90s, NULLs, repeats and a failing where: objective', async () => {
    const db = await engine.make();
    try {
      const r = await kpiRun(db, dir, '2026-03-04T10:30', { groupBy: ['team'] });
      const a = kpisOf(r.kpis, 'group', 'team', 'A');
      const b = kpisOf(r.kpis, 'group', 'team', 'B');
      const c = kpisOf(r.kpis, 'group', 'team', 'C');
      const all = kpisOf(r.kpis, 'overall', '', '');
      // A: 10 20 30 40 50 61 70 80 90 100 — median (50 + 61) / 2 = 55.5; p90 the ceil(9)-th = 90; mean 551 / 10
      expect([a['resolution.median'], a['resolution.p90'], a['resolution.mean']]).toEqual([55.5, 90, 55.1]);
      // B: 10 … 110 — median the 6th = 60; p90 the ceil(9.9)-th = 10th = 100; mean 660 / 11
      expect([b['resolution.median'], b['resolution.p90'], b['resolution.mean']]).toEqual([60, 100, 60]);
      // C: nothing completed — no time statistic, no compliance; both open
      expect([c['resolution.median'], c['resolution.p90'], c['resolution.mean'], c['first_response.median'], c['resolution.compliance'], c.tickets, c.backlog])
        .toEqual([null, null, null, null, null, 2, 2]);
      // all 21: 10 10 20 20 … 50 50 60 61 70 70 … 100 100 110 — median the 11th = 60; p90 the ceil(18.9)-th = 19th = 100;
      // mean 1211 / 21 = 57.666… → 57.67; first replies all at 5 minutes
      expect([all['resolution.median'], all['resolution.p90'], all['resolution.mean'], all['first_response.median'], all['first_response.p90']]).toEqual([60, 100, 57.67, 5, 5]);
      // repeats: A2 and A4 (both in A) of 23 tickets
      const repeats = Object.fromEntries(r.acc.map((x) => [`${x.scope} ${x.key}`, Number(x.repeats)]));
      expect([repeats['overall '], repeats['group A'], repeats['group B'], repeats['group C']]).toEqual([2, 2, 0, 0]);
      expect([all.repeat_rate, a.repeat_rate, b.repeat_rate]).toEqual([2 / 23, 0.2, 0]);
      // sla_acc_times holds A's ten values once each
      expect(r.times.filter((x) => x.key === 'A' && x.metric === 'resolution').map((x) => Number(x.elapsed_ms) / MIN).sort((x, y) => x - y)).toEqual([10, 20, 30, 40, 50, 61, 70, 80, 90, 100]);
      // objective 1: A's median 55.5 > 50 → failed on 10 completed; objective 2: B's p90 100 ≤ 100 → passed
      expect(r.objectives.map((o) => [Number(o.objective), Number(o.actual), Number(o.tickets), o.passed, o.detail])).toEqual([
        [1, 55.5, 10, 'failed', '55.50 > 50.00'],
        [2, 100, 11, 'passed', null],
      ]);
      // and the engine agrees
      expect(r.result.objectives.map((o) => [o.actual, o.tickets, o.passed])).toEqual([[55.5, 10, false], [100, 11, true]]);
    } finally {
      await db.close();
    }
  });
});

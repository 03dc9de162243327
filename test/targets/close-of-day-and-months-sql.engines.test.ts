/**
 * `Nbd@end` and `Nmo` targets compiled to SQL, worked by hand, on DuckDB, PGlite and a PostgreSQL
 * server: the same per-ticket rows as the streaming engine (fixtures/targets/* cover split days,
 * holidays, London's DST; the SQL parity tests run those too). UTC. Each ticket is resolved at its
 * due time (met, elapsed = target), so target, elapsed and due are the hand-worked figures.
 *
 * Night (calendar night, Mon-Fri 22:00-06:00: a window over midnight belongs to the day it starts
 * on), resolution 1bd@end, the close of the business day after day 0:
 *   N1 Tue 03-03 03:00, inside Monday's window: day 0 Monday; due Tuesday's close, Wed 04 06:00;
 *      Tue 03:00-06:00 + Tue 22:00-Wed 06:00 = 3 + 8 = 11 h = 660 min
 *   N2 Tue 03-03 12:00, outside hours on a day with hours (Tuesday's window opens at 22:00): day 0
 *      Tuesday; due Wednesday's close, Thu 05 06:00; 8 + 8 = 16 h = 960 min
 *   N3 Tue 03-03 06:00, the instant Monday's window ends (a window is [start, end)): as N2, 960 min
 *   N4 Sat 03-07 03:00, inside Friday's window: day 0 Friday; due Monday's close, Tue 10 06:00;
 *      Sat 03:00-06:00 + Mon 22:00-Tue 06:00 = 3 + 8 = 11 h = 660 min
 *   N5 Sat 03-07 12:00, a day without hours: day 0 the next business day, Monday; due Tuesday's
 *      close, Wed 11 06:00; 8 + 8 = 960 min
 *   N6 Mon 03-09 23:00, inside Monday's window: due Tuesday's close, Wed 11 06:00; 7 + 8 = 15 h = 900 min
 * Month (24x7), resolution P1 1mo, P2 12mo, the same wall time N months on, clamped to the month's end:
 *   M1 2026-03-31 10:00 + 1mo = 2026-04-30 10:00 (April has 30 days): 30 days = 43,200 min
 *   M2 2028-02-29 15:00 + 12mo = 2029-02-28 15:00 (no 29 February in 2029): 365 days = 525,600 min
 *   M3 2026-01-31 23:59 + 1mo = 2026-02-28 23:59: 28 days = 40,320 min
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixtureParity, minuteRows } from '../helpers/sql-parity.js';
import { sqlEngines } from '../helpers/sql-engines.js';

const CONFIG = `timezone: UTC
calendars:
  night:
    hours:
      mon-fri: [22:00-06:00]
tickets:
  columns: { id: id, created_at: created, resolved_at: resolved, priority: priority }
priorities:
  P1: [P1]
  P2: [P2]
policies:
  - name: Night
    when: { kind: night }
    calendar: night
    targets: { resolution: 1bd@end }
  - name: Month
    calendar: 24x7
    targets:
      resolution: { P1: 1mo, P2: 12mo }
`;

/** id, kind, priority, created, due (= resolved), target minutes */
const TICKETS: [string, string, string, string, string, number][] = [
  ['N1', 'night', 'P1', '2026-03-03T03:00', '2026-03-04T06:00', 660],
  ['N2', 'night', 'P1', '2026-03-03T12:00', '2026-03-05T06:00', 960],
  ['N3', 'night', 'P1', '2026-03-03T06:00', '2026-03-05T06:00', 960],
  ['N4', 'night', 'P1', '2026-03-07T03:00', '2026-03-10T06:00', 660],
  ['N5', 'night', 'P1', '2026-03-07T12:00', '2026-03-11T06:00', 960],
  ['N6', 'night', 'P1', '2026-03-09T23:00', '2026-03-11T06:00', 900],
  ['M1', 'month', 'P1', '2026-03-31T10:00', '2026-04-30T10:00', 43_200],
  ['M2', 'month', 'P2', '2028-02-29T15:00', '2029-02-28T15:00', 525_600],
  ['M3', 'month', 'P1', '2026-01-31T23:59', '2026-02-28T23:59', 40_320],
];

const EXPECTED = TICKETS.map(([id, , , , due, target]) => [id, 'resolution', 'met', target, target, `${due}:00Z`]);

describe.each(sqlEngines())('Nbd@end and Nmo in SQL, worked by hand, on $name', (engine) => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sla-end-months-'));
    writeFileSync(join(dir, 'sla.yaml'), CONFIG);
    writeFileSync(join(dir, 'tickets.csv'), `id,kind,priority,created,resolved\n${TICKETS.map(([id, kind, prio, c, r]) => [id, kind, prio, c, r].join(',')).join('\n')}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test.skipIf(engine.skip !== undefined)('the targets, elapsed times and due times of the engine, and no problem row', async () => {
    const db = await engine.make();
    try {
      const { engine: streaming, sql } = await fixtureParity(db, dir, '2029-03-10T00:00');
      const resolution = (rows: typeof sql.rows) => minuteRows(rows.filter((r) => r.metric === 'resolution'));
      expect(resolution(streaming.rows)).toEqual(EXPECTED);
      expect(resolution(sql.rows)).toEqual(EXPECTED);
      expect(sql.problems).toEqual([]);
      expect(sql.text).toEqual(streaming.csv);
    } finally {
      await db.close();
    }
  });
});

import { expect, test } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFixture } from '../engine/run.js';
import { cli } from '../cli/run.js';

// 25 real rows (4 incidents, shuffled) from the ServiceNow event log; preset servicenow.
// Calendar Mon-Fri 08:00-18:00 UTC (10h a day). 2016-02-29 and 2016-03-07 are Mondays.
const min = (ms: number) => ms / 60_000;

test('real ServiceNow rows: one ticket per incident, pauses on Awaiting states, reopen, first response by status', async () => {
  const { result, tickets } = await runFixture('presets/servicenow', '2016-06-01T00:00', {}, 'incidents.csv');
  expect(result.totals).toEqual({ rows: 25, tickets: 4, evaluated: 4, problems: 0, outside_range: 0 });
  const get = (id: string) => tickets.get(id)!.map((r) => [r.status, min(r.elapsedMs)]);

  // INC0000045 opened Mon 01:16 (clock starts 08:00); first "Resolved" state at 08:53 = first response (53m);
  // resolved_at 11:29 → 3h29m = 209m. Resolved then Closed is not a reopen.
  expect(get('INC0000045')).toEqual([['met', 53], ['met', 209]]);

  // INC0000074 opened 08:23 and Active at once (response 0m); Awaiting User Info 08:38 → Resolved 11 Apr:
  // only 08:23-08:38 counts = 15m.
  expect(get('INC0000074')).toEqual([['met', 0], ['met', 15]]);

  // INC0000084 (4 - Low): Active 08:39, Awaiting User Info 09:11 → resolved: 32m.
  expect(get('INC0000084')).toEqual([['met', 0], ['met', 32]]);

  // INC0001068 opened Wed 2 Mar 09:42; New until Awaiting User Info at Mon 7 Mar 10:17 (same minute as a New
  // row: sys_mod_count orders them); resolved Wed 9 Mar 14:01 before ever being Active, so that is its first
  // response: Wed 8h18m + Thu 10h + Fri 10h + Mon 2h17m = 30h35m = 1835m > 4h: breached.
  // Reopened (Active) Thu 17 Mar 16:28, resolved 16:29: resolution = 1835 + 1 = 1836m ≤ 5bd (50h): met.
  expect(get('INC0001068')).toEqual([['breached', 1835], ['met', 1836]]);
  // due: 19h25m left after the pause and the resolved gap, from Thu 17 Mar 16:28:
  // Thu 1h32m, Fri 10h, Mon 21 Mar 08:00 + 7h53m = 15:53
  expect(new Date(tickets.get('INC0001068')![1].due).toISOString()).toBe('2016-03-21T15:53:00.000Z');
});

test('init --preset servicenow writes a starter that validate accepts', async () => {
  const d = mkdtempSync(join(tmpdir(), 'sla-servicenow-'));
  expect((await cli(['init', '--preset', 'servicenow'], { cwd: d })).exitCode).toBe(0);
  expect((await cli(['validate'], { cwd: d })).exitCode).toBe(0);
});

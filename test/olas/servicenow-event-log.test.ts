import { expect, test } from 'vitest';
import { cli } from '../cli/run.js';
import { runFixture } from '../engine/run.js';

// Two incidents of the real ServiceNow event log (../shared/data/real), all their rows: the preset maps team to
// assignment_group, so every row's group is the incident's group at that update (rows ordered by
// sys_updated_at, then sys_mod_count). Calendar service-desk Mon-Fri 08:00-18:00 UTC; 2016-02-29 is a Monday.
// OLAs: Group 70 1h, Group 33 8h, both with the policy's pauses (the preset's Awaiting * statuses).
const DIR = 'olas/servicenow-event-log';
const min = (ms: number) => ms / 60_000;

test('stints from the event log: a group assigned twice, a stint of zero length, pauses of the preset', async () => {
  const { result, tickets } = await runFixture(DIR, '2016-06-01', {}, 'incidents.csv');
  const of = (id: string) => tickets.get(id)!.slice(2).map((r) => [r.status, min(r.elapsedMs), r.intervals]);
  // INC0000065: Group 5 07:46 → 08:26 (mod 3 is still Group 5, mod 4 at the same minute is Group 70) → Group 70
  // 08:26-09:19 (53m) → Group 15 09:19-09:27 → Group 70 09:27-11:17 (110m > 60m: breached, the worst of its two)
  // → Group 12 → Group 15 14:51 → Group 33 Tue 1 Mar 16:52-18:00 (68m) + Wed 08:00-15:17 (437m); "Awaiting User
  // Info" 15:17 until the resolution at 15:21 is paused → 505m > 480m: breached.
  expect(of('INC0000065')).toEqual([['breached', 110, 2], ['breached', 505, 1]]);
  // INC0000089: Group 68 09:03 → at 09:14 three rows (mod 1, 2, 3): Group 68, Group 70, Group 58: Group 70 holds
  // it for 0 minutes (met) → Group 58 until Wed 11:42 → Group 33 11:42-14:20 (158m), then "Awaiting Problem" until
  // the resolution on Thu 14:35 pauses it → 158m (met).
  expect(of('INC0000089')).toEqual([['met', 0, 1], ['met', 158, 1]]);
  const k = result.kpis;
  // hand-offs: INC0000065 5→70→15→70→12→15→33 = 6, INC0000089 68→70→58→33 = 3 → mean 4.5, both handed off
  expect([k['handoffs.mean'], k.handoff_rate]).toEqual([4.5, 1]);
  // Group 70 held INC0000065 53 + 110 = 163m and INC0000089 0m: median (0 + 163) / 2 = 81.5, p90 the 2nd = 163
  // Group 33: 505 and 158: median 331.5, p90 505
  expect([k['group_time.Group 70.median'], k['group_time.Group 70.p90'], k['group_time.Group 33.median'], k['group_time.Group 33.p90']]).toEqual([81.5, 163, 331.5, 505]);
  expect([k['ola.Group 70.compliance'], k['ola.Group 33.compliance'], k['ola.compliance']]).toEqual([0.5, 0.5, 0.5]);
  expect(result.totals).toMatchObject({ rows: 23, tickets: 2, evaluated: 2, problems: 0 });
});

test('explain: the time from the first hand-off to the resolution leaves out the policy\'s pauses', async () => {
  const r = await cli(['explain', 'INC0000089', '-c', `fixtures/${DIR}/sla.yaml`, `fixtures/${DIR}/incidents.csv`, '--as-of', '2016-06-01', '-f', 'json']);
  const g = JSON.parse(r.stdout).groups;
  expect(g.stints.map((s: { group: string; business_minutes: number; status: string | null }) => [s.group, s.business_minutes, s.status])).toEqual([
    ['Group 68', 11, null], ['Group 70', 0, 'met'],
    // Mon 09:14-18:00 (526) + Tue (600) + Wed 08:00-11:42 (222)
    ['Group 58', 1348, null], ['Group 33', 158, 'met'],
  ]);
  // Mon 09:14 → Thu 14:35: 526 + 600 + 600 + 395 = 2121, less "Awaiting Problem" Wed 14:20-18:00 (220) and Thu
  // 08:00-14:35 (395) = 1506
  expect([g.handoffs, g.first_handoff_at, g.handoff_to_resolution_minutes]).toEqual([3, '2016-02-29T09:14:00+00:00', 1506]);
});

import { join } from 'node:path';
import { expect, test } from 'vitest';
import { FIXTURES, runFixture } from '../engine/run.js';
import { Zone } from '../../src/time/zone.js';

// Asia/Shanghai; support = Mon-Fri 09:00-12:00 + 13:00-18:00 (8h a day, close 18:00); Fri 20 Mar 2026
// is a holiday. 2026-03-02 and 2026-03-16 are Mondays. P2 has 2bd@end, P1 the old 2bd for contrast.
// Day 0 (GLPI's rule): the day the ticket was created when that day has working hours (whatever the
// hour), else the next day that has; due = the close of the 2nd business day after day 0.
const DIR = 'targets/close-of-business-day';
const AS_OF = '2026-03-23T17:00';
const Z = Zone.of('Asia/Shanghai');
const min = (ms: number) => ms / 60_000;

test('2bd@end: mid-morning, on a Saturday, after the close, in the lunch gap, over a holiday', async () => {
  const { tickets } = await runFixture(DIR, AS_OF);
  const res = (id: string) => tickets.get(id)![1];

  // E1 created Mon 2 Mar 10:30 (mid-morning): day 0 Mon, due the close of Wed 4 Mar, 18:00.
  // Target: Mon 10:30-12:00 (90) + 13:00-18:00 (300) + Tue 480 + Wed 480 = 1350m.
  // Resolved Wed 17:00: 390 + 480 + Wed 09-12 (180) + 13-17 (240) = 1290m: met.
  expect(Z.format(res('E1').due)).toBe('2026-03-04T18:00:00+08:00');
  expect(res('E1')).toMatchObject({ status: 'met', targetMs: 1350 * 60_000, elapsedMs: 1290 * 60_000 });

  // E2 created Sat 7 Mar 11:00: a day off, so day 0 is Mon 9 Mar (clock start 09:00); due the close of
  // Wed 11 Mar. Target Mon + Tue + Wed = 3 × 480 = 1440m. Resolved Wed 18:00, the due itself: met.
  expect(Z.format(res('E2').clockStart)).toBe('2026-03-09T09:00:00+08:00');
  expect(Z.format(res('E2').due)).toBe('2026-03-11T18:00:00+08:00');
  expect(res('E2')).toMatchObject({ status: 'met', targetMs: 1440 * 60_000, elapsedMs: 1440 * 60_000 });

  // E3 created Mon 16 Mar 19:30, after the close: Monday is still day 0 (it has working hours), so
  // the due is the close of Wed 18 Mar, 18:00; the clock starts Tue 09:00. Target Tue + Wed = 960m.
  // Resolved Thu 19 Mar 10:00: 480 + 480 + 60 = 1020m: breached by 60m.
  expect(Z.format(res('E3').clockStart)).toBe('2026-03-17T09:00:00+08:00');
  expect(Z.format(res('E3').due)).toBe('2026-03-18T18:00:00+08:00');
  expect(res('E3')).toMatchObject({ status: 'breached', targetMs: 960 * 60_000, elapsedMs: 1020 * 60_000 });

  // E4 created Wed 18 Mar 12:30, in the lunch gap of a split day: day 0 Wed, clock from 13:00.
  // Business day 1 = Thu 19, Fri 20 is the holiday, day 2 = Mon 23: due Mon 23 Mar 18:00.
  // Target: Wed 13-18 (300) + Thu 480 + Mon 480 = 1260m. Open at Mon 17:00: 300 + 480 + Mon 09-12
  // (180) + 13-17 (240) = 1200m = 95% of 1260 ≥ warn_at 75%: at_risk.
  expect(Z.format(res('E4').clockStart)).toBe('2026-03-18T13:00:00+08:00');
  expect(Z.format(res('E4').due)).toBe('2026-03-23T18:00:00+08:00');
  expect(res('E4')).toMatchObject({ status: 'at_risk', targetMs: 1260 * 60_000, elapsedMs: 1200 * 60_000 });

  // E5 created Thu 19 Mar 09:00 (the opening): day 0 Thu; Fri the holiday; days 1 and 2 = Mon 23,
  // Tue 24: due Tue 24 Mar 18:00. Target Thu + Mon + Tue = 1440m. Resolved Mon 16:00: 480 + 180 + 180 = 840m: met.
  expect(Z.format(res('E5').due)).toBe('2026-03-24T18:00:00+08:00');
  expect(res('E5')).toMatchObject({ status: 'met', targetMs: 1440 * 60_000, elapsedMs: 840 * 60_000 });

  // E6 (P1, plain 2bd) created like E1, Mon 10:30 = 90m into the day: Wed 4 Mar at 90m in = 10:30
  // (not the close). Target 390 + 480 + 90 = 960m. Resolved Wed 11:00: 990m: breached by 30m.
  expect(Z.format(res('E6').due)).toBe('2026-03-04T10:30:00+08:00');
  expect(res('E6')).toMatchObject({ status: 'breached', targetMs: 960 * 60_000, elapsedMs: 990 * 60_000 });
});

test('a pause moves an @end due on by the business time it holds (as for every target)', async () => {
  const { tickets } = await runFixture(DIR, AS_OF, { events: [join(FIXTURES, DIR, 'history.csv')] });
  const res = (id: string) => tickets.get(id)![1];
  // E1 Pending Tue 3 Mar 10:00-11:00 (60m of business time): the target stays 1350m, measured from
  // creation; the due moves from Wed 18:00 by 60 business minutes to Thu 5 Mar 10:00. Elapsed 1290 - 60 = 1230m.
  expect(Z.format(res('E1').due)).toBe('2026-03-05T10:00:00+08:00');
  expect(res('E1')).toMatchObject({ status: 'met', targetMs: 1350 * 60_000, elapsedMs: 1230 * 60_000 });
  // E4 Pending from Mon 23 Mar 10:00 and still at --as-of: no due time (SPEC §3); elapsed
  // 300 + 480 + Mon 09-10 (60) = 840m of 1260 = 67%: running.
  expect(res('E4').due).toBe(Infinity);
  expect(res('E4')).toMatchObject({ status: 'running', targetMs: 1260 * 60_000, elapsedMs: 840 * 60_000 });
});

test('minutes of each target in the per-ticket CSV vary by ticket', async () => {
  const { tickets } = await runFixture(DIR, AS_OF);
  // 1350, 1440, 960, 1260, 1440 (worked above) for the same 2bd@end
  expect(['E1', 'E2', 'E3', 'E4', 'E5'].map((id) => min(tickets.get(id)![1].targetMs))).toEqual([1350, 1440, 960, 1260, 1440]);
});

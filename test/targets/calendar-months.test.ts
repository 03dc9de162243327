import { join } from 'node:path';
import { expect, test } from 'vitest';
import { FIXTURES, runFixture } from '../engine/run.js';
import { Zone } from '../../src/time/zone.js';

// Europe/London, 24x7. P3 has 1mo, P4 2mo: the same wall time N months on, clamped to the month's last
// day. London: GMT (+00) in winter, BST (+01) from the last Sunday of March (29 Mar 2026, 01:00 → 02:00)
// to the last Sunday of October (25 Oct 2026, 02:00 BST → 01:00 GMT).
const DIR = 'targets/calendar-months';
const AS_OF = '2028-03-15T00:00';
const Z = Zone.of('Europe/London');
const DAY = 24 * 60;

test('1mo and 2mo: month ends, a leap year, both DST changes, a skipped and a repeated wall time', async () => {
  const { tickets } = await runFixture(DIR, AS_OF);
  const res = (id: string) => tickets.get(id)![1];

  // M1: Sat 31 Jan 2026 10:00 GMT + 1mo = 28 Feb 10:00 (no 31 Feb; 2026 is not a leap year): 28 days.
  expect(Z.format(res('M1').due)).toBe('2026-02-28T10:00:00+00:00');
  expect(res('M1')).toMatchObject({ status: 'met', targetMs: 28 * DAY * 60_000, elapsedMs: 28 * DAY * 60_000 });
  // M2: 31 Jan 2028 10:00 + 1mo = 29 Feb 2028 10:00 (a leap year): 29 days; resolved a minute later: breached.
  expect(Z.format(res('M2').due)).toBe('2028-02-29T10:00:00+00:00');
  expect(res('M2')).toMatchObject({ status: 'breached', targetMs: 29 * DAY * 60_000, elapsedMs: (29 * DAY + 1) * 60_000 });
  // M3: 30 Apr 09:00 BST + 1mo = 30 May 09:00 BST (30 May exists: no clamping): 30 days.
  expect(Z.format(res('M3').due)).toBe('2026-05-30T09:00:00+01:00');
  expect(res('M3').targetMs).toBe(30 * DAY * 60_000);
  // M4: 10 Mar 12:00 GMT + 1mo = 10 Apr 12:00 BST: 31 days less the hour the clocks skipped = 44,580m.
  // Still open at --as-of 2028: overdue.
  expect(Z.format(res('M4').due)).toBe('2026-04-10T12:00:00+01:00');
  expect(res('M4')).toMatchObject({ status: 'overdue', targetMs: (31 * DAY - 60) * 60_000 });
  // M5: 10 Oct 12:00 BST + 1mo = 10 Nov 12:00 GMT: 31 days and the hour repeated = 44,700m;
  // resolved 11:59 GMT: 44,699m: met.
  expect(Z.format(res('M5').due)).toBe('2026-11-10T12:00:00+00:00');
  expect(res('M5')).toMatchObject({ status: 'met', targetMs: (31 * DAY + 60) * 60_000, elapsedMs: (31 * DAY + 59) * 60_000 });
  // M6 (2mo): 29 Jan 01:30 GMT + 2mo = 29 Mar 01:30, a wall time the clocks skip: it moves on by the
  // gap to 02:30 BST = 01:30 UTC (SPEC §3). 29 Jan → 29 Mar = 2 + 28 + 29 = 59 days = 84,960m.
  expect(Z.format(res('M6').due)).toBe('2026-03-29T02:30:00+01:00');
  expect(res('M6')).toMatchObject({ status: 'met', targetMs: 59 * DAY * 60_000 });
  // M7: 25 Sep 01:30 BST + 1mo = 25 Oct 01:30, which happens twice: the earlier (BST, 00:30 UTC) is
  // the due, 30 days on. Resolved "2026-10-25 01:30" (naive: the earlier too): exactly due, met.
  expect(Z.format(res('M7').due)).toBe('2026-10-25T01:30:00+01:00');
  expect(res('M7')).toMatchObject({ status: 'met', targetMs: 30 * DAY * 60_000, elapsedMs: 30 * DAY * 60_000 });
});

test('a pause moves a month target\'s due on by the time it holds', async () => {
  const { tickets } = await runFixture(DIR, AS_OF, { events: [join(FIXTURES, DIR, 'history.csv')] });
  const m3 = tickets.get('M3')![1];
  // M3 Pending 1 May 00:00 → 3 May 00:00 (48h): due 30 May 09:00 + 48h = 1 Jun 09:00 BST; the target
  // stays 30 days; elapsed 30 Apr 09:00 → 20 May 09:00 = 20 days less 48h = 18 days = 25,920m.
  expect(Z.format(m3.due)).toBe('2026-06-01T09:00:00+01:00');
  expect(m3).toMatchObject({ status: 'met', targetMs: 30 * DAY * 60_000, elapsedMs: 18 * DAY * 60_000 });
});

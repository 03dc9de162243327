/**
 * Nbd@end and Nmo against independent slow computations with luxon (its own zone rules and month
 * arithmetic), on random calendars and instants: the engine's laid-out windows and day counts, and
 * its wall-clock month arithmetic, must name the same due instants.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { BusinessCalendar, type DayWindow } from '../../src/calendar/calendar.js';
import { addMonths } from '../../src/time/months.js';
import { Zone } from '../../src/time/zone.js';

// day patterns: a split day, a night shift over midnight (22:00-06:00), a day off, a short day
const PATTERNS: DayWindow[][] = [[{ start: 540, end: 720 }, { start: 780, end: 1080 }], [{ start: 1320, end: 1800 }], [], [{ start: 600, end: 960 }]];

/** The windows of a local day (yyyy-mm-dd) as [start, end) instants, from the spec, by luxon. */
function windowsOf(day: DateTime, weekly: DayWindow[][], holidays: Set<string>): [number, number][] {
  if (holidays.has(day.toISODate()!)) return [];
  return weekly[day.weekday % 7].map((w) => [day.plus({ minutes: w.start }).toMillis(), day.plus({ minutes: w.end }).toMillis()]);
}

/**
 * GLPI's rule written out: day 0 is the day whose window holds `t`, else t's local day when it has
 * windows, else the next day that has; then N more days with windows; the last window's end.
 */
function referenceClose(t: number, days: number, zone: string, weekly: DayWindow[][], holidays: Set<string>): number {
  const local = DateTime.fromMillis(t, { zone }).startOf('day');
  let day0: DateTime | undefined;
  for (const d of [local.minus({ days: 1 }), local]) {
    if (windowsOf(d, weekly, holidays).some(([s, e]) => s <= t && t < e)) day0 = d;
  }
  let d = day0 ?? local;
  if (!day0) while (!windowsOf(d, weekly, holidays).length) d = d.plus({ days: 1 });
  for (let n = 0; n < days; ) {
    d = d.plus({ days: 1 });
    if (windowsOf(d, weekly, holidays).length) n++;
  }
  const w = windowsOf(d, weekly, holidays);
  return w[w.length - 1][1];
}

describe('independent references', () => {
  test('Nbd@end: the close of the Nth business day after day 0', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('Asia/Shanghai', 'UTC', 'America/Sao_Paulo'),
        fc.array(fc.integer({ min: 0, max: PATTERNS.length - 1 }), { minLength: 7, maxLength: 7 }),
        fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 4 }),
        fc.integer({ min: 0, max: 20 * 1440 }),
        fc.integer({ min: 1, max: 12 }),
        (zoneName, pattern, holidayOffsets, startMin, days) => {
          const weekly = pattern.map((p) => PATTERNS[p]);
          if (weekly.every((d) => d.length === 0)) weekly[1] = PATTERNS[0];
          const base = DateTime.fromISO('2026-06-01', { zone: zoneName });
          const holidays = new Set(holidayOffsets.map((o) => base.plus({ days: o }).toISODate()!));
          const dayNum = (iso: string) => Math.floor(Date.parse(iso + 'T00:00:00Z') / 86_400_000);
          const cal = new BusinessCalendar({ name: 'r', zone: Zone.of(zoneName), weekly, holidays: new Set([...holidays].map(dayNum)), workdays: new Map() });
          const t = base.toMillis() + startMin * 60_000;
          expect(cal.closeOfBusinessDay(t, days).due).toBe(referenceClose(t, days, zoneName, weekly, holidays));
        },
      ),
      { numRuns: 400, seed: 18 },
    );
  });

  test('Nmo: luxon\'s month arithmetic (same wall time, clamped at month ends) wherever the wall time exists once', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('Europe/London', 'America/New_York', 'Australia/Sydney', 'Asia/Shanghai'),
        fc.integer({ min: 0, max: 3 * 366 * 1440 }),
        fc.integer({ min: 1, max: 120 }),
        (zoneName, startMin, months) => {
          const t = Date.UTC(2025, 0, 1) + startMin * 60_000;
          const want = DateTime.fromMillis(t, { zone: zoneName }).plus({ months });
          const from = DateTime.fromMillis(t, { zone: zoneName });
          // luxon keeps the wall time when it exists once; skipped and repeated wall times are SPEC §3's (tested by hand)
          const exact = DateTime.fromObject({ year: want.year, month: want.month, day: want.day, hour: from.hour, minute: from.minute }, { zone: zoneName });
          fc.pre(exact.hour === from.hour && exact.minute === from.minute && exact.minus({ hours: 1 }).offset === exact.plus({ hours: 1 }).offset);
          expect(addMonths(Zone.of(zoneName), t, months)).toBe(want.toMillis());
        },
      ),
      { numRuns: 600, seed: 18 },
    );
  });
});

test('1bd@end on 24x7 is the end of the next local day (hand-worked, over the spring-forward day)', () => {
  const zone = Zone.of('Europe/London');
  const allDay = [{ start: 0, end: 1440 }];
  const cal = new BusinessCalendar({ name: '24x7', zone, weekly: Array(7).fill(allDay), holidays: new Set(), workdays: new Map() });
  // created Sat 28 Mar 2026 15:00 GMT: day 0 Sat; day 1 Sun 29 Mar, 23 hours long (01:00 → 02:00);
  // its close is Mon 00:00 BST = Sun 23:00 UTC. Business time: Sat 9h + Sun 23h = 32h.
  const created = Date.UTC(2026, 2, 28, 15);
  const { due, day0 } = cal.closeOfBusinessDay(created, 1);
  expect(zone.format(due)).toBe('2026-03-30T00:00:00+01:00');
  expect(day0).toBe(Math.floor(Date.UTC(2026, 2, 28) / 86_400_000));
  expect(cal.elapsed(created, due)).toBe(32 * 3_600_000);
});

import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { BusinessCalendar, type DayWindow } from '../../src/calendar/calendar.js';
import { Zone } from '../../src/time/zone.js';

/**
 * An independent, slow reference: walk minute by minute, ask Luxon for the local date and time of
 * each minute, and check it against the weekly windows, holidays and make-up days directly.
 */
const offsetCache = new Map<string, number>();
/** Luxon's UTC offset (minutes); zones change offset only on quarter hours, so ask once per 15 minutes. */
function offsetOf(ms: number, zone: string): number {
  const q = Math.floor(ms / 900_000);
  const key = `${zone}:${q}`;
  let o = offsetCache.get(key);
  if (o === undefined) offsetCache.set(key, (o = DateTime.fromMillis(q * 900_000, { zone }).offset));
  return o;
}

function referenceIsOpen(ms: number, zone: string, weekly: DayWindow[][], holidays: Set<string>, workdays: Map<string, DayWindow[]>): boolean {
  const local = new Date(ms + offsetOf(ms, zone) * 60_000); // read with getUTC*: the local wall clock
  const tod = local.getUTCHours() * 60 + local.getUTCMinutes();
  const windowsOf = (d: Date) => {
    const key = d.toISOString().slice(0, 10);
    if (workdays.has(key)) return workdays.get(key)!;
    if (holidays.has(key)) return [];
    return weekly[d.getUTCDay()];
  };
  // a window of today, or a window of yesterday that runs past midnight
  if (windowsOf(local).some((w) => tod >= w.start && tod < w.end)) return true;
  const y = new Date(local.getTime() - 86_400_000);
  return windowsOf(y).some((w) => w.end > 1440 && tod + 1440 < w.end);
}

const windowArb = fc
  .tuple(fc.integer({ min: 0, max: 47 }), fc.integer({ min: 1, max: 20 }))
  .map(([s, len]) => ({ start: s * 30, end: s * 30 + len * 30 }));
const dayArb = fc
  .array(windowArb, { maxLength: 3 })
  .map((ws) => {
    // sort and drop overlaps, as the config loader refuses overlapping windows
    const out: DayWindow[] = [];
    for (const w of ws.sort((a, b) => a.start - b.start)) {
      if (!out.length || w.start >= out[out.length - 1].end) out.push(w);
    }
    return out;
  });

const ZONES = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'UTC'];

describe('business clock against a minute-by-minute reference', () => {
  test('elapsed and due agree on random calendars and intervals (500 cases)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.array(dayArb, { minLength: 7, maxLength: 7 }),
        fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 3 }),
        fc.integer({ min: 0, max: 9 }),
        // around the 2026 DST changes: mid March and early November, and early April for Lord Howe
        fc.constantFrom('2026-03-06', '2026-10-30', '2026-04-02', '2026-03-27'),
        fc.integer({ min: 0, max: 3 * 1440 }),
        fc.integer({ min: 0, max: 2 * 1440 }),
        fc.integer({ min: 0, max: 600 }),
        (zoneName, weekly, holidayOffsets, workdayOffset, baseDay, startMin, lenMin, targetMin) => {
          if (weekly.every((d) => d.length === 0)) weekly[1] = [{ start: 540, end: 1080 }];
          const zone = Zone.of(zoneName);
          const base = DateTime.fromISO(baseDay, { zone: zoneName });
          const holidays = new Set(holidayOffsets.map((o) => base.plus({ days: o }).toISODate()!));
          const workKey = base.plus({ days: workdayOffset }).toISODate()!;
          const workdays = new Map([[workKey, [{ start: 600, end: 900 }]]]);
          const dayNum = (iso: string) => Math.floor(Date.parse(iso + 'T00:00:00Z') / 86_400_000);
          const cal = new BusinessCalendar({
            name: 'r', zone, weekly,
            holidays: new Set([...holidays].map(dayNum)),
            workdays: new Map([[dayNum(workKey), workdays.get(workKey)!]]),
          });
          const a = base.toMillis() + startMin * 60_000;
          const b = a + lenMin * 60_000;
          let ref = 0;
          for (let m = a; m < b; m += 60_000) if (referenceIsOpen(m, zoneName, weekly, holidays, workdays)) ref++;
          expect(cal.elapsed(a, b) / 60_000).toBe(ref);

          // due: the end of the minute in which the target-th business minute is counted
          let count = 0;
          let due = targetMin === 0 ? a : NaN;
          for (let m = a; count < targetMin && m < a + 20 * 1440 * 60_000; m += 60_000) {
            if (referenceIsOpen(m, zoneName, weekly, holidays, workdays) && ++count === targetMin) due = m + 60_000;
          }
          if (!Number.isNaN(due)) expect(cal.dueAfter(a, targetMin * 60_000)).toBe(due);
        },
      ),
      { numRuns: 500, seed: 20261123 },
    );
  });
});

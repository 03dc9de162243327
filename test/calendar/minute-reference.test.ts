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

const ZONES = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Australia/Sydney', 'UTC'];

describe('business clock against a minute-by-minute reference', () => {
  test('elapsed and due agree on random calendars and intervals (500 cases)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.array(dayArb, { minLength: 7, maxLength: 7 }),
        fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 3 }),
        fc.integer({ min: 0, max: 9 }),
        // around the 2026 DST changes: mid March and early November, early April for Lord Howe and
        // Sydney, and the fall-backs of London (25 Oct), New York (1 Nov) and Sydney (5 Apr)
        fc.constantFrom('2026-03-06', '2026-10-30', '2026-04-02', '2026-03-27', '2026-10-23', '2026-10-24', '2026-10-31', '2026-04-04'),
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

/**
 * Fall-back days, window by window: a wall time in the repeated hour happens twice, and each pass
 * inside a window is business time ("a window over the repeated hour is an hour longer"). Every
 * minute of the two days around the change is checked against the walk above: business time from
 * the start of the walk up to each minute, and the due time of every whole number of minutes.
 */
const FALL_BACKS = [
  // zone, the fall-back Sunday, the first minute of the repeated wall hour
  ['Europe/London', '2026-10-25', 60], // 02:00 BST -> 01:00 GMT at 01:00Z: 01:00-02:00 twice
  ['America/New_York', '2026-11-01', 60], // 02:00 EDT -> 01:00 EST at 06:00Z: 01:00-02:00 twice
  ['Australia/Sydney', '2026-04-05', 120], // 03:00 AEDT -> 02:00 AEST at 16:00Z on 4 Apr: 02:00-03:00 twice
] as const;

/**
 * Shapes of windows around the repeated hour, whose first wall minute is r: [weekday (0 = Sunday, the
 * fall-back day; 6 = Saturday, the day before), start, end] in minutes from that day's midnight.
 */
const SHAPES: [string, (r: number) => [number, number, number][]][] = [
  // London: 00:00-01:30 and 01:45-06:00, the case an independent reference found
  ['an earlier window, then one starting inside the repeated hour', (r) => [[0, r - 60, r + 30], [0, r + 45, r + 300]]],
  ['a window ending inside', (r) => [[0, r - 50, r + 30]]],
  ['a window starting inside', (r) => [[0, r + 30, r + 180]]],
  ['a window spanning it', (r) => [[0, r - 60, r + 120]]],
  ['two windows inside it', (r) => [[0, r, r + 20], [0, r + 30, r + 50]]],
  ['a window ending inside, the next starting where the first ended', (r) => [[0, r - 60, r + 30], [0, r + 30, r + 90]]],
  // Saturday 22:00 to Sunday r+30 (over midnight), then Sunday's window from r+45
  ['a night window ending inside, then one starting inside', (r) => [[6, 1320, 1440 + r + 30], [0, r + 45, r + 300]]],
];

describe('fall-back days: each pass of the repeated hour inside a window counts', () => {
  const cases = FALL_BACKS.flatMap(([zoneName, day, r]) => SHAPES.map(([what, wins]) => [zoneName, day, r, what, wins] as const));
  test.each(cases)('%s %s (repeated hour from minute %i): %s', (zoneName, day, r, _what, wins) => {
    const weekly: DayWindow[][] = Array.from({ length: 7 }, () => []);
    for (const [wd, start, end] of wins(r)) weekly[wd].push({ start, end });
    const cal = new BusinessCalendar({ name: 'f', zone: Zone.of(zoneName), weekly, holidays: new Set(), workdays: new Map() });
    const a = DateTime.fromISO(day, { zone: zoneName }).minus({ days: 1 }).toMillis();
    const b = a + 2 * 1440 * 60_000;
    let count = 0;
    const dues: number[] = [];
    for (let m = a; m < b; m += 60_000) {
      expect(cal.elapsed(a, m)).toBe(count * 60_000);
      if (referenceIsOpen(m, zoneName, weekly, new Set(), new Map())) dues.push(m + 60_000), count++;
    }
    expect(cal.elapsed(a, b)).toBe(count * 60_000);
    dues.forEach((due, k) => expect(cal.dueAfter(a, (k + 1) * 60_000)).toBe(due));
    // the spine (`calendar -f csv`, the SQL engines' windows) holds the same minutes, in time order
    const spine = cal.windows(a, b);
    expect(spine.reduce((n, w) => n + (w.end - w.start), 0)).toBe(count * 60_000);
    spine.forEach((w, i) => {
      expect(w.cumMinutes).toBe(i === 0 ? 0 : spine[i - 1].cumMinutes + (spine[i - 1].end - spine[i - 1].start) / 60_000);
      if (i > 0) expect(w.start).toBeGreaterThanOrEqual(spine[i - 1].end);
    });
  });

  test('London 2026-10-25, 00:00-01:30 and 01:45-06:00, by hand', () => {
    // BST (+1) until 01:00Z, GMT after. 00:00-01:30: 23:00Z-00:30Z (first pass, 90 min) and 01:00Z-01:30Z
    // (the repeated 01:00-01:30, 30 min). 01:45-06:00: 00:45Z-01:00Z (01:45-02:00 BST, 15 min) and
    // 01:45Z-06:00Z (255 min). 390 minutes in all; before the fix 00:45Z-01:00Z was lost (375).
    const hours = Array(7).fill([{ start: 0, end: 90 }, { start: 105, end: 360 }]);
    const cal = new BusinessCalendar({ name: 'l', zone: Zone.of('Europe/London'), weekly: hours, holidays: new Set(), workdays: new Map() });
    const utc = (s: string) => Date.parse(`2026-10-${s}Z`);
    expect(cal.elapsed(utc('24T23:00'), utc('25T06:00')) / 60_000).toBe(390);
    expect(cal.elapsed(utc('25T00:45'), utc('25T01:00')) / 60_000).toBe(15);
    // 100 minutes from 23:00Z: 90 in the first pass of 00:00-01:30, then 10 from 00:45Z
    expect(new Date(cal.dueAfter(utc('24T23:00'), 100 * 60_000)).toISOString()).toBe('2026-10-25T00:55:00.000Z');
    // 110: 90 + all 15 of 00:45Z-01:00Z, then 5 of the repeated 01:00-01:30 (01:00Z-01:30Z)
    expect(new Date(cal.dueAfter(utc('24T23:00'), 110 * 60_000)).toISOString()).toBe('2026-10-25T01:05:00.000Z');
    expect(cal.windows(utc('24T23:00'), utc('25T06:00')).map((w) => [new Date(w.start).toISOString().slice(11, 16), new Date(w.end).toISOString().slice(11, 16), w.cumMinutes])).toEqual([
      ['23:00', '00:30', 0],
      ['00:45', '01:00', 90],
      ['01:00', '01:30', 105],
      ['01:45', '06:00', 135],
    ]);
  });
});

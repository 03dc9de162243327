/**
 * fixtures/calendar/holidays-yearly-and-ical: a 09:00-18:00 Mon-Fri desk in Europe/London with
 * { every: 12-25, from: 2026 } and { ical: holidays.ics, except: [2026-12-31] }. The .ics (UTF-8 BOM,
 * CRLF, a folded SUMMARY, a VTIMEZONE and a VALARM to step over) has:
 *   Founders' Day: 15 May, RRULE FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=15 from 2026, EXDATE 2028-05-15
 *   Thanksgiving: the 4th Thursday of November (BYDAY=4TH), from 2025, UNTIL 2030-12-31
 *   Tenth anniversary: 7 September 2026, FREQ=YEARLY;COUNT=2 (2026 and 2027 only)
 *   Year-end shutdown: DTSTART 2026-12-28, DTEND 2027-01-01 (exclusive): 28-31 December 2026
 * Every ticket has a 4h resolution target.
 */
import { describe, expect, test } from 'vitest';
import { calendarYear } from '../../src/calendar/listing.js';
import { loadConfig } from '../../src/index.js';
import { cli } from '../cli/run.js';

const DIR = 'fixtures/calendar/holidays-yearly-and-ical';
const check = ['check', '-c', `${DIR}/sla.yaml`, `${DIR}/tickets.csv`, '--as-of', '2029-01-01', '-f', 'csv'];

describe('{ every: 12-25 } and { ical: holidays.ics } on a 09:00-18:00 Mon-Fri desk', () => {
  test('per-ticket rows, worked by hand', async () => {
    const r = await cli(check);
    expect([r.exitCode, r.stderr]).toEqual([0, '']);
    const rows = r.stdout.trimEnd().split('\n').filter((l) => l.includes(',resolution,'));
    expect(rows).toEqual([
      // Wed 24 Dec 2025 17:00: 25 Dec 2025 is before from: 2026, so a working Thursday: 17-18 (1h) + 09-12 (3h)
      // = 4h, due Thu 25 Dec 12:00; resolved then: 240 min, met (exactly at the due time)
      'X1,Support,,resolution,met,240,240,2025-12-25T12:00:00+00:00,2025-12-25T12:00:00+00:00',
      // Thu 24 Dec 2026 17:00: 1h; Fri 25 off (every: 12-25), weekend, Mon 28-Wed 30 off (the shutdown), Thu 31
      // worked (except:): 09-12 -> due 31 Dec 12:00; resolved 11:00: 1h + 2h = 180 min
      'X2,Support,,resolution,met,240,180,2026-12-31T12:00:00+00:00,2026-12-31T11:00:00+00:00',
      // Fri 24 Dec 2027 17:00: 1h; 25 Dec 2027 is a Saturday, so every: 12-25 changes nothing; Mon 27 09-12:
      // due 27 Dec 12:00; resolved 13:00: 1h + 4h = 300 min, breached
      'X3,Support,,resolution,breached,240,300,2027-12-27T12:00:00+00:00,2027-12-27T13:00:00+00:00',
      // Wed 25 Nov 2026 16:00: 2h; Thu 26 Nov is the 4th Thursday (Thanksgiving, BYDAY=4TH); Fri 27 09-11:
      // due 11:00; resolved 10:00: 2h + 1h = 180 min
      'X4,Support,,resolution,met,240,180,2026-11-27T11:00:00+00:00,2026-11-27T10:00:00+00:00',
      // Thu 14 May 2026 17:00 (BST): 1h; Fri 15 May off (Founders' Day); Mon 18 09-12: due 12:00; resolved then: 240
      'X5,Support,,resolution,met,240,240,2026-05-18T12:00:00+01:00,2026-05-18T12:00:00+01:00',
      // Fri 12 May 2028 17:00: 1h; Mon 15 May 2028 is Founders' Day's EXDATE, so worked: due Mon 12:00;
      // resolved 12:30: 1h + 3h30 = 270 min, breached
      'X6,Support,,resolution,breached,240,270,2028-05-15T12:00:00+01:00,2028-05-15T12:30:00+01:00',
      // Mon 6 Sep 2027 17:00: 1h; Tue 7 Sep 2027 off (the anniversary's 2nd and last occurrence, COUNT=2);
      // Wed 8 09-12: due 12:00; resolved 11:00: 1h + 2h = 180 min
      'X7,Support,,resolution,met,240,180,2027-09-08T12:00:00+01:00,2027-09-08T11:00:00+01:00',
      // Wed 6 Sep 2028 17:00: 1h; Thu 7 Sep 2028 is past COUNT=2, so worked: due Thu 12:00; resolved 11:00: 180
      'X8,Support,,resolution,met,240,180,2028-09-07T12:00:00+01:00,2028-09-07T11:00:00+01:00',
    ]);
  });

  test('--engine duckdb gives the same rows (the spine comes from the same calendar)', async () => {
    const streaming = await cli(check);
    const duckdb = await cli([...check, '--engine', 'duckdb']);
    expect(duckdb.stderr).not.toContain('note:');
    expect(duckdb.stdout).toBe(streaming.stdout);
  });

  test('calendar --year lists each day off with its name and where it comes from', () => {
    const cal = loadConfig(`${DIR}/sla.yaml`).calendars.get('office')!;
    const offIn = (year: number) => calendarYear(cal, year).days_off.map((d) => `${d.date} ${d.weekday} ${d.name} (${d.source})`);
    expect(offIn(2026)).toEqual([
      "2026-05-15 Fri Founders' Day (holidays.ics)",
      '2026-09-07 Mon Tenth anniversary (holidays.ics)',
      '2026-11-26 Thu Thanksgiving (US team) (holidays.ics)',
      '2026-12-25 Fri Christmas Day (config)',
      // the folded SUMMARY, unfolded; 31 December is taken out by except:
      '2026-12-28 Mon Year-end shutdown between Christmas and New Year (holidays.ics)',
      '2026-12-29 Tue Year-end shutdown between Christmas and New Year (holidays.ics)',
      '2026-12-30 Wed Year-end shutdown between Christmas and New Year (holidays.ics)',
    ]);
    // 2025: Thanksgiving from DTSTART (27 Nov), no Christmas (from: 2026), no Founders' Day (DTSTART 2026)
    expect(offIn(2025)).toEqual(['2025-11-27 Thu Thanksgiving (US team) (holidays.ics)']);
    // 2027: 25 Dec is a Saturday (still listed: a day off, if no working one); the anniversary's last year
    expect(offIn(2027)).toEqual([
      "2027-05-15 Sat Founders' Day (holidays.ics)",
      '2027-09-07 Tue Tenth anniversary (holidays.ics)',
      '2027-11-25 Thu Thanksgiving (US team) (holidays.ics)',
      '2027-12-25 Sat Christmas Day (config)',
    ]);
    // 2028: Founders' Day's EXDATE, no anniversary (COUNT=2)
    expect(offIn(2028)).toEqual(['2028-11-23 Thu Thanksgiving (US team) (holidays.ics)', '2028-12-25 Mon Christmas Day (config)']);
    // 2031: Thanksgiving's UNTIL was 2030-12-31
    expect(offIn(2031)).toEqual(["2031-05-15 Thu Founders' Day (holidays.ics)", '2031-12-25 Thu Christmas Day (config)']);
    // 2026's business time: 52 weeks and a day of 45h (2026 starts on a Thursday: one more Thursday, 9h) = 2349h,
    // less the 7 weekdays off above (9h each, 63h) = 2286h
    expect(calendarYear(cal, 2026).business_minutes).toBe(2286 * 60);
  });

  test('the CLI listing and its CSV', async () => {
    const r = await cli(['calendar', 'office', '-c', `${DIR}/sla.yaml`, '--year', '2026', '-f', 'csv']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('day_off,'))).toEqual([
      "day_off,2026-05-15,Fri,Founders' Day,,0,holidays.ics",
      'day_off,2026-09-07,Mon,Tenth anniversary,,0,holidays.ics',
      'day_off,2026-11-26,Thu,Thanksgiving (US team),,0,holidays.ics',
      'day_off,2026-12-25,Fri,Christmas Day,,0,config',
      'day_off,2026-12-28,Mon,Year-end shutdown between Christmas and New Year,,0,holidays.ics',
      'day_off,2026-12-29,Tue,Year-end shutdown between Christmas and New Year,,0,holidays.ics',
      'day_off,2026-12-30,Wed,Year-end shutdown between Christmas and New Year,,0,holidays.ics',
    ]);
  });
});

/**
 * The iCalendar reader and { every: MM-DD } on their own: what each part of a file makes a day off,
 * each file it refuses (with the line), and the config's messages (file:line:col of the entry, its
 * YAML path, the .ics and its line).
 */
import { afterAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync, truncateSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { readIcal, MAX_ICS_EVENTS } from '../../src/calendar/ical.js';
import { calendarYear } from '../../src/calendar/listing.js';
import { beyondDataWarnings, forgetReach } from '../../src/calendar/coverage.js';
import { configJsonSchema } from '../../src/config/zod-schema.js';
import { ConfigError } from '../../src/errors.js';
import { loadConfig } from '../../src/index.js';
import { formatDay, parseDay } from '../../src/time/civil.js';
import { cfg, configErrors } from '../helpers/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sla-ical-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const vcal = (...events: string[][]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', ...events.flatMap((e) => ['BEGIN:VEVENT', ...e, 'END:VEVENT']), 'END:VCALENDAR'].join('\r\n') + '\r\n';

/** The days off a file gives in [from, to] ("2026-12-24 name"), or its problems ("line 7: ..."). */
function daysOff(text: string, from: string, to: string): string[] {
  const { list, problems } = readIcal(text, 't.ics');
  if (!list) return problems.map((p) => `line ${p.line}: ${p.message}`);
  const out: string[] = [];
  for (let d = parseDay(from)!; d <= parseDay(to)!; d++) {
    const name = list.dayOff(d);
    if (name !== undefined) out.push(`${formatDay(d)} ${name}`.trim());
  }
  return out;
}

describe('what a file makes a day off', () => {
  test('a yearly recurrence with an exception (EXDATE), from its DTSTART on', () => {
    // 25 Dec every year from 2026, but not 2027
    const ics = vcal(['DTSTART;VALUE=DATE:20261225', 'DTEND;VALUE=DATE:20261226', 'RRULE:FREQ=YEARLY', 'EXDATE;VALUE=DATE:20271225', 'SUMMARY:Christmas']);
    expect(daysOff(ics, '2025-01-01', '2029-12-31')).toEqual(['2026-12-25 Christmas', '2028-12-25 Christmas', '2029-12-25 Christmas']);
  });

  test('a multi-day event: DTEND is exclusive, DURATION counts days or weeks, no end is one day', () => {
    const ics = vcal(
      ['DTSTART;VALUE=DATE:20261228', 'DTEND;VALUE=DATE:20270101', 'SUMMARY:Shutdown'],
      ['DTSTART;VALUE=DATE:20260601', 'DURATION:P2D', 'SUMMARY:Offsite'],
      ['DTSTART;VALUE=DATE:20260801', 'DURATION:P1W', 'SUMMARY:Summer'],
      ['DTSTART;VALUE=DATE:20260301', 'SUMMARY:One'],
    );
    expect(daysOff(ics, '2026-01-01', '2027-01-31')).toEqual([
      '2026-03-01 One', '2026-06-01 Offsite', '2026-06-02 Offsite',
      ...['01', '02', '03', '04', '05', '06', '07'].map((d) => `2026-08-${d} Summer`),
      '2026-12-28 Shutdown', '2026-12-29 Shutdown', '2026-12-30 Shutdown', '2026-12-31 Shutdown',
    ]);
  });

  test('a yearly multi-day event that runs over New Year comes back every year', () => {
    const ics = vcal(['DTSTART;VALUE=DATE:20261231', 'DTEND;VALUE=DATE:20270102', 'RRULE:FREQ=YEARLY;COUNT=2', 'SUMMARY:NY']);
    expect(daysOff(ics, '2026-12-01', '2029-01-31')).toEqual(['2026-12-31 NY', '2027-01-01 NY', '2027-12-31 NY', '2028-01-01 NY']);
  });

  test('folded lines (a space or a tab), LF or CR line ends, a BOM, escapes in SUMMARY', () => {
    const lf = '\uFEFFBEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DA\n TE:20260101\nSUMMARY:New\n\t Year\\, \\;first\\\\\nEND:VEVENT\nEND:VCALENDAR\n';
    expect(daysOff(lf, '2026-01-01', '2026-01-02')).toEqual(['2026-01-01 New Year, ;first\\']);
    expect(daysOff(lf.replace(/\n/g, '\r'), '2026-01-01', '2026-01-02')).toEqual(['2026-01-01 New Year, ;first\\']);
  });

  test('BYMONTH with BYDAY (the nth or last weekday), INTERVAL, UNTIL', () => {
    const ics = vcal(
      // UK spring bank holiday: the last Monday of May
      ['DTSTART;VALUE=DATE:20260525', 'RRULE:FREQ=YEARLY;BYMONTH=5;BYDAY=-1MO', 'SUMMARY:Spring'],
      // US Thanksgiving, every other year until 2029
      ['DTSTART;VALUE=DATE:20261126', 'RRULE:FREQ=YEARLY;INTERVAL=2;BYMONTH=11;BYDAY=4TH;UNTIL=20291231T235959Z', 'SUMMARY:TG'],
    );
    // last Mondays of May: 2026-05-25, 2027-05-31, 2028-05-29; 4th Thursdays of November: 2026-11-26, 2028-11-23
    expect(daysOff(ics, '2026-01-01', '2030-12-31')).toEqual([
      '2026-05-25 Spring', '2026-11-26 TG', '2027-05-31 Spring', '2028-05-29 Spring', '2028-11-23 TG', '2029-05-28 Spring', '2030-05-27 Spring',
    ]);
  });

  test('BYMONTHDAY with BYDAY keeps the days both give (the first Tuesday after the first Monday of November)', () => {
    const ics = vcal(['DTSTART;VALUE=DATE:20261103', 'RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8', 'SUMMARY:Election']);
    expect(daysOff(ics, '2026-01-01', '2028-12-31')).toEqual(['2026-11-03 Election', '2027-11-02 Election', '2028-11-07 Election']);
  });

  test('a moved occurrence (RECURRENCE-ID) and a cancelled one; RDATE adds a date', () => {
    const ics = vcal(
      ['UID:s1', 'DTSTART;VALUE=DATE:20260701', 'RRULE:FREQ=YEARLY', 'RDATE;VALUE=DATE:20260703', 'SUMMARY:Summer'],
      ['UID:s1', 'RECURRENCE-ID;VALUE=DATE:20270701', 'DTSTART;VALUE=DATE:20270702', 'SUMMARY:Summer (moved)'],
      ['UID:s1', 'RECURRENCE-ID;VALUE=DATE:20280701', 'DTSTART;VALUE=DATE:20280701', 'STATUS:CANCELLED'],
    );
    expect(daysOff(ics, '2026-01-01', '2029-12-31')).toEqual(['2026-07-01 Summer', '2026-07-03 Summer', '2027-07-02 Summer (moved)', '2029-07-01 Summer']);
  });

  test('local midnight to local midnight (as Outlook writes an all-day event) is whole days; a time in UTC or at another hour is not', () => {
    const ics = vcal(
      ['DTSTART;TZID=W. Europe Standard Time:20261224T000000', 'DTEND;TZID=W. Europe Standard Time:20261226T000000', 'X-MICROSOFT-CDO-ALLDAYEVENT:TRUE', 'SUMMARY:Xmas'],
      ['DTSTART:20260101T000000', 'DURATION:P1D', 'RRULE:FREQ=YEARLY;COUNT=2', 'SUMMARY:NY'],
    );
    expect(daysOff(ics, '2026-01-01', '2028-12-31')).toEqual(['2026-01-01 NY', '2026-12-24 Xmas', '2026-12-25 Xmas', '2027-01-01 NY']);
    // midnight UTC is not a local day's start; midnight with no end is an instant, not a day
    expect(daysOff(vcal(['DTSTART:20261224T000000Z', 'DTEND:20261225T000000Z']), '2026-01-01', '2026-12-31')[0]).toMatch(/^line 4: DTSTART:20261224T000000Z is a time, not a date/);
    expect(daysOff(vcal(['DTSTART:20261224T000000']), '2026-01-01', '2026-12-31')[0]).toMatch(/^line 4: DTSTART:20261224T000000 is a time, not a date/);
  });

  test('29 February yearly is off in leap years only (RFC 5545: a date that does not exist is no occurrence)', () => {
    const ics = vcal(['DTSTART;VALUE=DATE:20240229', 'RRULE:FREQ=YEARLY', 'SUMMARY:Leap']);
    expect(daysOff(ics, '2024-01-01', '2028-12-31')).toEqual(['2024-02-29 Leap', '2028-02-29 Leap']);
  });
});

describe('files refused, each with its line', () => {
  const one = (...props: string[]) => daysOff(vcal(props), '2026-01-01', '2026-12-31');
  test.each([
    ['not iCalendar', 'Subject,Date\n', 'line 1: is not an iCalendar file: it does not start with BEGIN:VCALENDAR (export the calendar as .ics)'],
    ['a timed event (UTC)', vcal(['DTSTART:20261224T140000Z', 'DTEND:20261224T180000Z']), 'line 4: DTSTART:20261224T140000Z is a time, not a date: only all-day events are days off (a timed event may be a meeting or a half day; taking its date whole would invent a day off). Make it an all-day event, or give a short day as a workdays: entry with its hours'],
    ['a timed event (TZID)', vcal(['DTSTART;TZID=Europe/London:20261224T000000']), 'line 4: DTSTART:20261224T000000 is a time, not a date: only all-day events are days off (a timed event may be a meeting or a half day; taking its date whole would invent a day off). Make it an all-day event, or give a short day as a workdays: entry with its hours'],
    ['a monthly rule', vcal(['DTSTART;VALUE=DATE:20260101', 'RRULE:FREQ=MONTHLY;BYMONTHDAY=1']), 'line 5: RRULE FREQ=MONTHLY;BYMONTHDAY=1: FREQ=MONTHLY: only yearly recurrences (FREQ=YEARLY) are read for holidays; list the dates as single events instead'],
    ['BYSETPOS', vcal(['DTSTART;VALUE=DATE:20260101', 'RRULE:FREQ=YEARLY;BYMONTH=1;BYDAY=MO;BYSETPOS=1']), 'line 5: RRULE FREQ=YEARLY;BYMONTH=1;BYDAY=MO;BYSETPOS=1: BYSETPOS is not read (FREQ=YEARLY with INTERVAL, COUNT, UNTIL, BYMONTH, BYMONTHDAY and BYDAY are); list the dates as single events instead'],
    ['COUNT and UNTIL', vcal(['DTSTART;VALUE=DATE:20260101', 'RRULE:FREQ=YEARLY;COUNT=3;UNTIL=20300101']), 'line 5: RRULE FREQ=YEARLY;COUNT=3;UNTIL=20300101: COUNT and UNTIL together (RFC 5545 allows one of them)'],
    ['BYDAY without BYMONTH', vcal(['DTSTART;VALUE=DATE:20260101', 'RRULE:FREQ=YEARLY;BYDAY=1MO']), 'line 5: RRULE FREQ=YEARLY;BYDAY=1MO: BYDAY without BYMONTH (a weekday of the year, not of a month) is not read; add BYMONTH'],
    ['BYDAY past the 5th', vcal(['DTSTART;VALUE=DATE:20260101', 'RRULE:FREQ=YEARLY;BYMONTH=1;BYDAY=20MO']), 'line 5: RRULE FREQ=YEARLY;BYMONTH=1;BYDAY=20MO: BYDAY=20MO is not a list of weekdays, each with an optional position in the month (4TH, -1MO, TU)'],
    ['a date with dashes', vcal(['DTSTART;VALUE=DATE:2026-12-25']), 'line 4: DTSTART "2026-12-25" is not a date (an all-day DTSTART is written YYYYMMDD, e.g. 20261225)'],
    ['31 April', vcal(['DTSTART;VALUE=DATE:20260431']), 'line 4: DTSTART "20260431" is not a date (an all-day DTSTART is written YYYYMMDD, e.g. 20261225)'],
    ['DTEND before DTSTART', vcal(['DTSTART;VALUE=DATE:20261225', 'DTEND;VALUE=DATE:20261225']), 'line 5: DTEND 20261225 is not after DTSTART (an all-day event ends the day after its last day)'],
    ['an event of two years', vcal(['DTSTART;VALUE=DATE:20260101', 'DTEND;VALUE=DATE:20280101']), 'line 5: an event of 730 days is longer than a year; is DTEND right?'],
    ['no DTSTART', vcal(['SUMMARY:x']), 'line 3: an event (BEGIN:VEVENT) without DTSTART: give it a date, DTSTART;VALUE=DATE:20261225'],
    ['a line without a colon', vcal(['DTSTART;VALUE=DATE:20260101', 'garbage']), 'line 5: "garbage" is not an iCalendar line (NAME:value, or a folded line starting with a space)'],
    ['cut short', 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260101\r\n', 'line 2: BEGIN:VEVENT is never closed (END:VEVENT); is the file cut short?'],
    ['END of another component', 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VTODO\r\n', 'line 3: END:VTODO closes BEGIN:VEVENT of line 2'],
    ['no events', 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n', 'line 3: has no events (VEVENT): no day off to read; is it the right file, or an export of another calendar?'],
    ['DURATION in hours', vcal(['DTSTART;VALUE=DATE:20260101', 'DURATION:PT4H']), 'line 5: DURATION "PT4H" is not a number of days or weeks (P1D, P2W): an all-day event lasts whole days'],
  ])('%s', (_what, text, message) => {
    expect(daysOff(text, '2026-01-01', '2026-12-31')).toEqual([message]);
  });

  test('at most ten problems are listed, then how many more', () => {
    const bad = Array.from({ length: 13 }, (_, i) => [`DTSTART:2026010${i % 9 + 1}T090000Z`]);
    const out = daysOff(vcal(...bad), '2026-01-01', '2026-12-31');
    expect(out).toHaveLength(11);
    expect(out[10]).toMatch(/: and 3 more problems$/);
    expect(one('DTSTART;VALUE=DATE:20260101')).toEqual(['2026-01-01']);
  });

  test(`more than ${MAX_ICS_EVENTS.toLocaleString('en-US')} events are refused whole, naming the limit (nothing is read in part)`, () => {
    const events = Array.from({ length: MAX_ICS_EVENTS + 1 }, (_, i) => [`DTSTART;VALUE=DATE:${20260101 + (i % 28)}`]);
    const { list, problems } = readIcal(vcal(...events), 't.ics');
    expect(list).toBeUndefined();
    // the 10,001st BEGIN:VEVENT: after the 2 header lines and 10,000 events of 3 lines each
    expect(problems).toEqual([{ line: 2 + MAX_ICS_EVENTS * 3 + 1, message: 'has more than 10,000 events (VEVENT), the most a holiday calendar is read with; export only the holidays (a few dozen a year), or split the file into several ical: entries' }]);
  });
});

describe('{ every: MM-DD }', () => {
  const calendarWith = (entry: string) => cfg(`
timezone: UTC
calendars:
  c:
    hours: { mon-fri: [09:00-18:00] }
    holidays: [${entry}]
policies: [{ name: p, calendar: c, targets: { resolution: 8h } }]
`).calendars.get('c')!;
  const off = (entry: string, year: number) => calendarYear(calendarWith(entry), year).days_off.map((d) => `${d.date} ${d.name}`.trim());

  test('every year, from a year on', () => {
    expect([2025, 2026, 2027].flatMap((y) => off('{ every: 12-25 }', y))).toEqual(['2025-12-25', '2026-12-25', '2027-12-25']);
    expect([2025, 2026, 2027].flatMap((y) => off('{ every: 12-25, from: 2026, name: Xmas }', y))).toEqual(['2026-12-25 Xmas', '2027-12-25 Xmas']);
  });

  test('a range, and 02-29 in leap years only (as Znuny and GLPI: no day moved to 28 February or 1 March)', () => {
    expect(off('{ every: 12-24..12-26 }', 2026)).toEqual(['2026-12-24', '2026-12-25', '2026-12-26']);
    expect(off('{ every: 02-29 }', 2027)).toEqual([]);
    expect(off('{ every: 02-29 }', 2028)).toEqual(['2028-02-29']);
    // a range over the end of February holds 29 February in leap years
    expect(off('{ every: 02-28..03-01 }', 2027)).toEqual(['2027-02-28', '2027-03-01']);
    expect(off('{ every: 02-28..03-01 }', 2028)).toEqual(['2028-02-28', '2028-02-29', '2028-03-01']);
  });

  test('except: takes a year out', () => {
    expect([2026, 2027].flatMap((y) => off('{ every: 12-24, except: [2026-12-24] }', y))).toEqual(['2027-12-24']);
  });

  test('a ticket created 24 December 17:00 on a 09:00-18:00 Mon-Fri desk, over several years', () => {
    const c = calendarWith('{ every: 12-25 }');
    const t = (s: string) => Date.parse(`${s}Z`);
    const dueIso = (created: string) => new Date(c.dueAfter(c.clockStart(t(created)), 4 * 3600_000)).toISOString().slice(0, 16);
    // Thu 24 Dec 2026: 17-18 (1h), Fri 25 off, weekend, Mon 28 09-12 (3h)
    expect(dueIso('2026-12-24T17:00')).toBe('2026-12-28T12:00');
    // Fri 24 Dec 2027: 1h, 25 Dec is a Saturday (no effect), Mon 27 09-12: as without the holiday
    expect(dueIso('2027-12-24T17:00')).toBe('2027-12-27T12:00');
    expect(dueIso('2027-12-24T17:00')).toBe(new Date(calendarWith('2000-01-01').dueAfter(t('2027-12-24T17:00'), 4 * 3600_000)).toISOString().slice(0, 16));
    // Mon 24 Dec 2029: 1h, Tue 25 off, Wed 26 09-12
    expect(dueIso('2029-12-24T17:00')).toBe('2029-12-26T12:00');
  });
});

describe('config messages: file:line:col of the entry, its path, the .ics and its line; every problem in one run', () => {
  const write = (name: string, body: string | Buffer) => writeFileSync(join(dir, name), body);
  const errorsOf = (holidays: string, extra = '') => {
    write('sla.yaml', `timezone: UTC
calendars:
  c:
    hours: { mon-fri: [09:00-18:00] }
    holidays:
${holidays}
${extra}policies: [{ name: p, calendar: c, targets: { resolution: 8h } }]
`);
    try {
      loadConfig(join(dir, 'sla.yaml'));
    } catch (e) {
      if (e instanceof ConfigError) return e.lines.map((l) => l.replaceAll(`${dir}/`, '').replaceAll(dir, '<dir>'));
      throw e;
    }
    return [];
  };

  test('bad files and bad entries, all at once', () => {
    write('timed.ics', vcal(['DTSTART;VALUE=DATE:20260101'], ['DTSTART:20261224T140000Z']));
    write('latin1.ics', Buffer.concat([Buffer.from('BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:F'), Buffer.from([0xea]), Buffer.from('te\r\n')]));
    write('nul.ics', Buffer.from([0x42, 0, 0x43]));
    mkdirSync(join(dir, 'folder.ics'), { recursive: true });
    write('big.ics', '');
    truncateSync(join(dir, 'big.ics'), 50 * 1024 * 1024);
    expect(errorsOf(`      - { ical: timed.ics }
      - { ical: missing.ics }
      - { ical: latin1.ics }
      - { ical: nul.ics }
      - { ical: folder.ics }
      - { ical: big.ics }
      - { every: 2026-12-25 }
      - { every: 13-01 }
      - { every: 02-30 }
      - { every: 12-31..01-01 }
      - { every: 12-25, from: 1800 }
      - { every: 12-25, except: [2026-12-26] }`)).toEqual([
      'sla.yaml:6:17 calendars.c.holidays[0].ical: timed.ics line 7: DTSTART:20261224T140000Z is a time, not a date: only all-day events are days off (a timed event may be a meeting or a half day; taking its date whole would invent a day off). Make it an all-day event, or give a short day as a workdays: entry with its hours',
      "sla.yaml:7:17 calendars.c.holidays[1].ical: cannot read missing.ics (no such file); the path is relative to the config's folder, <dir>",
      'sla.yaml:8:17 calendars.c.holidays[2].ical: latin1.ics line 3: bytes that are not UTF-8 (iCalendar files are UTF-8, RFC 5545 §3.1.4); export it again, or save it as UTF-8',
      'sla.yaml:9:17 calendars.c.holidays[3].ical: nul.ics looks binary (it has NUL bytes), not an iCalendar file',
      'sla.yaml:10:17 calendars.c.holidays[4].ical: folder.ics is a directory, not an iCalendar file',
      'sla.yaml:11:17 calendars.c.holidays[5].ical: big.ics is 52,428,800 bytes, more than the 4 MiB a holiday calendar is read up to (one holds a few kilobytes a year); export only the holiday calendar, not a whole mailbox, or split it into several ical: entries',
      'sla.yaml:12:18 calendars.c.holidays[6].every: "2026-12-25" has a year; every: takes a month and day (every: 12-25); from a given year on, add from: 2026; for that one day only, list the date itself',
      'sla.yaml:13:18 calendars.c.holidays[7].every: "13-01": 13-01 is not a day of the year',
      'sla.yaml:14:18 calendars.c.holidays[8].every: "02-30": 02-30 is not a day of the year',
      'sla.yaml:15:18 calendars.c.holidays[9].every: "12-31..01-01" runs over the end of the year; write two entries, e.g. { every: 12-31 } and { every: 01-01 }',
      'sla.yaml:16:31 calendars.c.holidays[10].from: "1800" is not a year between 1900 and 2199 (from: 2024: every year from 2024 on)',
      'sla.yaml:17:34 calendars.c.holidays[11].except[0]: 2026-12-26 is not a day off of { every: 12-25 }, so there is nothing to take out; remove it',
    ]);
  });

  test('a device or a named pipe is refused before it is opened (reading /dev/zero would never end; a FIFO would block)', () => {
    execFileSync('mkfifo', [join(dir, 'pipe.ics')]);
    expect(errorsOf('      - { ical: /dev/zero }\n      - { ical: pipe.ics }')).toEqual([
      'sla.yaml:6:17 calendars.c.holidays[0].ical: /dev/zero is not a regular file (a device, a pipe or a socket); name an exported .ics file',
      'sla.yaml:7:17 calendars.c.holidays[1].ical: pipe.ics is not a regular file (a device, a pipe or a socket); name an exported .ics file',
    ]);
    // an empty name is the config's own folder: say it is empty, not that " is a directory"
    expect(errorsOf('      - { ical: "" }')).toEqual(['sla.yaml:6:17 calendars.c.holidays[0].ical: is empty; name the .ics file, e.g. ical: holidays.ics']);
  });

  test('days off every year that leave no working time at all are refused (no due would ever come: the engine and the SQL disagreed on where to stop)', () => {
    const line = 'sla.yaml:4:5 calendars.c: its days off every year (every:, ical:) cover every day, so it has no working time and no target on it would ever fall due; take out the entry that covers too much';
    expect(errorsOf('      - { every: 01-01..12-31 }')).toEqual([line]);
    expect(errorsOf('      - { every: 01-01..06-30 }\n      - { every: 07-01..12-31 }')).toEqual([line]);
    // one working day a year is still working time (a due years away, but a due)
    expect(errorsOf('      - { every: 01-02..12-31 }')).toEqual([]);
  });

  test('a yearly or .ics day off that is also a make-up working day says which except: to add', () => {
    write('h.ics', vcal(['DTSTART;VALUE=DATE:20261001', 'RRULE:FREQ=YEARLY', 'SUMMARY:National Day']));
    expect(errorsOf('      - { every: 12-25 }\n      - { ical: h.ics }', '    workdays: [2026-12-25, 2027-10-01]\n')).toEqual([
      'sla.yaml:8:16 calendars.c.workdays[0]: 2026-12-25 is both a day off of holidays[0] and a make-up working day (workdays[0]); to work that day, add it to except: of holidays[0]',
      'sla.yaml:8:28 calendars.c.workdays[1]: 2027-10-01 is both a day off (National Day) of holidays[1] and a make-up working day (workdays[1]); to work that day, add it to except: of holidays[1]',
    ]);
    // and against China's make-up days: Saturday 14 February 2026 is one (春节), and so was Sunday 14 February 2016
    expect(errorsOf('      - { country: CN }\n      - { every: 02-14, from: 2020 }')).toEqual([
      'sla.yaml:7:9 calendars.c.holidays[1]: 2026-02-14 is both a day off (holidays[1]) and a CN make-up working day (春节 Spring Festival, holidays[0]); to take it off, add it to except: of holidays[0]; to work it, add it to except: of holidays[1]',
    ]);
    expect(errorsOf('      - { country: CN }\n      - { every: 02-14 }')).toEqual([
      'sla.yaml:7:9 calendars.c.holidays[1]: 2016-02-14 and 2026-02-14 are both days off (holidays[1]) and CN make-up working days (holidays[0]); to take them off, add them to except: of holidays[0]; to work them, add them to except: of holidays[1]',
    ]);
  });

  test('except: on a file takes its days out; a date not in the file is refused', () => {
    write('x.ics', vcal(['DTSTART;VALUE=DATE:20261224', 'DTEND;VALUE=DATE:20261227']));
    expect(errorsOf('      - { ical: x.ics, except: [2026-12-20..2026-12-24] }')).toEqual([
      'sla.yaml:6:33 calendars.c.holidays[0].except[0]: 2026-12-20 is not a day off of x.ics, so there is nothing to take out; remove it',
    ]);
    expect(errorsOf('      - { ical: x.ics, except: [2026-12-25] }')).toEqual([]);
    const cal = loadConfig(join(dir, 'sla.yaml')).calendars.get('c')!;
    expect(calendarYear(cal, 2026).days_off.map((d) => d.date)).toEqual(['2026-12-24', '2026-12-26']);
  });

  test('a file of dated days off covers its years only: a run beyond them is warned, as for a country list', () => {
    // as Google's holiday feeds: single events for a few years, no recurrence
    write('dated.ics', vcal(['DTSTART;VALUE=DATE:20251225', 'SUMMARY:Christmas'], ['DTSTART;VALUE=DATE:20261225', 'SUMMARY:Christmas']));
    expect(errorsOf('      - { ical: dated.ics }')).toEqual([]);
    const cal = loadConfig(join(dir, 'sla.yaml')).calendars.get('c')!;
    forgetReach([cal]);
    cal.elapsed(Date.parse('2026-12-01T00:00Z'), Date.parse('2026-12-31T00:00Z'));
    expect(beyondDataWarnings([cal])).toEqual([]);
    cal.elapsed(Date.parse('2026-12-01T00:00Z'), Date.parse('2027-03-01T00:00Z'));
    expect(beyondDataWarnings([cal])).toEqual([
      'calendar "c": the days off of dated.ics, which covers 2025–2026; this run reaches 2027-02-28, where none are applied (export the calendar again with that year\'s days, or list them under holidays:)',
    ]);
    // a recurrence without an end covers every year: no warning
    write('dated.ics', vcal(['DTSTART;VALUE=DATE:20251225', 'RRULE:FREQ=YEARLY', 'SUMMARY:Christmas']));
    const yearly = loadConfig(join(dir, 'sla.yaml')).calendars.get('c')!;
    yearly.elapsed(Date.parse('2026-12-01T00:00Z'), Date.parse('2030-03-01T00:00Z'));
    expect(beyondDataWarnings([yearly])).toEqual([]);
  });

  test('a web address is refused: no network', () => {
    expect(errorsOf("      - { ical: 'https://calendar.example.com/holidays.ics' }")).toEqual([
      "sla.yaml:6:17 calendars.c.holidays[0].ical: \"https://calendar.example.com/holidays.ics\" is a web address; sla-audit reads no network (an audit must give the same numbers tomorrow): download the feed once (curl -o holidays.ics '<the address>') and name the file, e.g. ical: holidays.ics",
    ]);
  });

  test('a UTF-16 export is named as such', () => {
    write('u16.ics', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(vcal(['DTSTART;VALUE=DATE:20261224']), 'utf16le')]));
    expect(errorsOf('      - { ical: u16.ics }')).toEqual([
      'sla.yaml:6:17 calendars.c.holidays[0].ical: u16.ics is UTF-16; iCalendar files are UTF-8 (RFC 5545 §3.1.4): export it again, or save it as UTF-8',
    ]);
  });

  test("the config's digest changes with the .ics it reads", () => {
    write('d.ics', vcal(['DTSTART;VALUE=DATE:20261224']));
    errorsOf('      - { ical: d.ics }');
    const a = loadConfig(join(dir, 'sla.yaml')).digest;
    write('d.ics', vcal(['DTSTART;VALUE=DATE:20261225']));
    expect(loadConfig(join(dir, 'sla.yaml')).digest).not.toBe(a);
  });

  test('a typo in an entry is a schema problem, and the JSON Schema describes both forms', () => {
    expect(configErrors(`
calendars:
  c:
    hours: { mon-fri: [09:00-18:00] }
    holidays: [{ every: 12-25, form: 2024 }]
policies: [{ name: p, calendar: c, targets: { resolution: 8h } }]
`).join('\n')).toMatch(/holidays\[0\].*form/);
    const schema = JSON.stringify(configJsonSchema());
    expect(schema).toContain('"every"');
    expect(schema).toContain('"ical"');
  });
});

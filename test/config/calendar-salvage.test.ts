import { describe, expect, test } from 'vitest';
import { configErrors as errors } from '../helpers/index.js';

const NOT_A_DATE = 'is not a date (write YYYY-MM-DD, or a range YYYY-MM-DD..YYYY-MM-DD)';

describe('calendars: a wrong shape cuts that entry alone, the calendar\'s other problems are said in the same run', () => {
  test('wrong-shaped holidays, workdays and hours entries among bad values: each problem once, later entries keep their index', () => {
    expect(errors(`calendars:
  office:
    timezone: Asia/Shanghai
    hours:
      mon-fri: [09:00-18:00]
      sat: [9-12]
      sun: 10:00-12:00
    holidays:
      - { every: [12-25] }
      - 2026-13-45
      - { ical: 5 }
      - { date: 2026-02-30, name: Spring }
      - 2026-05-01
    workdays:
      - { date: 2026-02-07, hours: 09:00-18:00 }
      - 2026-02-31
      - 2026-05-01
policies:
  - name: p
    calendar: office
    targets: { resolution: 2d }
`)).toEqual([
      'sla.yaml:6:13 calendars.office.hours.sat[0]: "9-12" is not a time window (write HH:MM-HH:MM, e.g. "09:00-18:00")',
      'sla.yaml:7:12 calendars.office.hours.sun: found "10:00-12:00", expected a list',
      'sla.yaml:9:18 calendars.office.holidays[0].every: found a list, which is not allowed here (expected string or number or date)',
      `sla.yaml:10:9 calendars.office.holidays[1]: "2026-13-45" ${NOT_A_DATE}`,
      'sla.yaml:11:17 calendars.office.holidays[2].ical: found 5, expected string',
      `sla.yaml:12:9 calendars.office.holidays[3]: "2026-02-30" ${NOT_A_DATE}`,
      'sla.yaml:15:36 calendars.office.workdays[0].hours: found "09:00-18:00", expected a list',
      `sla.yaml:16:9 calendars.office.workdays[1]: "2026-02-31" ${NOT_A_DATE}`,
      // holidays[4] and workdays[2] keep their own indices though entries before them were cut
      'sla.yaml:17:9 calendars.office.workdays[2]: 2026-05-01 is both a holiday (holidays[4]) and a make-up working day (workdays[2]); keep one of them',
      // the calendar is still there: mon-fri 09:00-18:00 is 9h a day, so 2d is 2 × 9h = 18h
      'sla.yaml:21:28 policies[0].targets.resolution: "2d" uses d (24-hour days) on business calendar "office"; write 2bd for business days, or business hours such as 18h (2 × 9h working days)',
    ]);
  });

  test('a wrong timezone, holidays that are not a list, an unknown key and the only hours cut alone; nothing said again as their consequence', () => {
    expect(errors(`calendars:
  office:
    timezone: 8
    hours:
      mon-fri: 09:00-18:00
      sat: [10:00-12:00]
    holidays: 2026-01-01
    workdays: [2026-02-07, 2026-02-30]
    holiday: [2026-10-01]
policies:
  - name: p
    calendar: office
    targets: { resolution: 2bd }
  - name: q
    calendar: ofice
    targets: { resolution: 4h }
`)).toEqual([
      'sla.yaml:3:15 calendars.office.timezone: found 8, expected string',
      // mon-fri cut: "the short form takes Monday's hours, but Monday has none" (workdays[0]) would only repeat it
      'sla.yaml:5:16 calendars.office.hours.mon-fri: found "09:00-18:00", expected a list',
      'sla.yaml:7:15 calendars.office.holidays: found "2026-01-01", expected a list',
      `sla.yaml:8:28 calendars.office.workdays[1]: "2026-02-30" ${NOT_A_DATE}`,
      'sla.yaml:9:5 calendars.office.holiday: unknown key "holiday" (did you mean "holidays"?) (allowed: timezone, hours, holidays, workdays)',
      // the calendar is kept, so the typo is told where it points
      'sla.yaml:15:15 policies[1].calendar: unknown calendar "ofice" (did you mean "office"?) (known: 24x7, office)',
    ]);
  });

  test('a calendar whose every hours day is cut: its other problems are said, targets on it and references to it are not', () => {
    expect(errors(`calendars:
  office:
    hours: { mon-fri: 09:00-18:00 }
    holidays: [2026-13-01]
    workdays: [2026-02-07]
policies:
  - name: p
    calendar: office
    targets: { resolution: 2bd }
`)).toEqual([
      'sla.yaml:3:23 calendars.office.hours.mon-fri: found "09:00-18:00", expected a list',
      `sla.yaml:4:16 calendars.office.holidays[0]: "2026-13-01" ${NOT_A_DATE}`,
    ]);
  });
});

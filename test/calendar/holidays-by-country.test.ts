import { describe, expect, test } from 'vitest';
import { createRequire } from 'node:module';
import { calendarYear } from '../../src/calendar/listing.js';
import { parseDay, formatDay } from '../../src/time/civil.js';
import { ConfigError } from '../../src/errors.js';
import { cli } from '../cli/run.js';
import { at, auditText, cfg, fmt } from '../helpers/index.js';

const FIXTURE = 'fixtures/calendar/holidays-by-country/sla.yaml';
const CHINESE_DAYS = (createRequire(import.meta.url)('chinese-days/package.json') as { version: string }).version;

/** Every day from a to b inclusive ("2026-10-01", "2026-10-07"). */
function days(a: string, b: string): string[] {
  const out: string[] = [];
  for (let d = parseDay(a)!; d <= parseDay(b)!; d++) out.push(formatDay(d));
  return out;
}

const china = cfg(`
timezone: Asia/Shanghai
calendars:
  office:
    hours: { mon-fri: [09:00-12:00, 13:00-18:00], sat: [10:00-16:00] }
    holidays: [{ country: CN }]
policies:
  - { name: p, calendar: office, targets: { resolution: 8h } }
`).calendars.get('office')!;

describe('{ country: CN } is the State Council schedule', () => {
  test('2025: 国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号, 12 November 2024)', () => {
    // 一、元旦：1月1日（周三）放假1天，不调休。
    // 二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
    // 三、清明节：4月4日（周五）至6日（周日）放假，共3天。
    // 四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
    // 五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
    // 六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。
    const off = [
      '2025-01-01',
      ...days('2025-01-28', '2025-02-04'),
      ...days('2025-04-04', '2025-04-06'),
      ...days('2025-05-01', '2025-05-05'),
      ...days('2025-05-31', '2025-06-02'),
      ...days('2025-10-01', '2025-10-08'),
    ];
    expect(off).toHaveLength(1 + 8 + 3 + 5 + 3 + 8);
    const y = calendarYear(china, 2025);
    expect(y.days_off.map((d) => d.date)).toEqual(off);
    expect(y.workdays.map((d) => `${d.date} ${d.weekday}`)).toEqual(['2025-01-26 Sun', '2025-02-08 Sat', '2025-04-27 Sun', '2025-09-28 Sun', '2025-10-11 Sat']);
    // a make-up day works Monday's hours, whatever weekday it falls on
    expect(new Set(y.workdays.map((d) => d.windows.join(' ')))).toEqual(new Set(['09:00-12:00 13:00-18:00']));
    expect(y.days_off.find((d) => d.date === '2025-10-08')).toEqual({ date: '2025-10-08', weekday: 'Wed', name: '国庆节 National Day', source: 'CN' });
    // business time: 52 weeks and a day of 46h (2025 starts on a Wednesday: one extra Wednesday, 8h) = 2400h;
    // off: the 28 days above, of which weekdays 8h each and Saturdays 6h. Weekdays: 1 Jan; 28, 29, 30, 31 Jan,
    // 3, 4 Feb; 4 Apr; 1, 2 May, 5 May; 2 Jun; 1, 2, 3, 6, 7, 8 Oct = 18 × 8h = 144h. Saturdays: 1 Feb, 5 Apr,
    // 3 May, 31 May, 4 Oct = 5 × 6h = 30h. Make-up days (Monday's 8h): three Sundays (+8h each) and two
    // Saturdays (8h instead of 6h: +2h each) = +28h. 2400 - 144 - 30 + 28 = 2254h.
    expect(y.business_minutes).toBe(2254 * 60);
  });

  test('2026: 国务院办公厅关于2026年部分节假日安排的通知 (4 November 2025)', () => {
    // 一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
    // 二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
    // 三、清明节：4月4日（周六）至6日（周一）放假，共3天。
    // 四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
    // 五、端午节：6月19日（周五）至21日（周日）放假，共3天。
    // 六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
    // 七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
    const off = [
      ...days('2026-01-01', '2026-01-03'),
      ...days('2026-02-15', '2026-02-23'),
      ...days('2026-04-04', '2026-04-06'),
      ...days('2026-05-01', '2026-05-05'),
      ...days('2026-06-19', '2026-06-21'),
      ...days('2026-09-25', '2026-09-27'),
      ...days('2026-10-01', '2026-10-07'),
    ];
    expect(off).toHaveLength(3 + 9 + 3 + 5 + 3 + 3 + 7);
    const y = calendarYear(china, 2026);
    expect(y.days_off.map((d) => d.date)).toEqual(off);
    expect(y.workdays.map((d) => `${d.date} ${d.weekday}`)).toEqual(['2026-01-04 Sun', '2026-02-14 Sat', '2026-02-28 Sat', '2026-05-09 Sat', '2026-09-20 Sun', '2026-10-10 Sat']);
    expect(y.days_off[0]).toEqual({ date: '2026-01-01', weekday: 'Thu', name: '元旦 New Year\'s Day', source: 'CN' });
    expect(y.workdays.at(-1)).toMatchObject({ date: '2026-10-10', name: '国庆节 National Day', windows: ['09:00-12:00', '13:00-18:00'], minutes: 480 });
  });
});

describe('the clock over a country list', () => {
  // Shanghai desk of the fixture: CN without 7 October (the desk opens that day), plus 24 December.
  const yaml = `
timezone: Asia/Shanghai
calendars:
  office:
    hours: { mon-fri: [09:00-12:00, 13:00-18:00], sat: [10:00-16:00] }
    holidays: [{ country: CN, except: [2026-10-07] }, { date: 2026-12-24, name: 平安夜 }]
  other:
    hours: { daily: [09:00-17:00] }
    holidays: [{ country: CN }]
tickets:
  columns: { id: id, created_at: created, resolved_at: resolved, team: team }
policies:
  - { name: night, when: { team: other }, calendar: other, targets: { resolution: 8h } }
  - { name: desk, calendar: office, targets: { resolution: 8h } }
`;
  test('days off, an except:, a make-up Saturday and an added date move due times', async () => {
    const dues: Record<string, string> = {};
    const r = await auditText(yaml, [
      'id,created,resolved,team',
      // 30 Sep (Wed) 17:00: 1h that day; 1-6 Oct off; 7 Oct taken out of the list, so a Wednesday: 09:00-12:00 (3h, 4h in all), 13:00-17:00 → due 7 Oct 17:00
      'A,2026-09-30 17:00,,',
      // 9 Oct (Fri) 17:00: 1h; 10 Oct is a make-up Saturday with Monday's hours 09:00-12:00: 09:00-12:00 (3h, 4h), 13:00-17:00 → due 10 Oct 17:00
      'B,2026-10-09 17:00,,',
      // 23 Dec (Wed) 17:00: 1h; 24 Dec off (added); 25 Dec (Fri) 09:00-12:00, 13:00-17:00 → due 25 Dec 17:00
      'C,2026-12-23 17:00,,',
      // the daily calendar with CN: 30 Sep 16:00-17:00 (1h); 1-7 Oct off; 8 Oct 09:00-16:00 (7h) → due 8 Oct 16:00
      'D,2026-09-30 16:00,,other',
    ].join('\n') + '\n', '2026-12-31T00:00', { onTicket: (ev) => (dues[ev.ticket.id] = fmt(ev.results[1].due, 'Asia/Shanghai')) });
    expect(dues).toEqual({ A: '2026-10-07T17:00', B: '2026-10-10T17:00', C: '2026-12-25T17:00', D: '2026-10-08T16:00' });
    expect(r.warnings).toEqual([]); // all inside 2026, which chinese-days covers
  });

  test('a date beyond the data warns once per country list, naming the calendars and the last year covered', async () => {
    const r = await auditText(yaml, 'id,created,resolved,team\nA,2026-12-30 10:00,,\nB,2026-12-30 10:00,,other\n', '2027-01-05T00:00');
    const v = CHINESE_DAYS;
    // as of 5 Jan 00:00 the open tickets are measured up to 4 Jan, a day 2027's list would have to say something about
    expect(r.warnings).toEqual([
      `calendars "office", "other": CN public holidays and make-up working days come from chinese-days ${v}, which covers 2004–2026; this run reaches 2027-01-04, where none are applied (list that year's days under holidays: and workdays:, or update sla-audit)`,
    ]);
  });
});

describe('other countries through date-holidays', () => {
  const config = cfg(`
timezone: UTC
calendars:
  us:
    hours: { mon-fri: [09:00-17:00] }
    holidays: [{ country: us }]
  bavaria:
    hours: { mon-fri: [08:00-16:00] }
    holidays: [{ country: DE, region: BY }]
policies:
  - { name: p, calendar: us, targets: { resolution: 8h } }
`);

  test('US federal holidays in 2026 (5 U.S.C. 6103; a Saturday holiday is observed on the Friday before)', () => {
    // New Year's Day Thu 1 Jan; Martin Luther King Jr. Day, 3rd Monday of January (5, 12, 19) = 19 Jan;
    // Washington's Birthday, 3rd Monday of February (2, 9, 16) = 16 Feb; Memorial Day, last Monday of May = 25 May;
    // Juneteenth Fri 19 Jun; Independence Day Sat 4 Jul, observed Fri 3 Jul (both listed); Labor Day, 1st Monday of
    // September = 7 Sep; Columbus Day, 2nd Monday of October (5, 12) = 12 Oct; Veterans Day Wed 11 Nov;
    // Thanksgiving, 4th Thursday of November (5, 12, 19, 26) = 26 Nov; Christmas Day Fri 25 Dec.
    const y = calendarYear(config.calendars.get('us')!, 2026);
    expect(y.days_off.map((d) => d.date)).toEqual([
      '2026-01-01', '2026-01-19', '2026-02-16', '2026-05-25', '2026-06-19', '2026-07-03', '2026-07-04', '2026-09-07', '2026-10-12', '2026-11-11', '2026-11-26', '2026-12-25',
    ]);
    expect(y.workdays).toEqual([]);
    expect(y.days_off.every((d) => d.source === 'US')).toBe(true);
  });

  test('Bavaria (DE-BY) in 2026: Easter Sunday is 5 April', () => {
    // Neujahr 1 Jan; Heilige Drei Könige 6 Jan; Karfreitag = Easter - 2 = 3 Apr; Ostermontag = Easter + 1 = 6 Apr;
    // Tag der Arbeit 1 May; Christi Himmelfahrt = Easter + 39 = 14 May; Pfingstmontag = Easter + 50 = 25 May;
    // Fronleichnam = Easter + 60 = 4 Jun; Tag der Deutschen Einheit 3 Oct; Allerheiligen 1 Nov; 25 and 26 Dec.
    // (Mariä Himmelfahrt, 15 Aug, is a holiday only in Bavaria's mainly Catholic communities, not state-wide.)
    const y = calendarYear(config.calendars.get('bavaria')!, 2026);
    expect(y.days_off.map((d) => d.date)).toEqual([
      '2026-01-01', '2026-01-06', '2026-04-03', '2026-04-06', '2026-05-01', '2026-05-14', '2026-05-25', '2026-06-04', '2026-10-03', '2026-11-01', '2026-12-25', '2026-12-26',
    ]);
    expect(y.days_off[1].source).toBe('DE-BY');
  });
});

describe('config problems name the place, the value and the fix', () => {
  const problems = (holidays: string, workdays = '') => {
    try {
      cfg(`timezone: Asia/Shanghai
calendars:
  office:
    hours: { mon-fri: [09:00-18:00] }
    holidays: ${holidays}
${workdays ? `    workdays: ${workdays}\n` : ''}policies:
  - { name: p, calendar: office, targets: { resolution: 8h } }
`);
    } catch (e) {
      if (e instanceof ConfigError) return e.lines;
      throw e;
    }
    return [];
  };

  test.each([
    ['[{ country: XX }]', '', ['sla.yaml:5:27 calendars.office.holidays[0].country: unknown country "XX"; use an ISO 3166 code such as CN, US, GB, DE, JP or SG']],
    ['[{ country: Germany }]', '', ['sla.yaml:5:27 calendars.office.holidays[0].country: unknown country "Germany"; use an ISO 3166 code such as DE (Germany)']],
    ['[{ country: DE, region: XX }]', '', ['sla.yaml:5:39 calendars.office.holidays[0].region: unknown region "XX" of DE (known: BB, BE, BW, BY, HB, HE, HH, MV, NI, NW, RP, SH, SL, SN, ST, TH)']],
    ['[{ country: CN, region: GD }]', '', ['sla.yaml:5:39 calendars.office.holidays[0].region: China\'s public holidays are national (the State Council\'s schedule, from chinese-days); remove region "GD"']],
    ['[{ country: CN, except: [2026-10-08] }]', '', [`sla.yaml:5:40 calendars.office.holidays[0].except[0]: 2026-10-08 is neither a public holiday nor a make-up working day of CN in chinese-days ${'$V'}, so there is nothing to take out; remove it, or add a day off as its own holidays: entry`]],
    ['[{ country: CN, exept: [2026-10-07] }]', '', ['sla.yaml:5:31 calendars.office.holidays[0].exept: unknown key "exept" (did you mean "except"?) (allowed: country, region, except)']],
    ['[{ country: CN }]', '[2026-10-05]', ['sla.yaml:6:16 calendars.office.workdays[0]: 2026-10-05 is both a CN public holiday (国庆节 National Day, holidays[0]) and a make-up working day (workdays[0]); to work that day, add it to except: of holidays[0]']],
    ['[{ country: CN }, 2026-10-10]', '', ['sla.yaml:5:33 calendars.office.holidays[1]: 2026-10-10 is both a day off (holidays[1]) and a CN make-up working day (国庆节 National Day, holidays[0]); to take it off, add it to except: of holidays[0]']],
  ])('holidays: %s %s', (holidays, workdays, expected) => {
    expect(problems(holidays, workdays)).toEqual(expected.map((l) => l.replace('$V', CHINESE_DAYS)));
  });

  test('an except: date in a year the data does not cover yet is accepted (listed ahead of time)', () => {
    expect(problems('[{ country: CN, except: [2031-10-07] }]')).toEqual([]);
  });
});

describe('sla-audit calendar', () => {
  test('--year lists the year as JSON: days off with names and sources, make-up days, weekly hours', async () => {
    const r = await cli(['calendar', 'support-hours', '--year', '2026', '-c', FIXTURE, '-f', 'json']);
    expect([r.exitCode, r.stderr]).toEqual([0, '']);
    const y = JSON.parse(r.stdout);
    // the State Council's 33 days of 2026, less 7 October (except:), plus 24 December
    expect(y.days_off).toHaveLength(33 - 1 + 1);
    expect(y.days_off.map((d: { date: string }) => d.date)).not.toContain('2026-10-07');
    expect(y.days_off.at(-1)).toEqual({ date: '2026-12-24', weekday: 'Thu', name: '平安夜 Christmas Eve', source: 'config' });
    expect(y.workdays).toHaveLength(6);
    expect(y.weekly.map((w: { weekday: string; minutes: number }) => `${w.weekday} ${w.minutes / 60}`)).toEqual(['Mon 8', 'Tue 8', 'Wed 8', 'Thu 8', 'Fri 8', 'Sat 6', 'Sun 0']);
  });

  test('-f csv: weekly rows, days off and make-up days', async () => {
    const r = await cli(['calendar', 'support-hours', '--year', '2026', '-c', FIXTURE, '-f', 'csv']);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('kind,date,weekday,name,windows,hours,source');
    expect(lines[1]).toBe('weekly,,Mon,,09:00-12:00 13:00-18:00,8,');
    expect(lines).toContain('day_off,2026-10-01,Thu,国庆节 National Day,,0,CN');
    expect(lines).toContain('workday,2026-10-10,Sat,国庆节 National Day,09:00-12:00 13:00-18:00,8,CN');
    expect(lines).toHaveLength(1 + 7 + 33 + 6);
  });

  test('--from --to: the spine of business windows as UTC instants with the business minutes before each', async () => {
    // Shanghai is UTC+8. Wed 30 Sep: 09:00-12:00 = 01:00-04:00Z (0 before), 13:00-18:00 = 05:00-10:00Z (180 before);
    // 1-6 Oct off; Wed 7 Oct taken out of the list, so open: 480 and 660 before; Thu 8 Oct: 960, 1140; --to 9 Oct 00:00 excludes the 9th.
    // business_day counts the days with windows from the first: 30 Sep is 1, 7 Oct 2 (the holidays have none), 8 Oct 3.
    const r = await cli(['calendar', 'support-hours', '--from', '2026-09-30', '--to', '2026-10-09', '-c', FIXTURE, '-f', 'csv']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe([
      'calendar,window_start_utc,window_end_utc,business_minutes_before,local_date,business_day',
      'support-hours,2026-09-30T01:00:00Z,2026-09-30T04:00:00Z,0,2026-09-30,1',
      'support-hours,2026-09-30T05:00:00Z,2026-09-30T10:00:00Z,180,2026-09-30,1',
      'support-hours,2026-10-07T01:00:00Z,2026-10-07T04:00:00Z,480,2026-10-07,2',
      'support-hours,2026-10-07T05:00:00Z,2026-10-07T10:00:00Z,660,2026-10-07,2',
      'support-hours,2026-10-08T01:00:00Z,2026-10-08T04:00:00Z,960,2026-10-08,3',
      'support-hours,2026-10-08T05:00:00Z,2026-10-08T10:00:00Z,1140,2026-10-08,3',
      '',
    ].join('\n'));
    const j = await cli(['calendar', 'support-hours', '--from', '2026-09-30T12:30', '--to', '2026-10-07T10:00', '-c', FIXTURE, '-f', 'json']);
    // clipped at both ends: 30 Sep 12:30 is in the lunch break, so the first window is 13:00-18:00 (0 before);
    // 7 Oct 09:00-10:00 (300 before); 5h + 1h = 360 minutes in all
    expect(JSON.parse(j.stdout)).toEqual({
      calendar: 'support-hours', timezone: 'Asia/Shanghai', from: '2026-09-30T04:30:00Z', to: '2026-10-07T02:00:00Z', business_minutes: 360,
      windows: [
        { calendar: 'support-hours', window_start_utc: '2026-09-30T05:00:00Z', window_end_utc: '2026-09-30T10:00:00Z', business_minutes_before: 0, local_date: '2026-09-30', business_day: 1 },
        { calendar: 'support-hours', window_start_utc: '2026-10-07T01:00:00Z', window_end_utc: '2026-10-07T02:00:00Z', business_minutes_before: 300, local_date: '2026-10-07', business_day: 2 },
      ],
    });
  });

  test('the spine agrees with the clock over a DST change (New York, 8 March 2026)', async () => {
    const cal = cfg(`
timezone: America/New_York
calendars:
  nyc: { hours: { daily: [00:00-24:00] } }
policies:
  - { name: p, calendar: nyc, targets: { resolution: 8h } }
`).calendars.get('nyc')!;
    // 7 Mar 00:00 EST (05:00Z) to 9 Mar 00:00 EDT (04:00Z): 24h + 23h (the skipped hour) = 47h, one window per day
    const from = at('2026-03-07T00:00', 'America/New_York');
    const to = at('2026-03-09T00:00', 'America/New_York');
    const w = cal.windows(from, to);
    expect(w.map((x) => [new Date(x.start).toISOString(), new Date(x.end).toISOString(), x.cumMinutes])).toEqual([
      ['2026-03-07T05:00:00.000Z', '2026-03-08T05:00:00.000Z', 0],
      ['2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z', 24 * 60],
    ]);
    // the spine's total is the clock's elapsed time
    const last = w[w.length - 1];
    expect(last.cumMinutes + (last.end - last.start) / 60_000).toBe(cal.elapsed(from, to) / 60_000);
    expect(cal.elapsed(from, to) / 60_000).toBe(47 * 60);
  });

  test('the table groups a holiday\'s days and counts the year\'s business time', async () => {
    const t = await cli(['calendar', 'support-hours', '--year', '2026', '-c', FIXTURE]);
    const lines = t.stdout.split('\n');
    // 2026 starts on a Thursday: 52 weeks of 46h and a Thursday (8h) = 2400h. Days off, weekdays 8h, Saturdays 6h:
    // 1-3 Jan 8+8+6 = 22; 15-23 Feb 0+5×8+6+0+8 = 54; 4-6 Apr 6+0+8 = 14; 1-5 May 8+6+0+8+8 = 30;
    // 19-21 Jun 8+6+0 = 14; 25-27 Sep 14; 1-6 Oct 8+8+6+0+8+8 = 38 (7 Oct taken out); 24 Dec 8: 194h off.
    // Make-up days work Monday's 8h: two Sundays +8h, four Saturdays +2h: +24h. 2400 - 194 + 24 = 2230h.
    expect(lines[0]).toBe('Calendar support-hours (Asia/Shanghai), 2026: 33 days off, 6 make-up or special working days, 2230h of business time');
    expect(lines).toContain('│ 2026-10-01..2026-10-06 │ Thu–Tue │ 6 │ 国庆节 National Day       │ CN     │');
    expect(lines).toContain('│ 2026-12-24             │ Thu     │ 1 │ 平安夜 Christmas Eve      │ config │');
  });

  test('the table, a year beyond the data (a warning), and usage errors', async () => {
    const t = await cli(['calendar', 'munich', '--year', '2026', '-c', FIXTURE]);
    expect(t.exitCode).toBe(0);
    // 2026 starts on a Thursday: 52 weeks and a Thursday, 52 × 5 + 1 = 261 weekdays; of the 12 days off, 3 Oct
    // (Sat), 1 Nov (Sun) and 26 Dec (Sat) fall on a weekend, so 261 - 9 = 252 days of 8h = 2016h
    expect(t.stdout.split('\n')[0]).toBe('Calendar munich (Europe/Berlin), 2026: 12 days off, 0 make-up or special working days, 2016h of business time');
    const beyond = await cli(['calendar', 'support-hours', '--year', '2027', '-c', FIXTURE, '-f', 'csv']);
    expect(beyond.exitCode).toBe(0);
    expect(beyond.stderr).toMatch(/^sla-audit: warning: calendar "support-hours": CN public holidays and make-up working days come from chinese-days [\d.]+, which covers 2004–2026; this run reaches 2027-12-31/);
    expect(beyond.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    const missing = await cli(['calendar', 'office', '--year', '2026', '-c', FIXTURE]);
    expect([missing.exitCode, missing.stderr]).toEqual([2, `sla-audit: no calendar "office" in ${FIXTURE} (calendars: 24x7, support-hours, us-desk, munich)\n`]);
    const half = await cli(['calendar', 'munich', '--from', '2026-01-01', '-c', FIXTURE]);
    expect([half.exitCode, half.stderr]).toEqual([2, 'sla-audit: --from and --to go together (the business windows between two dates)\n']);
  });
});

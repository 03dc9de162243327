import { describe, expect, test } from 'vitest';
import { at, cfg, fmt } from '../helpers/index.js';

// Shanghai (UTC+8, no DST). 2026-03-02 is a Monday.
// Working hours: Mon-Fri 09:00-12:00 and 13:00-18:00 (8h a day), Sat 10:00-16:00 (6h).
// Holidays 2026-03-04..2026-03-05 (Wed, Thu); make-up workday Sun 2026-03-08 with Monday's hours.
const config = cfg(`
timezone: Asia/Shanghai
calendars:
  office:
    hours:
      mon-fri: [09:00-12:00, 13:00-18:00]
      sat: [10:00-16:00]
    holidays:
      - 2026-03-04..2026-03-05
    workdays:
      - 2026-03-08
  night:
    hours:
      mon-fri: [22:00-06:00]
policies:
  - name: p
    calendar: office
    targets: { resolution: { default: 1h } }
`);
const Z = 'Asia/Shanghai';
const office = config.calendars.get('office')!;
const night = config.calendars.get('night')!;
const t = (s: string) => at(s, Z);
const min = (ms: number) => ms / 60_000;

describe('elapsed business minutes (hand-worked)', () => {
  test.each([
    // [from, to, minutes, which minutes count]
    ['2026-03-02T11:30', '2026-03-02T13:20', 50, '11:30-12:00 (30) + 13:00-13:20 (20); lunch does not count'],
    ['2026-03-02T08:00', '2026-03-02T09:00', 0, 'before opening'],
    ['2026-03-02T12:10', '2026-03-02T12:50', 0, 'inside the lunch break'],
    ['2026-03-02T17:00', '2026-03-03T10:00', 120, '17:00-18:00 (60) + Tue 09:00-10:00 (60)'],
    ['2026-03-03T17:00', '2026-03-06T09:30', 90, 'Tue 17-18 (60); Wed+Thu holiday (0); Fri 09:00-09:30 (30)'],
    ['2026-03-06T17:00', '2026-03-09T09:30', 60 + 360 + 480 + 30, 'Fri 17-18, Sat 10-16, make-up Sun 8h, Mon 09:00-09:30'],
    ['2026-02-27T18:00', '2026-03-02T09:00', 360, 'Sat 28 Feb 10:00-16:00 only'],
    ['2026-03-02T09:00', '2026-03-02T18:00', 480, 'one full day'],
  ])('%s → %s = %i min (%s)', (a, b, expected) => {
    expect(min(office.elapsed(t(a), t(b)))).toBe(expected);
  });
});

describe('due instants (hand-worked)', () => {
  test.each([
    ['2026-03-02T11:30', 120, '2026-03-02T14:30', '30 before lunch + 90 after'],
    ['2026-03-02T16:00', 120, '2026-03-02T18:00', 'used up exactly at the close: the close, not Tue 09:00'],
    ['2026-03-02T11:00', 60, '2026-03-02T12:00', 'used up exactly at the lunch close'],
    ['2026-03-02T16:00', 121, '2026-03-03T09:01', 'one minute past the close'],
    ['2026-03-03T17:30', 60, '2026-03-06T09:30', '30 on Tue, then the holiday range, 30 on Fri'],
    ['2026-03-07T20:00', 30, '2026-03-08T09:30', 'created Sat after hours; the make-up Sunday opens 09:00'],
    ['2026-03-01T10:00', 30, '2026-03-02T09:30', 'created on a Sunday: clock starts Monday 09:00'],
  ])('%s + %i min → %s (%s)', (start, minutes, due) => {
    expect(fmt(office.dueAfter(t(start), minutes * 60_000), Z)).toBe(due);
  });
});

describe('Nbd: N business days forward at the same business offset, clamped to the close', () => {
  test.each([
    ['2026-03-02T10:00', 1, '2026-03-03T10:00', 'Mon 1h in → Tue 1h in'],
    ['2026-03-02T10:00', 2, '2026-03-06T10:00', 'Wed, Thu are holidays: Tue (1), Fri (2)'],
    ['2026-03-06T17:00', 1, '2026-03-07T16:00', 'Fri 7h in → Sat only has 6h: clamped to the 16:00 close'],
    ['2026-03-06T17:00', 2, '2026-03-08T17:00', 'Sat (1), make-up Sun (2) at 7h in = 17:00'],
    ['2026-03-01T11:00', 1, '2026-03-02T18:00', 'Sunday: clock starts Mon 09:00 (offset 0) → Tue offset 0 = Mon close'],
    ['2026-03-02T12:30', 1, '2026-03-03T12:00', 'created in lunch: offset 3h → Tue 3h in = 12:00 (the lunch close)'],
  ])('%s + %ibd → %s (%s)', (start, days, due) => {
    expect(fmt(office.dueAfterBusinessDays(t(start), days), Z)).toBe(due);
  });
});

describe('a window crossing midnight (22:00-06:00, Mon-Fri starts)', () => {
  test('Friday night runs into Saturday morning; nothing starts on Saturday night', () => {
    // Fri 2026-03-06 22:00 → Sat 06:00 is one 8h window; Sat 22:00 has no window.
    expect(min(night.elapsed(t('2026-03-06T21:00'), t('2026-03-07T23:00')))).toBe(480);
    expect(fmt(night.dueAfter(t('2026-03-07T07:00'), 60 * 60_000), Z)).toBe('2026-03-09T23:00');
    expect(fmt(night.clockStart(t('2026-03-02T03:00')), Z)).toBe('2026-03-02T22:00'); // Sun night has no window
    expect(fmt(night.clockStart(t('2026-03-03T03:00')), Z)).toBe('2026-03-03T03:00'); // inside Mon 22:00-Tue 06:00
  });
});

describe('far apart instants', () => {
  test('the laid-out range grows both ways and stays consistent', () => {
    const a = t('2026-03-02T09:00');
    const before = office.elapsed(a, t('2026-03-03T09:00'));
    expect(min(office.elapsed(t('2020-01-01T00:00'), t('2020-01-02T00:00')))).toBe(480); // Wed 2020-01-01 (not a holiday in this calendar)
    expect(min(office.elapsed(t('2031-06-02T00:00'), t('2031-06-03T00:00')))).toBe(480); // Mon
    expect(office.elapsed(a, t('2026-03-03T09:00'))).toBe(before);
  });
});

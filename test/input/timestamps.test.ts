import { describe, expect, test } from 'vitest';
import { makeParser, type Why } from '../../src/time/timestamp.js';
import { Zone } from '../../src/time/zone.js';

const SH = Zone.of('Asia/Shanghai');
const parse = (format: string, text: string, zone = SH, order?: 'dmy' | 'mdy') => {
  const p = makeParser(format, zone, order);
  if (typeof p === 'string') throw new Error(p);
  const ms = p(text);
  return Number.isNaN(ms) ? 'NaN' : new Date(ms).toISOString();
};
const why = (format: string, text: string, order?: 'dmy' | 'mdy') => {
  const p = makeParser(format, SH, order);
  if (typeof p === 'string') return p;
  const w: Why = {};
  p(text, w);
  return w.reason;
};

describe('auto', () => {
  test.each([
    // naive times are Shanghai wall time (UTC+8)
    ['2026-03-01 09:30', '2026-03-01T01:30:00.000Z'],
    ['2026-03-01T09:30:15', '2026-03-01T01:30:15.000Z'],
    ['2026-03-01T09:30:15.250', '2026-03-01T01:30:15.250Z'],
    ['2026/3/1 9:05', '2026-03-01T01:05:00.000Z'],
    ['2026.03.01 09:30', '2026-03-01T01:30:00.000Z'],
    ['2026-03-01', '2026-02-28T16:00:00.000Z'],
    ['2026-03-01T09:30:00Z', '2026-03-01T09:30:00.000Z'],
    ['2026-03-01T09:30:00+05:30', '2026-03-01T04:00:00.000Z'],
    ['2026-03-01 09:30:00 -0500', '2026-03-01T14:30:00.000Z'],
    ['2026-03-01T09:30Z', '2026-03-01T09:30:00.000Z'],
    ['2026-03-01T09:30-03:30', '2026-03-01T13:00:00.000Z'],
    ['2026-03-01 09:30:15+08:00', '2026-03-01T01:30:15.000Z'],
    ['2026-02-28T23:59:59z', '2026-02-28T23:59:59.000Z'],
    ['2026-03-01 9:30 PM', '2026-03-01T13:30:00.000Z'],
    ['2026-03-01 12:05 AM', '2026-02-28T16:05:00.000Z'],
    ['1772328600', '2026-03-01T01:30:00.000Z'],
    ['1772328600000', '2026-03-01T01:30:00.000Z'],
  ])('%s', (text, iso) => expect(parse('auto', text)).toBe(iso));

  test('day/month order is applied when decided', () => {
    expect(parse('auto', '03/04/2026 10:00', SH, 'dmy')).toBe('2026-04-03T02:00:00.000Z');
    expect(parse('auto', '03/04/2026 10:00', SH, 'mdy')).toBe('2026-03-04T02:00:00.000Z');
    expect(why('auto', '03/04/2026 10:00')).toMatch(/could be day\/month or month\/day; set tickets.timestamp_format/);
  });

  test.each([
    ['31-02-2026 10:00', 'dmy', 'February 2026 has no day 31'],
    ['2026-02-29', undefined, 'February 2026 has no day 29'],
    ['2026-13-01', undefined, 'month 13 does not exist'],
    ['2026-01-01 25:00', undefined, 'the time 25:00 does not exist'],
    ['next tuesday', undefined, '"next tuesday" is not a date'],
    ['0001-01-01', undefined, 'year 1 is out of range'],
  ])('%s is refused: %s', (text, order, reason) => {
    expect(why('auto', text, order as 'dmy' | undefined)).toContain(reason);
  });
});

describe('explicit timestamp_format patterns', () => {
  test.each([
    ['dd-MM-yyyy HH:mm', '29-02-2016 01:16', '2016-02-28T17:16:00.000Z'],
    ['yyyy/MM/dd HH:mm', '2026/03/01 09:30', '2026-03-01T01:30:00.000Z'],
    ['yyyy/MM/dd HH:mm:ss', '2026/03/01 09:30:59', '2026-03-01T01:30:59.000Z'],
    ['MM/dd/yyyy hh:mm a', '03/01/2026 09:30 PM', '2026-03-01T13:30:00.000Z'],
    ['MM/dd/yyyy hh:mm a', '03/01/2026 12:00 AM', '2026-02-28T16:00:00.000Z'],
    ["yyyy-MM-dd'T'HH:mmXXX", '2026-03-01T09:30+01:00', '2026-03-01T08:30:00.000Z'],
    ['dd/MMM/yy hh:mm a', '01/Mar/26 09:30 AM', '2026-03-01T01:30:00.000Z'],
    ['dd/MMM/yy h:mm a', '1/mar/26 9:30 PM', '2026-03-01T13:30:00.000Z'],
    ['d MMMM yyyy HH:mm', '1 March 2026 09:30', '2026-03-01T01:30:00.000Z'],
    ['epoch', '1772328600', '2026-03-01T01:30:00.000Z'],
    ['epoch-ms', '1772328600000', '2026-03-01T01:30:00.000Z'],
  ])('%s: %s', (format, text, iso) => expect(parse(format, text)).toBe(iso));

  test('a time that does not exist is named as written, seconds and all (a leap second is not 23:59)', () => {
    expect(why('auto', '2026-06-30 23:59:60')).toBe('the time 23:59:60 does not exist');
    expect(why('auto', '2026-06-30T23:59:60.5+08:00')).toBe('the time 23:59:60.5 does not exist');
    expect(why('auto', '2026/6/30 11:59:60 PM')).toBe('the time 11:59:60 does not exist');
    expect(why('auto', '2026-06-30 24:00:01')).toBe('the time 24:00:01 does not exist');
    expect(why('yyyy/MM/dd HH:mm:ss', '2026/06/30 23:59:60')).toBe('the time 23:59:60 does not exist');
    expect(why('dd.MM.yyyy HH:mm', '30.06.2026 23:60')).toBe('the time 23:60 does not exist');
  });

  test('a value of another shape names the format', () => {
    expect(why('dd-MM-yyyy HH:mm', '2026-03-01 09:30')).toBe('"2026-03-01 09:30" does not match timestamp_format "dd-MM-yyyy HH:mm"');
    expect(why('dd-MM-yyyy HH:mm', '31-02-2026 10:00')).toBe('February 2026 has no day 31');
  });

  test('unusable patterns are refused with the fix', () => {
    expect(makeParser('dd-MM-yyyy hh:mm', SH)).toMatch(/hh \(12-hour\) without a/);
    expect(makeParser('dd-MM-yyyy QQ', SH)).toMatch(/unknown letter "Q"/);
    expect(makeParser('HH:mm', SH)).toMatch(/needs a year \(yyyy or yy\), a month \(MM or MMM\) and a day \(dd\)/);
    expect(why('dd/MMM/yy hh:mm a', '01/Mrz/26 09:30 AM')).toMatch(/month name expected/);
  });
});

describe('naive times in a DST zone', () => {
  const NY = Zone.of('America/New_York');
  test('a time in the spring-forward gap moves forward by the gap; an ambiguous one takes the earlier instant', () => {
    expect(parse('auto', '2026-03-08 02:30', NY)).toBe('2026-03-08T07:30:00.000Z'); // = 03:30 EDT
    expect(parse('auto', '2026-11-01 01:30', NY)).toBe('2026-11-01T05:30:00.000Z'); // = 01:30 EDT
    expect(parse('auto', '2026-11-01 01:30-05:00', NY)).toBe('2026-11-01T06:30:00.000Z'); // offset honoured
  });
});

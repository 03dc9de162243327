/**
 * The times the compiled SQL leaves unread, read again with the engine's parser (what
 * `check --engine postgres` refuses on): which texts the engine reads per format, and the refusal's
 * one line (column, count, first row; never a cell's text).
 */
import { describe, expect, test } from 'vitest';
import { Zone } from '../../src/time/zone.js';
import { engineReads, UnreadTimes } from '../../src/warehouse/unread-times.js';

const SH = Zone.of('Asia/Shanghai');

describe('engineReads', () => {
  test.for([
    // auto's shapes besides ISO 8601: year-first with / or ., 12-hour AM/PM, 10- and 13-digit epoch, day/month-first (either order)
    ['2026/10/02 10:00', true], ['2026.10.02 10:00', true], ['2026-10-02 10:00 PM', true], ['1790000000', true], ['1790000000000', true],
    ['13/10/2026 10:00', true], ['10/13/2026 10:00', true], ['02/10/2026 10:00', true],
    // neither reads: no such day, no such hour, no date, a month neither order has
    ['2026-02-30 10:00', false], ['2026-10-02 25:00', false], ['soon', false], ['13/13/2026 10:00', false],
  ] as const)('auto: %s → %s', ([text, reads]) => {
    expect(engineReads('auto', SH)(text)).toBe(reads);
  });

  test('a pattern reads its own shape only', () => {
    const reads = engineReads('yyyy/MM/dd HH:mm', SH);
    expect(reads('2026/10/02 10:00')).toBe(true);
    expect(reads('2026-10-02 10:00')).toBe(false);
  });
});

describe('UnreadTimes', () => {
  test('counts per column what the engine reads, names the earliest row, and never echoes a cell', () => {
    const u = new UnreadTimes('auto', SH);
    u.add('Created', 9, '2026/10/02 10:00');
    u.add('Created', 4, '1790000000');
    u.add('Created', 3, 'soon'); // neither reads: stays a row problem
    u.add('Resolved', 7, '2026.10.03 11:00');
    u.add('Resolved', 8, null);
    const e = u.refusal('--table tickets', 'auto');
    expect(e?.message).toBe('--table tickets, column "Created": 2 times (the first in row 4) and 1 in other columns the SQL does not read as the engine does (timestamp_format auto reads them in check, the SQL\'s auto reads ISO 8601 only): refused rather than audited with other numbers; set tickets.timestamp_format to the pattern of these times (e.g. "yyyy/MM/dd HH:mm"), which the SQL compiles, or run sla-audit check on an export of the table');
    expect(e?.message).not.toMatch(/1790000000|2026\/10/);
  });

  test('nothing the engine reads: no refusal', () => {
    const u = new UnreadTimes('auto', SH);
    u.add('Created', 2, '2026-02-30 10:00');
    expect(u.refusal('--table t', 'auto')).toBeUndefined();
  });
});

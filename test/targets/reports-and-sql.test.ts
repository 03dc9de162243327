/** Nbd@end and Nmo through the CLI: explain's words, the per-ticket CSV, and the SQL that compiles both (--engine duckdb with them). */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { cli } from '../cli/run.js';

const dir = mkdtempSync(join(tmpdir(), 'sla-targets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BDAY = ['-c', 'fixtures/targets/close-of-business-day/sla.yaml', 'fixtures/targets/close-of-business-day/tickets.csv', '--as-of', '2026-03-23T17:00'];
const MONTHS = ['-c', 'fixtures/targets/calendar-months/sla.yaml', 'fixtures/targets/calendar-months/tickets.csv', '--as-of', '2028-03-15T00:00'];

describe('explain says how the due time was named', () => {
  test('2bd@end after the close: day 0 is the day of creation, the clock starts the next morning', async () => {
    const r = await cli(['explain', 'E3', ...BDAY]);
    expect(r.exitCode).toBe(0);
    // Tue 17 + Wed 18 Mar, 8h each = 16h (test/targets/close-of-business-day.test.ts)
    expect(r.stdout).toContain('  target      2bd@end = 16h of business time (due at the close of the 2nd business day after Mon 2026-03-16)\n');
    expect(r.stdout).toContain('  clock start 2026-03-17 09:00 (next opening after creation)\n  due         2026-03-18 18:00\n');
    const j = JSON.parse((await cli(['explain', 'E3', ...BDAY, '-f', 'json'])).stdout);
    expect(j.metrics[1]).toMatchObject({ target: '2bd@end', target_minutes: 960, due_rule: { kind: 'close_of_business_day', business_days: 2, after: '2026-03-16' } });
  });

  test('with a pause, the rule names the close and the due line shows where the pause moved it', async () => {
    const r = await cli(['explain', 'E1', ...BDAY, '--events', 'fixtures/targets/close-of-business-day/history.csv']);
    // Mon 10:30-12:00 + 13:00-18:00 (6h 30m) + Tue 8h + Wed 8h = 22h 30m; the hour paused Tue 10:00-11:00 moves Wed 18:00 to Thu 10:00
    expect(r.stdout).toContain('  target      2bd@end = 22h 30m of business time (due at the close of the 2nd business day after Mon 2026-03-02; pauses move it on)\n');
    expect(r.stdout).toContain('  due         2026-03-05 10:00\n');
  });

  test('1mo clamped to February, and 2mo onto a skipped wall time', async () => {
    const m1 = await cli(['explain', 'M1', ...MONTHS]);
    // 28 days × 24h = 672h
    expect(m1.stdout).toContain("  target      1mo = 672h of business time (due 1 calendar month after 2026-01-31 10:00 at the same wall time: 2026-02-28 10:00, the month's last day)\n");
    const m6 = await cli(['explain', 'M6', ...MONTHS]);
    // 59 days × 24h = 1416h; 01:30 on 29 Mar 2026 does not exist in London
    expect(m6.stdout).toContain('  target      2mo = 1416h of business time (due 2 calendar months after 2026-01-29 01:30: 2026-03-29 02:30, as 01:30 does not exist that day (the clocks went forward))\n');
    const j = JSON.parse((await cli(['explain', 'M1', ...MONTHS, '-f', 'json'])).stdout);
    expect(j.metrics[1].due_rule).toEqual({ kind: 'calendar_months', months: 1, from: '2026-01-31T10:00:00+00:00', to: '2026-02-28T10:00:00+00:00', month_end: true });
  });
});

test('the per-ticket CSV has each ticket\'s own target minutes', async () => {
  const out = join(dir, 'months.csv');
  const r = await cli(['check', ...MONTHS, '-q', '-o', out]);
  expect(r.exitCode).toBe(0);
  const rows = readFileSync(out, 'utf8').split('\n').filter((l) => l.includes(',resolution,'));
  // 28, 29, 30 days; 31 days less and plus the DST hour; 59 days; 30 days (in minutes)
  expect(rows.map((l) => l.split(',')[5])).toEqual(['40320', '41760', '43200', '44580', '44700', '84960', '43200']);
});

describe('the SQL compiles Nbd@end and Nmo; --engine duckdb computes them itself', () => {
  test('sql compiles them (with the spine written in), and refuses Nbd@end with --spine-table naming the way out', async () => {
    const r = await cli(['sql', '--dialect', 'duckdb', '-c', 'fixtures/targets/close-of-business-day/sla.yaml', '--from', '2026-03-01', '--to', '2026-03-31']);
    expect([r.exitCode, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/CREATE OR REPLACE TEMP TABLE "sla_bday_days" AS/);
    const m = await cli(['sql', '--dialect', 'postgres', '-c', 'fixtures/targets/calendar-months/sla.yaml', '--from', '2026-01-01', '--to', '2028-03-15']);
    expect([m.exitCode, m.stderr]).toEqual([0, '']);
    expect(m.stdout).toMatch(/CREATE TEMP TABLE "sla_month_days" AS/);
    const t = await cli(['sql', '--dialect', 'duckdb', '-c', 'fixtures/targets/close-of-business-day/sla.yaml', '--from', '2026-03-01', '--to', '2026-03-31', '--spine-table', 'spine']);
    expect([t.exitCode, t.stdout]).toEqual([2, '']);
    expect(t.stderr).toBe('sla-audit: sql: policy "Support" target resolution.P2: 2bd@end (due at the close of a business day) is not compiled with --spine-table; compile without it (the spine is then written into the script)\n');
  });

  test.each([['months', MONTHS], ['@end', BDAY], ['months with a history', [...MONTHS, '--events', 'fixtures/targets/calendar-months/history.csv']], ['@end with a history', [...BDAY, '--events', 'fixtures/targets/close-of-business-day/history.csv']]])('%s: the same reports as the streaming engine', async (_what, args) => {
    const s = await cli(['check', ...args, '-f', 'json']);
    const d = await cli(['check', ...args, '-f', 'json', '--engine', 'duckdb']);
    const undated = (x: string) => x.replace(/"generatedAt": "[^"]*"/g, '');
    expect([d.exitCode, undated(d.stdout)]).toEqual([s.exitCode, undated(s.stdout)]);
    // the SQL computed them: no hand-over note (a history file is read by the streaming engine, as ever)
    if (!args.includes('--events')) expect(d.stderr).not.toMatch(/not compiled|streaming engine reads this run/);
  });
});

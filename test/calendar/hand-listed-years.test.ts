import { afterAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditText } from '../helpers/index.js';
import { cli } from '../cli/run.js';

// Holidays listed by hand as dates cover the years they are listed for: a run that reaches a year
// with none at all (while other years have some) counts that year's public holidays as working days.
// It is warned about once per calendar and year; validate warns too.

const dir = mkdtempSync(join(tmpdir(), 'sla-listed-years-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Mon-Fri 09:00-18:00 in Shanghai; first response 8h; `holidays` as given. */
const config = (holidays: string) => `timezone: Asia/Shanghai
calendars:
  office:
    hours: { mon-fri: ["09:00-18:00"] }
    holidays:
${holidays}
tickets:
  columns: { id: id, created_at: created, first_response_at: replied, priority: priority }
priorities: { P2: [normal] }
policies:
  - name: Desk
    calendar: office
    targets: { first_response: 8h }
`;
const LISTED_2026 = `      - { date: 2026-10-01..2026-10-07, name: National Day }
      - 2026-01-01`;

// N25 was created on Wednesday 2025-10-01 09:00 (National Day 2025, not listed) and answered Thursday
// 10-02 09:00: on the weekly hours that is 9h (10-01 09:00-18:00) = 540 minutes > 480: breached.
// With 2025's National Day (10-01..10-08) listed, its clock would start Thursday 10-09 09:00, after the
// reply: 0 minutes, met.
// N26 was created on Thursday 2026-10-01 (a listed holiday) and answered Thursday 10-08 10:00: its
// clock starts Thursday 10-08 09:00 (10-01..10-07 off), 1h: met.
const TICKETS = 'id,created,replied,priority\nN25,2025-10-01 09:00,2025-10-02 09:00,normal\nN26,2026-10-01 09:00,2026-10-08 10:00,normal\n';
const AS_OF = '2026-11-01T00:00';
writeFileSync(join(dir, 'listed-2026.yaml'), config(LISTED_2026));
writeFileSync(join(dir, 'tickets.csv'), TICKETS);

describe('a year the hand-listed holidays leave out', () => {
  test('holidays listed for 2026 only, tickets in 2025: one warning naming the calendar and 2025', async () => {
    const r = await auditText(config(LISTED_2026), TICKETS, AS_OF);
    expect(r.metrics.first_response).toMatchObject({ met: 1, breached: 1 });
    expect(r.warnings).toEqual([
      'calendar "office": its holidays: list days off in 2026 only and none in 2025, which this run reaches: every day of 2025 counts by the weekly hours, public holidays as working days; list 2025\'s holidays under holidays:, or take a country\'s public holidays with { country: CN } (your country\'s code)',
    ]);
  });

  test('on stderr as a run warning, once, and the reports on stdout are as before', async () => {
    const run = await cli(['check', '-c', 'listed-2026.yaml', 'tickets.csv', '--as-of', AS_OF, '-f', 'json'], { cwd: dir });
    const lines = run.stderr.split('\n').filter((l) => l.includes('none in 2025'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^sla-audit: warning: calendar "office": its holidays: list days off in 2026 only and none in 2025, /);
    // the JSON report has no warnings key: run warnings are stderr's, as the history coverage's are
    expect(Object.keys(JSON.parse(run.stdout))).not.toContain('warnings');
  });

  test('no warning when the year is listed, a country gives its holidays, or a yearly rule does', async () => {
    const listed2025 = `${LISTED_2026}\n      - { date: 2025-10-01..2025-10-08, name: National Day }`;
    const withCountry = `${LISTED_2026}\n      - { country: CN }`;
    const everyYear = `${LISTED_2026}\n      - { every: 01-01, name: New Year }`;
    for (const h of [listed2025, withCountry, everyYear]) expect((await auditText(config(h), TICKETS, AS_OF)).warnings).toEqual([]);
    // 2025's National Day listed: N25 met (above)
    expect((await auditText(config(listed2025), TICKETS, AS_OF)).metrics.first_response).toMatchObject({ met: 2, breached: 0 });
  });

  test('tickets only in the listed year: no warning; a year reached only by a due time counts too', async () => {
    const only2026 = 'id,created,replied,priority\nN26,2026-10-01 09:00,2026-10-08 10:00,normal\n';
    expect((await auditText(config(LISTED_2026), only2026, AS_OF)).warnings).toEqual([]);
    // created Thursday 2026-12-31 17:00, open at --as-of 2027-01-01 12:00: the clock runs into 2027
    // (Friday 2027-01-01 09:00-12:00, New Year's Day, counted as working: none is listed for 2027)
    const late = 'id,created,replied,priority\nNY,2026-12-31 17:00,,normal\n';
    expect((await auditText(config(LISTED_2026), late, '2027-01-01T12:00')).warnings).toEqual([expect.stringContaining('none in 2027, which this run reaches')]);
  });

  test('each run of consecutive years its own warning, the years folded into one line', async () => {
    // tickets in 2022, 2024, 2025 and 2026; holidays listed for 2026: 2022 alone, then 2024–2025
    const tickets = 'id,created,replied,priority\nZ,2022-03-03 09:00,2022-03-03 10:00,normal\nA,2024-03-04 09:00,2024-03-04 10:00,normal\nB,2025-03-04 09:00,2025-03-04 10:00,normal\nC,2026-03-04 09:00,2026-03-04 10:00,normal\n';
    const w = (await auditText(config(LISTED_2026), tickets, AS_OF)).warnings;
    expect(w.map((x) => x.match(/none in (\d{4}(?:–\d{4})?)/)![1])).toEqual(['2022', '2024–2025']);
    expect(w[1]).toContain('every day of those years counts by the weekly hours');
    // a ticket created in 1900 still open at --as-of 2026-11-01 reaches every year from 1900 to 2026: one line, not 126
    const old = (await auditText(config(LISTED_2026), 'id,created,replied,priority\nOLD,1900-03-05 09:00,,normal\n', AS_OF)).warnings;
    expect(old).toEqual([expect.stringContaining('list days off in 2026 only and none in 1900–2025, which this run reaches')]);
  });

  test('explain warns as check does, on stderr', async () => {
    const run = await cli(['explain', 'N26', '-c', 'listed-2026.yaml', 'tickets.csv', '--as-of', AS_OF], { cwd: dir });
    expect(run.exitCode).toBe(0);
    expect(run.stderr.split('\n').filter((l) => /^sla-audit: warning: calendar "office": its holidays: list days off in 2026 only and none in 2025, /.test(l))).toHaveLength(1);
  });
});

describe('every engine warns the same way', () => {
  test('check --engine duckdb: the same warning on stderr as the streaming engine, and no note of a fallback', async () => {
    const args = ['check', '-c', 'listed-2026.yaml', 'tickets.csv', '--as-of', AS_OF, '-q'];
    const streaming = await cli(args, { cwd: dir });
    const duckdb = await cli([...args, '--engine', 'duckdb'], { cwd: dir });
    expect(streaming.stderr).toMatch(/^sla-audit: warning: calendar "office": its holidays: list days off in 2026 only and none in 2025, /m);
    expect(duckdb.stderr).toBe(streaming.stderr);
    expect(duckdb.exitCode).toBe(streaming.exitCode);
  });
});

describe('validate', () => {
  test('with the tickets: the years they were created in that have no holidays', async () => {
    const run = await cli(['validate', '-c', 'listed-2026.yaml', 'tickets.csv'], { cwd: dir });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe(
      'sla-audit: warning: listed-2026.yaml: calendar "office": its holidays: list days off in 2026 only and none in 2025, which tickets in tickets.csv were created in: every day of 2025 counts by the weekly hours, public holidays as working days; list 2025\'s holidays under holidays:, or take a country\'s public holidays with { country: CN } (your country\'s code)\n',
    );
  });

  test('without tickets: a year between listed years with none; one listed year alone is not warned about', async () => {
    writeFileSync(join(dir, 'gap.yaml'), config(`      - 2024-01-01\n      - 2026-01-01`));
    const gap = await cli(['validate', '-c', 'gap.yaml'], { cwd: dir });
    expect(gap.exitCode).toBe(0);
    expect(gap.stderr).toBe(
      'sla-audit: warning: gap.yaml: calendar "office": its holidays: list days off in 2024 and 2026 and none in 2025, which lies between them: every day of 2025 counts by the weekly hours, public holidays as working days; list 2025\'s holidays under holidays:, or take a country\'s public holidays with { country: CN } (your country\'s code)\n',
    );
    const alone = await cli(['validate', '-c', 'listed-2026.yaml'], { cwd: dir });
    expect(alone.stderr).toBe('');
  });
});

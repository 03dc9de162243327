import { describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../cli/run.js';

// fixtures/warnings/queue: Shanghai, office Mon-Fri 09:00-18:00 (9h a day), 2026-10-12 (a Monday) off;
// resolution target 10h; ladder 50% 组长, 75% 主管, 100% 经理, 150% 总监. --as-of Friday 2026-10-09
// 16:00, so what is left runs over the weekend (10-10, 10-11) and the holiday (10-12) into Tuesday.
const DIR = 'fixtures/warnings/queue';
const BASE = ['-c', `${DIR}/sla.yaml`, `${DIR}/tickets.csv`, '--events', `${DIR}/events.csv`];
const ARGS = [...BASE, '--as-of', '2026-10-09T16:00'];

describe('sla-audit queue', () => {
  test('every open clock: overdue first, then by due time across a weekend and a holiday, paused last', async () => {
    const r = await cli(['queue', ...ARGS, '-f', 'json']);
    expect(r.exitCode).toBe(0);
    const j = JSON.parse(r.stdout);
    // Q150 created Thu 10:00: Thu 8h + Fri 09:00-16:00 7h = 15h (150%: 总监), due 10h after Thu 10:00 = Fri 11:00.
    // Q100 Thu 15:00: 3h + 7h = 10h (100%: 经理, overdue with 0 left), due now.
    // Q75 Thu 17:30: 30m + 7h = 7h30m (75%: 主管, at risk); 2h30m left: Fri 16:00-18:00, then (Sat, Sun
    //   and Monday's holiday off) Tue 09:00-09:30.
    // Q50 Fri 11:00: 5h (50%: 组长); 5h left: 2h Friday + Tue 09:00-12:00. Q49 a minute later: 4h59m, below
    //   the first rung, due Tue 12:01. Q2 Fri 14:00: 2h; 8h left: 2h + Tue 09:00-15:00.
    // QP created Fri 09:00, Pending from 10:00 and still: 1h, no due time while paused: last.
    expect(j.tickets.map((t: Record<string, unknown>) => [t.id, t.status, t.elapsed_minutes, t.share, t.left_minutes, t.due_at, t.level])).toEqual([
      ['Q150', 'overdue', 900, 1.5, -300, '2026-10-09T11:00:00+08:00', '总监'],
      ['Q100', 'overdue', 600, 1, 0, '2026-10-09T16:00:00+08:00', '经理'],
      ['Q75', 'at_risk', 450, 0.75, 150, '2026-10-13T09:30:00+08:00', '主管'],
      ['Q50', 'running', 300, 0.5, 300, '2026-10-13T12:00:00+08:00', '组长'],
      ['Q49', 'running', 299, 0.4983, 301, '2026-10-13T12:01:00+08:00', null],
      ['Q2', 'running', 120, 0.2, 480, '2026-10-13T15:00:00+08:00', null],
      ['QP', 'running', 60, 0.1, 540, null, null],
    ]);
    expect([j.open, j.levels]).toEqual([7, ['组长', '主管', '经理', '总监']]);
    // the resolved tickets (C1-C4) are not in the queue
    expect(j.tickets.some((t: { id: string }) => t.id.startsWith('C'))).toBe(false);
  });

  test('the table shows time left negative when overdue, "paused" for a stopped clock', async () => {
    const r = await cli(['queue', ...ARGS]);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Queue as of 2026-10-09 16:00 (Asia/Shanghai): 7 open clocks, 2 overdue, 1 at risk');
    expect(lines[4]).toMatch(/^│ Q150 .* │ {5}15h │ {4}10h │ {2}150% │ {4}-5h │ 2026-10-09 11:00 │ 总监 {2}│$/);
    expect(lines[10]).toMatch(/^│ QP .* │ paused {11}│ – {5}│$/);
  });

  test('--within keeps what is due within that business time (overdue included, paused not); --level that level and above', async () => {
    const within = JSON.parse((await cli(['queue', ...ARGS, '--within', '4h', '-f', 'json'])).stdout);
    expect(within.tickets.map((t: { id: string }) => t.id)).toEqual(['Q150', 'Q100', 'Q75']);
    expect(within.open).toBe(7);
    const level = JSON.parse((await cli(['queue', ...ARGS, '--level', '经理', '-f', 'json'])).stdout);
    expect(level.tickets.map((t: { id: string }) => t.id)).toEqual(['Q150', 'Q100']);
    const md = (await cli(['queue', ...ARGS, '--within', '5h', '--level', '组长', '-f', 'markdown'])).stdout;
    expect(md.split('\n')[0]).toBe('### Queue as of 2026-10-09 16:00 (Asia/Shanghai): 4 open clocks due within 5h, at 组长 or above (of 7), 2 overdue, 1 at risk');
  });

  test('--fail-on-level exits 1 when any open clock reached the level, whatever the filters; 0 when none did', async () => {
    const r = await cli(['queue', ...ARGS, '--fail-on-level', '总监', '--within', '1h', '-q']);
    expect([r.exitCode, r.stdout, r.stderr]).toEqual([1, '', 'sla-audit: 1 open clock at 总监 or above (--fail-on-level)\n']);
    // at Fri 11:00 Q150 has used 8h + 2h = 10h: 经理, not yet 总监
    const early = await cli(['queue', ...BASE, '--as-of', '2026-10-09T11:00', '--fail-on-level', '总监', '-q']);
    expect([early.exitCode, early.stderr]).toEqual([0, '']);
    const unknown = await cli(['queue', ...ARGS, '--fail-on-level', '局长']);
    expect([unknown.exitCode, unknown.stderr]).toEqual([2, 'sla-audit: --fail-on-level 局长: no such escalation level (levels, lowest first: 组长, 主管, 经理, 总监)\n']);
    const within = await cli(['queue', ...ARGS, '--within', '2bd']);
    expect([within.exitCode, within.stderr]).toEqual([2, 'sla-audit: --within 2bd: give business time in hours and minutes (4h, 30m, 1h30m)\n']);
  });

  test('-o writes every format atomically and never over an input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-queue-'));
    const r = await cli(['queue', ...ARGS, '-q', '-o', join(dir, 'queue.md'), '-o', join(dir, 'queue.csv'), '-o', join(dir, 'queue.html')]);
    expect(r.exitCode).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['queue.csv', 'queue.html', 'queue.md']);
    expect(readFileSync(join(dir, 'queue.csv'), 'utf8').split('\n')[1]).toBe('Q150,resolution,overdue,P2,Standard,二线,陈静,900,600,1.5,-300,2026-10-09T11:00:00+08:00,总监');
    expect(readFileSync(join(dir, 'queue.html'), 'utf8')).toMatch(/<td class="text"( data-label="[^"]*")?>总监<\/td>/);
    rmSync(dir, { recursive: true });
    const over = await cli(['queue', ...ARGS, '-o', `${DIR}/events.csv`]);
    expect(over.exitCode).toBe(2);
    expect(over.stderr).toMatch(/^sla-audit: -o fixtures\/warnings\/queue\/events.csv: is an --events file/);
  });
});

describe('the escalation ladder in check', () => {
  test('tickets that reached each level (a ticket counts at every level up to its highest), per month, and how many are still open', async () => {
    const r = await cli(['check', ...ARGS, '--period', 'month', '-f', 'json']);
    // highest levels: Q50 组长, Q75 主管, Q100 经理, Q150 总监 (open); C2 resolved in 6h (60%) 组长,
    // C3 in 12h (Tue 9h + Wed 3h; 120%) 经理, C4 in 18h (180%) 总监; Q49, Q2, QP and C1 (4h, 40%) none.
    // Reached 总监: Q150, C4 = 2; 经理: + Q100, C3 = 4; 主管: + Q75 = 5; 组长: + Q50, C2 = 7.
    // Still open: Q150; + Q100; + Q75; + Q50. September: only C4 (总监, so every level below too).
    expect(JSON.parse(r.stdout).escalation).toEqual({
      levels: ['组长', '主管', '经理', '总监'],
      reached: [{ level: '组长', tickets: 7, open: 4 }, { level: '主管', tickets: 5, open: 3 }, { level: '经理', tickets: 4, open: 2 }, { level: '总监', tickets: 2, open: 1 }],
      periods: [{ period: '2026-09', reached: [1, 1, 1, 1] }, { period: '2026-10', reached: [6, 4, 3, 1] }],
    });
    const table = (await cli(['check', ...ARGS, '--period', 'month'])).stdout;
    expect(table).toContain([
      'Escalation (tickets that reached each level, by month of creation)',
      '┌──────────────┬──────┬──────┬──────┬──────┐',
      '│ month        │ 组长 │ 主管 │ 经理 │ 总监 │',
      '├──────────────┼──────┼──────┼──────┼──────┤',
      '│ 2026-09      │    1 │    1 │    1 │    1 │',
      '│ 2026-10      │    6 │    4 │    3 │    1 │',
      '│ all          │    7 │    5 │    4 │    2 │',
      '│ of them open │    4 │    3 │    2 │    1 │',
      '└──────────────┴──────┴──────┴──────┴──────┘',
    ].join('\n'));
  });

  test('a ticket exactly at a rung is at that level; explain says which', async () => {
    for (const [id, level] of [['Q49', 'no level reached'], ['Q50', '组长'], ['Q75', '主管'], ['Q100', '经理'], ['Q150', '总监']]) {
      const r = await cli(['explain', id, ...ARGS]);
      expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(`escalation: ${level}`);
    }
  });

  test('validate names the levels, the message metrics and the credits a config has', async () => {
    const out = async (file: string) => (await cli(['validate', '-c', file])).stdout;
    expect(await out(`${DIR}/sla.yaml`)).toBe(`${DIR}/sla.yaml: valid (1 policy, 1 calendar (office), 0 objectives, timezone Asia/Shanghai, escalation levels 组长 < 主管 < 经理 < 总监)\n`);
    expect(await out('fixtures/engine/messages/sla.yaml')).toBe('fixtures/engine/messages/sla.yaml: valid (1 policy, 1 calendar (office), 0 objectives, timezone Asia/Shanghai, metrics first_response, resolution, next_reply, periodic_update (next_reply and periodic_update need --messages))\n');
    expect(await out('fixtures/warnings/credits/sla.yaml')).toBe('fixtures/warnings/credits/sla.yaml: valid (1 policy, 0 calendars, 0 objectives, timezone Asia/Shanghai, credits per month)\n');
  });

  test('ladders that rank two levels differently are one config error', async () => {
    const r = await cli(['validate', '-c', 'fixtures/warnings/queue/crossed-ladders.yaml']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('sla-audit: fixtures/warnings/queue/crossed-ladders.yaml:10:7 policies[1].escalation: puts "主管" below "组长", but policy "A" puts it above; a level must rank the same in every ladder\n');
  });
});

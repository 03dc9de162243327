import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { cli } from '../cli/run.js';

// fixtures/rules/metric-calendars: Asia/Shanghai; calendar "support" Mon-Fri 09:00-18:00 (no lunch
// break); 2026-03-02 is a Monday. Measured as of Mon 2026-03-09 12:00.
// Policy Chat (channel Chat): calendars { first_response: support, resolution: 24x7 }, targets first
//   response 10m, resolution 24h; pause_on { resolution: [Pending, 待客户确认] }: only the resolution stops.
// Policy Desk (the rest): calendar support and pause_on [Pending] for every metric, targets 2h and 2bd.
// credits: CNY 10 per started hour over target (on the metric's own calendar).
const DIR = 'fixtures/rules/metric-calendars';
const FILES = ['-c', `${DIR}/sla.yaml`, `${DIR}/tickets.csv`, '--events', `${DIR}/history.csv`, '--as-of', '2026-03-09T12:00'];

describe('a calendar and pauses per metric', () => {
  test('per ticket: each metric on its own calendar with its own pauses, hand-worked', async () => {
    const r = await cli(['check', ...FILES, '-f', 'csv']);
    expect(r.exitCode).toBe(0);
    const rows = r.stdout.trim().split('\n');
    expect(rows[0]).toBe('ticket_id,policy,priority,metric,status,target_minutes,elapsed_minutes,due_at,completed_at');
    expect(rows.slice(1)).toEqual([
      // C1, created Mon 08:50 before opening. First response on support: the clock starts at 09:00, reply
      //   09:08 = 8m of 10m, met; due 09:10. Resolution on 24x7: Mon 08:50 → Tue 08:00 = 23h10m = 1390m
      //   of 24h, met; due Tue 08:50.
      'C1,Chat,,first_response,met,10,8,2026-03-02T09:10:00+08:00,2026-03-02T09:08:00+08:00',
      'C1,Chat,,resolution,met,1440,1390,2026-03-03T08:50:00+08:00,2026-03-03T08:00:00+08:00',
      // C2, created Fri 17:55. First response: Fri 17:55-18:00 (5m) + Mon 09:00-09:06 (6m) = 11m, breached
      //   by 1m; due after Fri's 5m and Mon's first 5m = Mon 09:05. Resolution, clock hours: Fri 17:55 →
      //   Mon 10:00 = 6h05m + 24h + 24h + 10h = 64h05m = 3845m, breached; due Sat 17:55. (On the support
      //   calendar it would have been 5m + 1h = 65m, met: the metric's own calendar decides.)
      'C2,Chat,,first_response,breached,10,11,2026-03-09T09:05:00+08:00,2026-03-09T09:06:00+08:00',
      'C2,Chat,,resolution,breached,1440,3845,2026-03-07T17:55:00+08:00,2026-03-09T10:00:00+08:00',
      // C3, the pause only one metric honours: created Tue 10:00, 待客户确认 Tue 10:20-12:20 (2h).
      //   First response (not paused): 10:00 → reply 12:30 = 150m, breached; due 10:10 (the pause does
      //   not move it). Resolution (paused): 10:00 → 20:00 = 10h less the 2h pause = 8h = 480m, met;
      //   due 10:00 + 24h + 2h = Wed 12:00.
      'C3,Chat,,first_response,breached,10,150,2026-03-03T10:10:00+08:00,2026-03-03T12:30:00+08:00',
      'C3,Chat,,resolution,met,1440,480,2026-03-04T12:00:00+08:00,2026-03-03T20:00:00+08:00',
      // C4, created Mon 11:55, nothing yet at 12:00: 5m of each; first response due 12:05 (support),
      //   resolution due Tue 11:55 (24x7).
      'C4,Chat,,first_response,running,10,5,2026-03-09T12:05:00+08:00,',
      'C4,Chat,,resolution,running,1440,5,2026-03-10T11:55:00+08:00,',
      // C5, created Mon 09:00, replied 09:04 (met), Pending since 09:30 and still at --as-of: the
      //   resolution counted 09:00-09:30 = 30m and stands still, no due time yet.
      'C5,Chat,,first_response,met,10,4,2026-03-09T09:10:00+08:00,2026-03-09T09:04:00+08:00',
      'C5,Chat,,resolution,running,1440,30,,',
      // D1 (Desk: one calendar, one pause list, as before), created Mon 17:00. First response: Mon
      //   17:00-18:00 + Tue 09:00-10:30 = 2h30m, breached by 30m; due Tue 10:00. Resolution 2bd: the clock
      //   starts Mon 17:00, 8h into the day, so the target ends Wed 17:00: 1h + 9h + 8h = 18h = 1080m.
      //   Pending Tue 11:00-15:00 pauses it (the list applies to every metric): Mon 1h + Tue 5h + Wed
      //   09:00-16:00 7h = 13h = 780m, met. Due: 14h counted by Wed 17:00, the last 4h = Wed 17-18 +
      //   Thu 09:00-12:00.
      'D1,Desk,,first_response,breached,120,150,2026-03-03T10:00:00+08:00,2026-03-03T10:30:00+08:00',
      'D1,Desk,,resolution,met,1080,780,2026-03-05T12:00:00+08:00,2026-03-04T16:00:00+08:00',
    ]);
  });

  test('without the history nothing pauses: C3\'s resolution counts its 2h wait (10h), C5 runs on', async () => {
    const r = await cli(['check', ...FILES.filter((_, i) => i < 3 || i > 4), '-f', 'csv']);
    const rows = r.stdout.trim().split('\n');
    // C3: 10:00 → 20:00 = 600m of 1440, due Wed 10:00; C5: Mon 09:00 → 12:00 = 180m, due Tue 09:00
    expect(rows.find((l) => l.startsWith('C3,Chat,,resolution'))).toBe('C3,Chat,,resolution,met,1440,600,2026-03-04T10:00:00+08:00,2026-03-03T20:00:00+08:00');
    expect(rows.find((l) => l.startsWith('C5,Chat,,resolution'))).toBe('C5,Chat,,resolution,running,1440,180,2026-03-10T09:00:00+08:00,');
  });

  test('the queue: time left on each metric\'s own calendar', async () => {
    const q = JSON.parse((await cli(['queue', ...FILES, '-f', 'json'])).stdout);
    expect(q.tickets.map((t: Record<string, unknown>) => [t.id, t.metric, t.elapsed_minutes, t.left_minutes, t.due_at])).toEqual([
      // C4's first response: 5m left of business time (support), due 12:05
      ['C4', 'first_response', 5, 5, '2026-03-09T12:05:00+08:00'],
      // C4's resolution: 24h - 5m = 1435m of clock time left, due Tue 11:55
      ['C4', 'resolution', 5, 1435, '2026-03-10T11:55:00+08:00'],
      // C5's resolution: paused, due when it resumes (last); 1440 - 30 = 1410m left
      ['C5', 'resolution', 30, 1410, null],
    ]);
  });

  test('service credits and escalation: started hours over target and shares on the metric\'s own calendar', async () => {
    const j = JSON.parse((await cli(['check', ...FILES, '-f', 'json'])).stdout);
    // breaches and started hours over: C2 first response 1m over → 1h; C2 resolution 40h05m over (clock
    // hours) → 41h; C3 first response 2h20m over → 3h; D1 first response 30m over → 1h. 46h × CNY 10 = 460.
    expect(j.credits.periods).toHaveLength(1);
    expect(j.credits.periods[0]).toMatchObject({ period: '2026-03', breaches: 4, hours_over: 46, breach_amount: 460, credit: 460, provisional: true });
    // 9 judged (12 clocks less 3 running): met C1×2, C3 res, C5 fr, D1 res = 5 → 5/9
    expect(j.credits.periods[0].compliance).toBeCloseTo(5 / 9, 12);
    // escalation (default ladder: at risk from 75%, overdue from 100%), each metric's share on its own
    // calendar, a ticket at its highest: C1 first response 8/10 = 80% (and resolution 1390/1440 = 96.5%):
    // at risk; C2 (110%, 267%), C3 (1500%), D1 (125%): overdue; C4 (50%, 0.3%) and C5 (40%, 2%): none.
    expect(j.escalation.reached).toEqual([{ level: 'at risk', tickets: 4, open: 0 }, { level: 'overdue', tickets: 3, open: 0 }]);
  });

  test('explain says each metric\'s calendar and pauses', async () => {
    const json = JSON.parse((await cli(['explain', 'C3', ...FILES, '-f', 'json'])).stdout);
    expect(json.metrics.map((m: Record<string, unknown>) => [m.metric, m.calendar, m.pause_on, m.elapsed_minutes, (m.pauses as unknown[]).length])).toEqual([
      ['first_response', { name: 'support', timezone: 'Asia/Shanghai' }, [], 150, 0],
      ['resolution', { name: '24x7', timezone: 'Asia/Shanghai' }, ['Pending', '待客户确认'], 480, 1],
    ]);
    const text = (await cli(['explain', 'C3', ...FILES])).stdout;
    expect(text).toContain('  calendars   per metric (below)\n');
    expect(text).toContain([
      'first response: breached by 2h 20m',
      '  calendar    support (Asia/Shanghai)',
      '  pauses on   no status (not paused)',
      '  target      10m = 10m of business time',
    ].join('\n'));
    expect(text).toContain([
      'resolution: met, 16h to spare',
      '  calendar    24x7 (Asia/Shanghai)',
      '  pauses on   "Pending", "待客户确认"',
      '  target      24h = 24h of business time',
      '  clock start 2026-03-03 10:00',
      '  due         2026-03-04 12:00',
      '  done        2026-03-03 20:00',
      '  paused      2026-03-03 10:20 → 2026-03-03 12:20  "待客户确认"  (2h of business time not counted)',
    ].join('\n'));
    // a policy with one calendar and one pause list reads as before: one calendar line, none per metric
    const d1 = (await cli(['explain', 'D1', ...FILES])).stdout;
    expect(d1).toContain('  calendar    support (Asia/Shanghai)\n');
    expect(d1).not.toContain('pauses on');
  });

  test('one calendar, pauses per metric: the calendar once, each metric\'s pauses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-metric-clocks-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const yaml = readFileSync(`${DIR}/sla.yaml`, 'utf8').replace('calendars: { first_response: support, resolution: 24x7 }', 'calendar: support');
    expect(yaml).toContain('    calendar: support\n    pause_on: { resolution');
    writeFileSync(join(dir, 'sla.yaml'), yaml);
    const text = (await cli(['explain', 'C3', '-c', join(dir, 'sla.yaml'), ...FILES.slice(2)])).stdout;
    expect(text).toContain('  calendar    support (Asia/Shanghai)\n');
    expect(text.match(/^ {2}calendar /gm)).toHaveLength(1);
    expect(text).toContain('first response: breached by 2h 20m\n  pauses on   no status (not paused)\n');
    // the resolution on support: Tue 10:00-18:00 less the 2h pause = 6h of 24h
    expect(text).toContain('resolution: met, 18h to spare\n  pauses on   "Pending", "待客户确认"\n');
  });
});

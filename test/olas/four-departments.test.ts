import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { cli } from '../cli/run.js';
import { FIXTURES, runFixture } from '../engine/run.js';

// The KPI plan's 问题流转效率: 客服 → 技术 → 仓库 → 财务. Asia/Shanghai, support-hours Mon-Fri
// 09:00-12:00 and 13:00-18:00 (8h a day), 2026-09-25 (Fri) is a holiday (中秋节); 2026-09-21 is a Monday.
// OLAs: 客服 1h30m · 技术 4h, pausing on Pending (the policy pauses only on 等待客户) · 仓库 8h · 财务 2h.
// The group of each stint is the history's 部门 column; --as-of 2026-09-28 18:00.
const DIR = 'olas/four-departments';
const AS_OF = '2026-09-28T18:00';
const events = [join(FIXTURES, DIR, 'history.csv')];
const min = (ms: number) => ms / 60_000;
const args = ['-c', `fixtures/${DIR}/sla.yaml`, `fixtures/${DIR}/tickets.csv`, '--events', `fixtures/${DIR}/history.csv`, '--as-of', AS_OF];

/** [status, elapsed minutes] of each OLA of a ticket, in config order (客服, 技术, 仓库, 财务) */
async function olaResults() {
  const { result, tickets } = await runFixture(DIR, AS_OF, { events });
  const of = (id: string) => tickets.get(id)!.slice(2).map((r) => [r.metric, r.status, Number.isNaN(r.elapsedMs) ? null : min(r.elapsedMs)]);
  return { result, tickets, of };
}

test('each stint is a clock on its group calendar, judged against its OLA; a ticket reports its worst stint per group', async () => {
  const { of } = await olaResults();
  // T1 (Mon 21st): 客服 09:00-10:00 = 60m (met) · 技术 10:00-12:00 + 13:00-15:00 = 240m, exactly its 4h (met:
  // ≤ target) · 仓库 15:00-18:00 + Tue 09:00-11:00 = 300m (met) · 财务 Tue 11:00-12:00 + 13:00-14:00 = 120m,
  // exactly 2h (met), ended by the resolution at 14:00.
  expect(of('T1')).toEqual([['ola.客服', 'met', 60], ['ola.技术', 'met', 240], ['ola.仓库', 'met', 300], ['ola.财务', 'met', 120]]);
  // T2, 客服 → 技术 → 客服 (a group assigned twice), over the holiday: 客服 Thu 24th 16:00-17:00 = 60m (met);
  // 技术 Thu 17:00-18:00 = 60m, Fri 25th holiday 0, the weekend 0, Mon 28th 09:00-10:00 = 60m → 120m (met);
  // 客服 again Mon 10:00-12:00 + 13:00-13:30 = 150m > 90m: breached, and the worse of its two stints.
  expect(of('T2')).toEqual([['ola.客服', 'breached', 150], ['ola.技术', 'met', 120], ['ola.仓库', 'not_applicable', null], ['ola.财务', 'not_applicable', null]]);
  // T3 (Tue 22nd): 客服 09:00-09:30 = 30m; 技术 09:30-10:30 (60m), Pending 10:30-14:00 stops only the 技术 OLA's
  // clock, 14:00-16:00 (120m) → 180m (met); at 16:00 the hand-off to 仓库 and the change to Pending are the same
  // instant: 仓库's OLA has no pause_on of its own, so the policy's (等待客户) applies and Pending does not stop it:
  // 16:00-18:00 (120m) + Wed 09:00-12:00 (180m) = 300m (met).
  expect(of('T3')).toEqual([['ola.客服', 'met', 30], ['ola.技术', 'met', 180], ['ola.仓库', 'met', 300], ['ola.财务', 'not_applicable', null]]);
  // T4, still with 技术 at --as-of: Wed 23rd 09:20-12:00 (160m) + 13:00-18:00 (300m), Thu 24th 480m, Fri holiday,
  // Mon 28th 480m → 1420m ≥ 240m: overdue. 客服 09:00-09:20 = 20m.
  expect(of('T4')).toEqual([['ola.客服', 'met', 20], ['ola.技术', 'overdue', 1420], ['ola.仓库', 'not_applicable', null], ['ola.财务', 'not_applicable', null]]);
  // T5: every row has an empty group (never assigned): no stint, no OLA applies
  expect(of('T5').map((x) => x[1])).toEqual(['not_applicable', 'not_applicable', 'not_applicable', 'not_applicable']);
  // T6: 客服 Tue 22nd 13:00-15:00 = 120m > 90m (breached); then 外包, a group with no OLA (its time is not judged)
  expect(of('T6')[0]).toEqual(['ola.客服', 'breached', 120]);
  // T8: 客服 16:00-16:30, unassigned 16:30-17:00, 客服 17:00-17:30: two stints of 30m, both met (the earlier reported)
  expect(of('T8')[0]).toEqual(['ola.客服', 'met', 30]);
});

test('the resolution is not paused by a status only the OLA pauses on; OLAs are not in the overall compliance', async () => {
  const { result, tickets } = await olaResults();
  // T3's resolution: Tue 09:00-18:00 = 480m (Pending does not pause the policy) + Wed 09:00-12:00 = 180m → 660m
  expect(min(tickets.get('T3')![1].elapsedMs)).toBe(660);
  // overall sums first_response and resolution only: 8 + 8 tickets, T4's resolution overdue (3bd from Wed 23rd 09:00
  // is Mon 28th 09:00, the holiday skipped) → 15 met of 16
  expect([result.overall.met, result.overall.overdue, result.overall.breached]).toEqual([15, 1, 0]);
  expect(result.metrics['ola.客服']).toMatchObject({ met: 5, breached: 2, overdue: 0, not_applicable: 1 });
  expect(result.metrics['ola.技术']).toMatchObject({ met: 3, breached: 0, overdue: 1, not_applicable: 4 });
});

test('hand-off and OLA KPIs, worked by hand', async () => {
  const { result } = await olaResults();
  const k = result.kpis;
  // tickets with a group history: T1 T2 T3 T4 T6 T7 T8 (T5 never assigned) = 7.
  // hand-offs: T1 3 (客服→技术→仓库→财务), T2 2 (客服→技术→客服), T3 2, T4 1, T6 1 (客服→外包: a group without an
  // OLA still counts), T7 0, T8 0 (an unassigned gap between two 客服 stints is no hand-off) = 9 → 9/7
  expect(k['handoffs.mean']).toBeCloseTo(9 / 7, 12);
  // handed off at least once: T1 T2 T3 T4 T6 = 5 of 7
  expect(k.handoff_rate).toBeCloseTo(5 / 7, 12);
  // per group, each ticket's worst stint: 客服 5 met of 7 (T2, T6 breached); 技术 3 of 4 (T4 overdue); 仓库 2 of 2;
  // 财务 1 of 1 → ola.compliance (5 + 3 + 2 + 1) / (7 + 4 + 2 + 1) = 11/14
  expect([k['ola.客服.compliance'], k['ola.技术.compliance'], k['ola.仓库.compliance'], k['ola.财务.compliance']]).toEqual([5 / 7, 3 / 4, 1, 1]);
  expect(k['ola.compliance']).toBeCloseTo(11 / 14, 12);
  // time each group held a ticket (its stints summed), business minutes, groups no longer holding it:
  // 客服 T1 60, T2 60 + 150 = 210, T3 30, T4 20, T6 120, T7 60 (Mon 14:00-15:00), T8 30 + 30 = 60
  //   sorted 20 30 60 60 60 120 210: median 60, p90 = the ceil(0.9 × 7) = 7th = 210
  // 技术 T1 240, T2 120, T3 180 (T4 still holds it at --as-of: left out): median 180, p90 the 3rd = 240
  // 仓库 T1 300, T3 300 · 财务 T1 120
  expect([k['group_time.客服.median'], k['group_time.客服.p90'], k['group_time.技术.median'], k['group_time.技术.p90']]).toEqual([60, 210, 180, 240]);
  expect([k['group_time.仓库.median'], k['group_time.仓库.p90'], k['group_time.财务.median'], k['group_time.财务.p90']]).toEqual([300, 300, 120, 120]);
  // objectives: ola.compliance 11/14 ≥ 70%, handoffs.mean 1.29 ≤ 2, group_time.技术.median 180m ≤ 4h
  expect(result.objectives.map((o) => [o.kpi, o.passed, o.tickets])).toEqual([['ola.compliance', true, 14], ['handoffs.mean', true, 7], ['group_time.技术.median', true, 3]]);
});

test('bad history rows are problems with row and column; nothing is lost', async () => {
  const { result } = await olaResults();
  expect(result.problems.map((p) => `row ${p.row}${p.column ? ` [${p.column}]` : ''}: ${p.message}`)).toEqual([
    'row 31 [时间]: "sometime" is not a date (expected e.g. 2026-03-01 09:30, 2026-03-01T09:30:00+08:00, 01/03/2026 09:30, or set tickets.timestamp_format)',
    'row 32: event for ticket "T9", which is in none of the ticket files; it is left out',
  ]);
  // 31 history rows: 29 used, 2 problems; 8 ticket rows, 8 evaluated, every one with history rows
  expect(result.totals).toEqual({ rows: 8, tickets: 8, evaluated: 8, problems: 0, outside_range: 0, event_rows: 31, event_problems: 2, without_history: 0 });
});

test('explain lists the stints with group, times, business time and verdict, and the hand-offs', async () => {
  const r = await cli(['explain', 'T2', ...args, '-f', 'json']);
  expect(r.exitCode).toBe(0);
  const e = JSON.parse(r.stdout);
  expect(e.groups).toEqual({
    stints: [
      { group: '客服', from: '2026-09-24T16:00:00+08:00', to: '2026-09-24T17:00:00+08:00', business_minutes: 60, ola: 'ola.客服', status: 'met', target_minutes: 90, due_at: '2026-09-24T17:30:00+08:00' },
      // Thu 17:00-18:00 and Mon 09:00-10:00; the due time (4h) walks over the holiday and the weekend to Mon 12:00
      { group: '技术', from: '2026-09-24T17:00:00+08:00', to: '2026-09-28T10:00:00+08:00', business_minutes: 120, ola: 'ola.技术', status: 'met', target_minutes: 240, due_at: '2026-09-28T12:00:00+08:00' },
      // Mon 10:00 + 90m of business time = 11:30
      { group: '客服', from: '2026-09-28T10:00:00+08:00', to: '2026-09-28T13:30:00+08:00', business_minutes: 150, ola: 'ola.客服', status: 'breached', target_minutes: 90, due_at: '2026-09-28T11:30:00+08:00' },
    ],
    handoffs: 2,
    first_handoff_at: '2026-09-24T17:00:00+08:00',
    // Thu 17:00-18:00 (60) + Mon 09:00-12:00 (180) + 13:00-13:30 (30)
    handoff_to_resolution_minutes: 270,
  });
  const ola = e.metrics.find((m: { metric: string }) => m.metric === 'ola.客服');
  expect(ola).toMatchObject({ status: 'breached', target: '1h30m', elapsed_minutes: 150, over_minutes: 60, clock_start: '2026-09-28T10:00:00+08:00' });
  expect(ola.intervals.map((i: { worst: boolean; status: string }) => [i.status, i.worst])).toEqual([['met', false], ['breached', true]]);

  const t3 = await cli(['explain', 'T3', ...args]);
  // the 技术 OLA's own pause, 10:30-14:00 = 1h30m + 1h of business time (lunch 12-13 is not business time)
  expect(t3.stdout).toContain('  paused      2026-09-22 10:30 → 2026-09-22 14:00  "Pending"  (2h 30m of business time not counted)');
  expect(t3.stdout).toContain('  groups      3 stints, 2 hand-offs (first 2026-09-22 09:30, then 10h 30m of business time to resolution):');
  const t6 = await cli(['explain', 'T6', ...args]);
  // a group with no OLA: its business time, no verdict (Tue 15:00-18:00 + Wed 09:00-10:00 = 4h)
  expect(t6.stdout).toContain('    外包  2026-09-22 15:00 → 2026-09-23 10:00        4h  (no OLA)');
});

test('reports: OLA rows after overall in the table, ola.<group> rows in the per-ticket CSV, the open stint in the queue', async () => {
  const table = await cli(['check', ...args]);
  expect(table.exitCode).toBe(0);
  expect(table.stdout).toContain('│ OLA 客服       │      71.4% │   5 │        2 │       0 │       0 │       0 │   1 │');
  expect(table.stdout).toContain('│ handoffs.mean           │   1.29 │');
  expect(table.stdout).toMatch(/│ handoff_rate +│ +71\.4% │/);
  const csv = await cli(['check', ...args, '-f', 'csv']);
  const lines = csv.stdout.split('\n');
  expect(lines[0]).toBe('ticket_id,policy,priority,metric,status,target_minutes,elapsed_minutes,due_at,completed_at');
  // 8 tickets × (2 SLA metrics + 4 OLAs)
  expect(lines.filter((l) => l).length).toBe(1 + 8 * 6);
  expect(lines).toContain('T4,标准,,ola.技术,overdue,240,1420,2026-09-23T14:20:00+08:00,');
  const md = await cli(['check', ...args, '-f', 'markdown']);
  expect(md.stdout).toContain('| ola.技术 | 75% | 3 | 0 | 1 | 0 | 0 | 4 |');
  const queue = await cli(['queue', ...args, '-f', 'json']);
  const rows = JSON.parse(queue.stdout).rows ?? JSON.parse(queue.stdout);
  expect(JSON.stringify(rows)).toContain('"metric":"ola.技术"');
});

test('--engine duckdb hands OLAs to the streaming engine by name; the SQL refuses them', async () => {
  const noEvents = ['-c', `fixtures/${DIR}/sla.yaml`, `fixtures/${DIR}/tickets.csv`, '--as-of', AS_OF, '-f', 'json'];
  const s = await cli(['check', ...noEvents]);
  const d = await cli(['check', ...noEvents, '--engine', 'duckdb']);
  expect(d.stderr.split('\n')[0]).toBe('sla-audit: note: --engine duckdb: olas (group OLAs and hand-offs: 客服, 技术, 仓库, 财务) are not compiled: measured from the group column of a status history, stint by stint; run sla-audit check --events for them; the streaming engine reads this run (the same numbers)');
  // without --events nothing says which group held a ticket: the OLAs are not measured, and the run says so
  expect(s.stderr).toContain('sla-audit: warning: no ticket has a group history, so the OLAs (客服, 技术, 仓库, 财务) are not measured: give --events a file with a group column (events.columns.group), or map tickets.columns.team in the event-log layout');
  expect(JSON.parse(s.stdout).metrics['ola.技术']).toMatchObject({ not_measured: 8, met: 0 });
  const undated = (x: string) => x.replace(/"generatedAt": "[^"]*"/, '');
  expect([d.exitCode, undated(d.stdout)]).toEqual([s.exitCode, undated(s.stdout)]);
  const sql = await cli(['sql', '--dialect', 'postgres', '-c', `fixtures/${DIR}/sla.yaml`, '--from', '2026-09-01', '--to', '2026-10-01']);
  expect(sql.exitCode).toBe(2);
  expect(sql.stderr).toContain('olas (group OLAs and hand-offs: 客服, 技术, 仓库, 财务) are not compiled');
});

test('a group column named in events.columns.group must be in the --events file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sla-olas-'));
  try {
    writeFileSync(join(dir, 'sla.yaml'), readFileSync(join(FIXTURES, DIR, 'sla.yaml'), 'utf8').replace('group: 部门', 'group: 组别'));
    const r = await cli(['check', '-c', join(dir, 'sla.yaml'), `fixtures/${DIR}/tickets.csv`, '--events', `fixtures/${DIR}/history.csv`, '--as-of', AS_OF]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('组别');
    expect(r.stderr).toContain('map it under events.columns.group');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

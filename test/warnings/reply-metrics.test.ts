import { describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../cli/run.js';

// fixtures/engine/messages: Shanghai, office Mon-Fri 09:00-12:00 and 13:00-18:00; policy Standard pauses
// on Pending; targets first response 2h, resolution 16h, next reply 2h, periodic update 4h. 2026-03-02 is
// a Monday; measured as of Tue 2026-03-03 14:00.
const DIR = 'fixtures/engine/messages';
const ARGS = ['check', '-c', `${DIR}/sla.yaml`, `${DIR}/tickets.csv`, '--events', `${DIR}/events.csv`, '--messages', `${DIR}/messages.csv`, '--as-of', '2026-03-03T14:00'];

describe('next_reply and periodic_update from --messages', () => {
  test('per ticket: the worst interval, its elapsed and due time, hand-worked', async () => {
    const r = await cli([...ARGS, '-f', 'csv']);
    expect(r.exitCode).toBe(0);
    const rows = r.stdout.trim().split('\n');
    expect(rows[0]).toBe('ticket_id,policy,priority,metric,status,target_minutes,elapsed_minutes,due_at,completed_at');
    // M1. Next reply, two customer messages and a pause between them: the customer writes at Mon 10:00
    //   and again at 10:20 (the oldest unanswered message starts the wait; the second does not restart
    //   it); Pending 11:00-14:00 stops the clock; the agent answers at 15:00: 10:00-11:00 + 14:00-15:00
    //   = 2h of 2h, met (the boundary counts as met). The customer writes at 16:00; the agent answers Tue
    //   10:30: 16:00-18:00 + 09:00-10:30 = 3h30m, breached; due 2h after 16:00 = Mon 18:00. The customer's
    //   message at Tue 12:00 comes after the resolution (Tue 11:00) and starts nothing. Worst: 3h30m.
    // M1. Periodic update, agent messages Mon 09:30, 15:00, Tue 10:30, resolved Tue 11:00: 09:30-11:00 +
    //   14:00-15:00 = 2h30m met; 15:00-18:00 + 09:00-10:30 = 4h30m breached (due 4h after Mon 15:00 =
    //   Tue 10:00); 10:30-11:00 30m met. Worst: 4h30m. (The "system" note is ignored.)
    expect(rows.slice(1, 5)).toEqual([
      'M1,Standard,P2,first_response,met,120,30,2026-03-02T11:00:00+08:00,2026-03-02T09:30:00+08:00',
      'M1,Standard,P2,resolution,met,960,480,2026-03-04T11:00:00+08:00,2026-03-03T11:00:00+08:00',
      'M1,Standard,P2,next_reply,breached,120,210,2026-03-02T18:00:00+08:00,2026-03-03T10:30:00+08:00',
      'M1,Standard,P2,periodic_update,breached,240,270,2026-03-03T10:00:00+08:00,2026-03-03T10:30:00+08:00',
    ]);
    // M2, still open at --as-of. Next reply: the customer writes Mon 14:00, answered Tue 10:00: 14:00-18:00
    //   + 09:00-10:00 = 5h, breached, due Mon 16:00. Periodic update, agent messages Mon 09:10, 13:10, Tue
    //   10:00 (the one on Wed is after --as-of): 09:10-12:00 + 13:00-13:10 = 3h met; 13:10-18:00 +
    //   09:00-10:00 = 5h50m breached (due 13:10 + 4h = 17:10); from Tue 10:00, open: 10:00-12:00 +
    //   13:00-14:00 = 3h, at 75% of 4h: at risk. Worst: the breached 5h50m (the open one goes to the queue).
    //   Resolution: Mon 8h + Tue 09:00-12:00, 13:00-14:00 = 12h of 16h: at risk; due Tue 18:00.
    expect(rows.slice(5, 9)).toEqual([
      'M2,Standard,P2,first_response,met,120,10,2026-03-02T11:00:00+08:00,2026-03-02T09:10:00+08:00',
      'M2,Standard,P2,resolution,at_risk,960,720,2026-03-03T18:00:00+08:00,',
      'M2,Standard,P2,next_reply,breached,120,300,2026-03-02T16:00:00+08:00,2026-03-03T10:00:00+08:00',
      'M2,Standard,P2,periodic_update,breached,240,350,2026-03-02T17:10:00+08:00,2026-03-03T10:00:00+08:00',
    ]);
    // M3: no agent has written: no wait for a next reply and no update interval yet (not applicable);
    //   first response open since Mon 16:00: 2h + Tue 3h + 1h = 6h of 2h, overdue.
    expect(rows.slice(9)).toEqual([
      'M3,Standard,P2,first_response,overdue,120,360,2026-03-02T18:00:00+08:00,',
      'M3,Standard,P2,resolution,running,960,360,2026-03-04T16:00:00+08:00,',
      'M3,Standard,P2,next_reply,not_applicable,,,,',
      'M3,Standard,P2,periodic_update,not_applicable,,,,',
    ]);
  });

  test('messages that cannot be used are problems with their row; the counts say how many rows were read', async () => {
    const r = await cli([...ARGS, '-f', 'json']);
    const j = JSON.parse(r.stdout);
    // 20 message rows: M3's 15:00 message is before M3 was created, M9 is in no ticket file, "bot" is
    // neither customer nor agent (never quoted: an author cell may hold a name); "system" is ignored
    expect(j.totals).toMatchObject({ rows: 3, evaluated: 3, problems: 0, message_rows: 20, message_problems: 3 });
    expect(j.problems).toEqual([
      { file: `${DIR}/messages.csv`, row: 18, message: 'message for ticket "M3" is before the ticket was created (2026-03-02 16:00); it is left out' },
      { file: `${DIR}/messages.csv`, row: 19, message: 'message for ticket "M9", which is in none of the ticket files; it is left out' },
      {
        file: `${DIR}/messages.csv`, row: 20, column: 'author',
        message: 'is neither a customer nor an agent (customer: customer, end-user, end_user, enduser; agent: agent, admin, staff, support; ignore: system); map it under messages.authors (customer, agent, or ignore for bots and notes)',
      },
    ]);
    // compliance counts tickets by their worst interval: next reply M1 and M2 breached, M3 not applicable
    expect(j.metrics.next_reply).toMatchObject({ met: 0, breached: 2, not_applicable: 1, compliance: 0 });
    // KPIs over each ticket's worst interval: next reply (210 + 300) / 2 = 255 minutes
    expect(j.kpis['next_reply.mean']).toBe(255);
    expect(j.kpis['periodic_update.median']).toBe(310);
  });

  test('explain lists every interval and marks the reported one; the queue shows the interval still open', async () => {
    const r = await cli(['explain', 'M2', '-c', `${DIR}/sla.yaml`, `${DIR}/tickets.csv`, ...ARGS.slice(4)]);
    expect(r.stdout).toContain([
      'periodic update: breached by 1h 50m',
      '  intervals   3 (the worst is reported):',
      '      2026-03-02 09:10 → 2026-03-02 13:10        3h of 4h  met',
      '    ▸ 2026-03-02 13:10 → 2026-03-03 10:00    5h 50m of 4h  breached',
      '      2026-03-03 10:00 → open        3h of 4h  at_risk',
    ].join('\n'));
    // M1's second wait: the Pending pause (Mon 11:00-14:00) came before it and is not listed under it
    const m1 = (await cli(['explain', 'M1', '-c', `${DIR}/sla.yaml`, `${DIR}/tickets.csv`, ...ARGS.slice(4)])).stdout;
    expect(m1.slice(m1.indexOf('next reply:'), m1.indexOf('periodic update:'))).not.toContain('paused');
    // the queue: M2's open update interval (3h of 4h, due Tue 10:00 + 4h = 15:00), not its breached one
    const q = JSON.parse((await cli(['queue', '-c', `${DIR}/sla.yaml`, `${DIR}/tickets.csv`, ...ARGS.slice(4), '-f', 'json'])).stdout);
    expect(q.tickets.map((t: Record<string, unknown>) => [t.id, t.metric, t.status, t.elapsed_minutes, t.due_at])).toEqual([
      ['M3', 'first_response', 'overdue', 360, '2026-03-02T18:00:00+08:00'],
      ['M2', 'periodic_update', 'at_risk', 180, '2026-03-03T15:00:00+08:00'],
      ['M2', 'resolution', 'at_risk', 720, '2026-03-03T18:00:00+08:00'],
      ['M3', 'resolution', 'running', 360, '2026-03-04T16:00:00+08:00'],
    ]);
  });

  test('without --messages the message metrics are not measured; a config without their targets keeps two rows per ticket', async () => {
    const r = await cli([...ARGS.slice(0, 6), '--as-of', '2026-03-03T14:00', '-f', 'csv']);
    expect(r.stdout.split('\n')[3]).toBe('M1,Standard,P2,next_reply,not_measured,,,,');
    const demo = await cli(['check', '-c', 'fixtures/demo/sla.yaml', 'fixtures/demo/tickets.csv', '--as-of', '2026-11-01T00:00', '-f', 'csv']);
    expect(demo.stdout.split('\n').slice(1, 3).map((l) => l.split(',')[3])).toEqual(['first_response', 'resolution']);
    expect(demo.stdout.split('\n').filter((l) => l.includes('next_reply'))).toEqual([]);
  });

  test('a KPI or objective on a message metric no policy has a target for is a config error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-reply-'));
    const config = join(dir, 'sla.yaml');
    writeFileSync(config, [
      'policies:',
      '  - name: All',
      '    targets: { first_response: 2h, resolution: 8h }',
      'objectives:',
      '  - { metric: next_reply, min: 90% }',
      'scorecards:',
      '  teams: { by: team, indicators: [{ kpi: periodic_update.median, weight: 1, target: 4h, worst: 8h }] }',
      '',
    ].join('\n'));
    const r = await cli(['validate', '-c', config]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      `sla-audit: ${config}:5:15 objectives[0].metric: next_reply has no target in any policy, so next_reply.compliance is never measured; add targets.next_reply to a policy (and pass --messages)`,
      `sla-audit: ${config}:7:42 scorecards.teams.indicators[0].kpi: periodic_update has no target in any policy, so periodic_update.median is never measured; add targets.periodic_update to a policy (and pass --messages)`,
    ]);
    rmSync(dir, { recursive: true });
  });
});

describe('the workbook counts the --messages rows', () => {
  test('its Totals say how many message rows were read and how many had problems', async () => {
    // the fixture's 20 message rows, 3 of them problems (see above): the Summary sheet's Totals list
    // them as its --events rows are listed
    const { default: ExcelJS } = await import('exceljs');
    const dir = mkdtempSync(join(tmpdir(), 'sla-messages-xlsx-'));
    const r = await cli([...ARGS, '-q', '-o', join(dir, 'report.xlsx')]);
    expect(r.exitCode).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, 'report.xlsx'));
    const values = wb.getWorksheet('Summary')!.getSheetValues().map((row) => (Array.isArray(row) ? row.slice(1, 3) : []));
    expect(values).toContainEqual(['--events rows', 6]);
    expect(values).toContainEqual(['--events rows with problems', 0]);
    expect(values).toContainEqual(['--messages rows', 20]);
    expect(values).toContainEqual(['--messages rows with problems', 3]);
    rmSync(dir, { recursive: true });
  });
});

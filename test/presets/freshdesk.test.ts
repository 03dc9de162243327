import { expect, test } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFixture } from '../engine/run.js';
import { cli } from '../cli/run.js';

const min = (ms: number) => ms / 60_000;

// Asia/Kolkata (+05:30), office Mon-Fri 09:00-18:00 (9h a day); 2026-03-02 is a Monday; measured at
// Wed 2026-03-04 00:00. Targets: first response P1 30m, P2 1h, else 4h; resolution P1 4h, else 16h.
test('freshdesk preset: its headers, priorities and statuses as exported; every number worked out by hand', async () => {
  const { tickets, result, config } = await runFixture('presets/freshdesk', '2026-03-04T00:00', {});
  expect(['urgent', 'high', 'medium', 'low'].map((k) => config.priorityLookup.get(k))).toEqual(['P1', 'P2', 'P3', 'P4']);
  // per metric: [target, status, elapsed minutes, due]
  const get = (id: string) => tickets.get(id)!.map((r) => [min(r.targetMs), r.status, min(r.elapsedMs), new Date(r.due).toISOString()]);
  // 1001 Urgent → P1: Mon 09:00, response 09:20 = 20m ≤ 30m; resolved 12:00 = 180m ≤ 4h (due 13:00 IST = 07:30Z)
  expect(get('1001')).toEqual([[30, 'met', 20, '2026-03-02T04:00:00.000Z'], [240, 'met', 180, '2026-03-02T07:30:00.000Z']]);
  // 1002 High → P2: Mon 17:30; response Tue 09:45 = 30m (Mon) + 45m (Tue) = 75m > 1h (due Tue 09:30);
  // resolved Tue 15:00 = 30m + 6h = 390m ≤ 16h (due: 30m Mon, 9h Tue, 6h30m Wed → Wed 15:30)
  expect(get('1002')).toEqual([[60, 'breached', 75, '2026-03-03T04:00:00.000Z'], [960, 'met', 390, '2026-03-04T10:00:00.000Z']]);
  // 1003 Medium → P3, never answered, Open: Mon 10:00-18:00 (8h) + Tue 9h = 17h = 1020m, overdue for both
  // (first response due Mon 14:00; resolution 16h: 8h Mon + 8h Tue → Tue 17:00)
  expect(get('1003')).toEqual([[240, 'overdue', 1020, '2026-03-02T08:30:00.000Z'], [960, 'overdue', 1020, '2026-03-03T11:30:00.000Z']]);
  // 1004 Low → P4, created Saturday: the clock starts Mon 09:00; response 09:10 = 10m; "Waiting on
  // Customer" without a status history does not pause (since when?): Mon 9h + Tue 9h = 1080m ≥ 16h (due Tue 16:00)
  expect(get('1004')).toEqual([[240, 'met', 10, '2026-03-02T07:30:00.000Z'], [960, 'overdue', 1080, '2026-03-03T10:30:00.000Z']]);
  // 1005: resolved an hour before it was created: a problem on row 6, column "Resolved time", not a ticket
  expect(tickets.has('1005')).toBe(false);
  expect(result.totals).toEqual({ rows: 5, tickets: 4, evaluated: 4, problems: 1, outside_range: 0 });
  expect(result.problems.map((p) => [p.row, p.column])).toEqual([[6, 'Resolved time']]);
  // first response: met 1001, 1004 of 4; resolution: met 1001, 1002 of 4
  expect([result.metrics.first_response.compliance, result.metrics.resolution.compliance]).toEqual([0.5, 0.5]);
});

test('init --preset freshdesk writes a starter that validate accepts with a Freshdesk export', async () => {
  const d = mkdtempSync(join(tmpdir(), 'sla-freshdesk-'));
  expect((await cli(['init', '--preset', 'freshdesk'], { cwd: d })).exitCode).toBe(0);
  writeFileSync(join(d, 'export.csv'), readFileSync(new URL('../../fixtures/presets/freshdesk/tickets.csv', import.meta.url)));
  const v = await cli(['validate', 'export.csv'], { cwd: d });
  expect([v.exitCode, v.stderr]).toEqual([0, '']);
  expect(v.stdout).toContain('export.csv: header matches (13 columns, utf-8, delimiter ","): id ← "Ticket ID", created_at ← "Created time", first_response_at ← "Initial response time", resolved_at ← "Resolved time"');
});

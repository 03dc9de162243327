import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { cli } from '../cli/run.js';

// Group names as exports write them: dots, spaces, a formula, a control character.
const tmp = mkdtempSync(join(tmpdir(), 'sla-olas-hostile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const CONFIG = `timezone: UTC
events:
  columns: { ticket_id: id, timestamp: at, status: status, group: group }
policies:
  - { name: Desk, calendar: 24x7, targets: { resolution: 8h } }
olas:
  - { group: L1.desk, target: 1h }
  - { group: "ops\\u001b[31m\\u0007", target: 1h }
objectives:
  - { kpi: group_time.L1.desk.p90, max: 1h }
  - { kpi: ola.L1.desk.compliance, min: 50% }
`;

test('validate shows a group name with control characters escaped, never raw on the terminal', async () => {
  writeFileSync(join(tmp, 'sla.yaml'), CONFIG);
  const r = await cli(['validate', '-c', join(tmp, 'sla.yaml')]);
  expect(r.exitCode).toBe(0);
  expect(r.stdout).toContain('OLAs for L1.desk, ops\\x1b[31m\\x07 (need a group column');
  expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
});

test('a group with a dot: ola.<group>.compliance and group_time.<group>.p90 are read whole', async () => {
  writeFileSync(join(tmp, 'sla.yaml'), CONFIG);
  // T1 created 09:00 UTC, L1.desk 09:00-09:30 (30m, met), then ops 09:30 to the resolution at 11:00 (1h30m, breached)
  writeFileSync(join(tmp, 'tickets.csv'), 'id,created_at,resolved_at\nT1,2026-03-02 09:00,2026-03-02 11:00\n');
  writeFileSync(join(tmp, 'history.csv'), 'id,at,status,group\nT1,2026-03-02 09:00,New,l1.desk\nT1,2026-03-02 09:30,Open,"ops\u001b[31m\u0007"\nT1,2026-03-02 11:00,Resolved,"ops\u001b[31m\u0007"\n');
  const r = await cli(['check', '-c', join(tmp, 'sla.yaml'), join(tmp, 'tickets.csv'), '--events', join(tmp, 'history.csv'), '--as-of', '2026-03-03T00:00', '-f', 'json']);
  const json = JSON.parse(r.stdout);
  expect([json.kpis['group_time.L1.desk.p90'], json.kpis['ola.L1.desk.compliance'], json.kpis['ola.ops\u001b[31m\u0007.compliance']]).toEqual([30, 1, 0]);
  expect(json.objectives.map((o: { passed: boolean }) => o.passed)).toEqual([true, true]);
  const table = await cli(['check', '-c', join(tmp, 'sla.yaml'), join(tmp, 'tickets.csv'), '--events', join(tmp, 'history.csv'), '--as-of', '2026-03-03T00:00']);
  expect(table.stdout).toContain('OLA ops\\x1b[31m\\x07');
  expect(table.stdout + table.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
});

test('a history whose group header names two columns is refused (exit 2), as a tickets file with such a header is', async () => {
  writeFileSync(join(tmp, 'sla.yaml'), CONFIG);
  writeFileSync(join(tmp, 'tickets.csv'), 'id,created_at,resolved_at\nT1,2026-03-02 09:00,2026-03-02 11:00\n');
  // which "group" holds the assignment: the first (L1.desk) or the second (ops)? Nothing in the file says
  writeFileSync(join(tmp, 'history2.csv'), 'id,at,status,group,group\nT1,2026-03-02 09:00,New,L1.desk,ops\n');
  const r = await cli(['check', '-c', join(tmp, 'sla.yaml'), join(tmp, 'tickets.csv'), '--events', join(tmp, 'history2.csv'), '--as-of', '2026-03-03T00:00']);
  expect([r.exitCode, r.stdout]).toEqual([2, '']);
  expect(r.stderr).toBe(`sla-audit: ${join(tmp, 'history2.csv')}: columns 4 and 5 are all named "group", and events.columns.group uses that name; rename the columns in the export so that each name is used once\n`);
});

test('rows of a second --events file without a group column leave the group as it was (they are no unassignment)', async () => {
  // group column by its default name (group): one file has it, the other is a status-only export
  writeFileSync(join(tmp, 'sla3.yaml'), CONFIG.replace(', group: group', ''));
  writeFileSync(join(tmp, 'tickets.csv'), 'id,created_at,resolved_at\nT1,2026-03-02 09:00,2026-03-02 11:00\n');
  writeFileSync(join(tmp, 'groups.csv'), 'id,at,status,group\nT1,2026-03-02 09:00,New,L1.desk\n');
  writeFileSync(join(tmp, 'statuses.csv'), 'id,at,status\nT1,2026-03-02 09:20,Open\nT1,2026-03-02 09:40,Open\n');
  const r = await cli(['check', '-c', join(tmp, 'sla3.yaml'), join(tmp, 'tickets.csv'), '--events', join(tmp, 'groups.csv'), '--events', join(tmp, 'statuses.csv'), '--as-of', '2026-03-03T00:00', '-f', 'json']);
  const json = JSON.parse(r.stdout);
  // L1.desk holds T1 from 09:00 to the resolution at 11:00 (24x7): 120 minutes against 1h, breached, no hand-off.
  // Read as unassigned, the status rows ended the stint at 09:20 (20 minutes, met).
  expect([json.kpis['group_time.L1.desk.p90'], json.kpis['ola.L1.desk.compliance'], json.kpis['handoffs.mean']]).toEqual([120, 0, 0]);
});

test('explain shows a group cell with a line break as \\n: a cell cannot add a line of its own to the timeline', async () => {
  writeFileSync(join(tmp, 'sla.yaml'), CONFIG);
  writeFileSync(join(tmp, 'tickets.csv'), 'id,created_at,resolved_at\nT1,2026-03-02 09:00,2026-03-02 11:00\n');
  writeFileSync(join(tmp, 'history4.csv'), 'id,at,status,group\nT1,2026-03-02 09:00,New,"evil\nOLA ops: met, 1h to spare"\nT1,2026-03-02 10:00,Open,L1.desk\n');
  const r = await cli(['explain', 'T1', '-c', join(tmp, 'sla.yaml'), join(tmp, 'tickets.csv'), '--events', join(tmp, 'history4.csv'), '--as-of', '2026-03-03T00:00']);
  expect(r.stdout).toContain('    evil\\nOLA ops: met, 1h to spare  2026-03-02 09:00 → 2026-03-02 10:00');
  expect(r.stdout.split('\n').filter((l) => l.startsWith('OLA ops:'))).toEqual([]);
});

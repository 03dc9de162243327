import { expect, test } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFixture } from '../engine/run.js';
import { cli } from '../cli/run.js';

const min = (ms: number) => ms / 60_000;

// UTC office Mon-Fri 09:00-17:00; 2026-03-02 is a Monday; measured at Wed 2026-03-04 00:00.
test('zendesk preset: standard headers; the user replaces one priority alias list; first reply minutes are the measurement', async () => {
  const { tickets, config, result } = await runFixture('presets/zendesk', '2026-03-04T00:00', { groupBy: ['team'] });
  expect(['urgent', 'high', 'normal', '普通', 'low'].map((k) => config.priorityLookup.get(k))).toEqual(['P1', 'P2', 'P3', 'P3', 'P4']);
  // 101 Urgent: "First reply time in minutes within business hours" = 30 ≤ 1h: met; solved 12:00 = 3h: met
  expect(tickets.get('101')!.map((r) => [r.status, min(r.elapsedMs)])).toEqual([['met', 30], ['met', 180]]);
  expect(tickets.get('101')![0].fromMinutes).toBe(true);
  // 102 Normal (P3 through the user's aliases): 120 business minutes > 1h: breached.
  // Still open: Mon 17:00 → Wed 00:00 = Tue 8h ≥ 8h: overdue.
  expect(tickets.get('102')!.map((r) => [r.status, min(r.elapsedMs)])).toEqual([['breached', 120], ['overdue', 480]]);
  // 103 High, no reply yet: Mon 10-17 (7h) + Tue (8h) = 15h, overdue for both. "Pending" without a status
  // history does not pause the clock (we cannot know since when).
  expect(tickets.get('103')!.map((r) => [r.status, min(r.elapsedMs)])).toEqual([['overdue', 900], ['overdue', 900]]);
  // most tickets first
  expect(result.groups.team.map((g) => `${g.key} ${g.tickets}`)).toEqual(['Support 2', 'Billing 1']);
});

test('init --preset zendesk writes a starter that validate accepts with a Zendesk export; an unknown vendor is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sla-preset-'));
  const r = await cli(['init', '--preset', 'zendesk'], { cwd: dir });
  expect(r.exitCode).toBe(0);
  const text = readFileSync(join(dir, 'sla.yaml'), 'utf8');
  expect(text).toContain('preset: zendesk');
  writeFileSync(join(dir, 'export.csv'), readFileSync(new URL('../../fixtures/presets/zendesk/tickets.csv', import.meta.url)));
  const v = await cli(['validate', 'export.csv'], { cwd: dir });
  expect(v.stderr).toBe('');
  expect(v.stdout).toContain('export.csv: header matches (17 columns, utf-8, delimiter ","): id ← "Id", created_at ← "Created at"');
  const bad = await cli(['init', '--preset', 'salesforce'], { cwd: dir });
  expect(bad.exitCode).toBe(2);
  expect(bad.stderr).toContain("argument 'salesforce' is invalid. Allowed choices are zendesk, jira, servicenow, freshdesk");
});
